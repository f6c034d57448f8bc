"""Who is on the other end of a WebSocket: Channels' session and user middleware, with the challenge paper's
handshakes resolved off the shared sync thread.

Channels' ``AuthMiddleware`` loads the session and the user with ``database_sync_to_async`` in its default,
thread-sensitive mode: every handshake of the process queues on one thread, behind whatever else runs there.
When a school's students all open their papers at the bell, that queue outgrows Daphne's handshake timeout and
phones are dropped before they connect, so the paper socket's lookup runs on the thread pool (it touches only the
session store and the user table). The other sockets keep Channels' way: with the live game's sockets on the pool
too, 2,000-player runs of ``bench.live_game`` acknowledged answers later (p99 4.4 and 5.8 s against 2.6 and 2.8 s
with Channels' own middleware, docs/benchmarks.md).
"""

from channels.auth import AuthMiddleware, get_user
from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware

_get_user = database_sync_to_async(get_user.func, thread_sensitive=False)

POOLED_PATHS = ("/ws/paper/",)


class PooledAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        if scope.get("path", "").startswith(POOLED_PATHS):
            scope["user"]._wrapped = await _get_user(scope)
        else:
            await super().resolve_scope(scope)


def AuthMiddlewareStack(inner):  # named like the Channels function it replaces
    return CookieMiddleware(SessionMiddleware(PooledAuthMiddleware(inner)))
