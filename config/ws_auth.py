"""Who is on the other end of a WebSocket: Channels' session and user middleware, off the shared sync thread.

Channels' ``AuthMiddleware`` loads the session and the user with ``database_sync_to_async`` in its default,
thread-sensitive mode: every handshake of the process queues on one thread, behind whatever else runs there.
When a school's students all open their papers at the bell, that queue outgrows Daphne's handshake timeout and
phones are dropped before they connect. The same lookup is safe on any worker thread (it touches only the
session store and the user table), so here it runs on the thread pool.
"""

from channels.auth import AuthMiddleware, get_user
from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware

_get_user = database_sync_to_async(get_user.func, thread_sensitive=False)


class PooledAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        scope["user"]._wrapped = await _get_user(scope)


def AuthMiddlewareStack(inner):  # named like the Channels function it replaces
    return CookieMiddleware(SessionMiddleware(PooledAuthMiddleware(inner)))
