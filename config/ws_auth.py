"""Who is on the other end of a WebSocket: Channels' session and user middleware, with the challenge paper's
sockets served by a lighter equivalent.

Channels' ``AuthMiddleware`` loads the session and the user with ``database_sync_to_async`` in its default,
thread-sensitive mode: every handshake of the process queues on one thread, behind whatever else runs there.
When a school's students all open their papers at the bell, that queue outgrows Daphne's handshake timeout and
phones are dropped before they connect, so the paper socket's lookup runs on the thread pool (it touches only the
session store and the user table). The paper socket also never changes its session, so it goes without Channels'
session wrapper, which looks at the session on every frame sent (a thousand answers a second, each acknowledged).

The other sockets keep Channels' way: with the live game's sockets on the pool too, 2,000-player runs of
``bench.live_game`` acknowledged answers later (p99 4.4 and 5.8 s against 2.6 and 2.8 s with Channels' own
middleware, docs/benchmarks.md).
"""

from importlib import import_module

from channels.auth import AuthMiddleware, get_user
from channels.db import database_sync_to_async
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings

_get_user = database_sync_to_async(get_user.func, thread_sensitive=False)

READ_ONLY_SESSION_PATHS = ("/ws/paper/",)


class ReadOnlySessionAuth:
    """``scope["session"]`` (read only: never saved) and ``scope["user"]``, looked up once per handshake on the
    thread pool; ``scope["cookies"]`` comes from Channels' ``CookieMiddleware`` around it."""

    def __init__(self, inner):
        self.inner = inner
        self.session_store = import_module(settings.SESSION_ENGINE).SessionStore

    async def __call__(self, scope, receive, send):
        scope = dict(scope, session=self.session_store(scope["cookies"].get(settings.SESSION_COOKIE_NAME)))
        scope["user"] = await _get_user(scope)  # loads the session too, off the event loop
        return await self.inner(scope, receive, send)


def AuthMiddlewareStack(inner):  # named like the Channels function it replaces
    channels_way = SessionMiddleware(AuthMiddleware(inner))
    read_only = ReadOnlySessionAuth(inner)

    async def stack(scope, receive, send):
        if scope.get("path", "").startswith(READ_ONLY_SESSION_PATHS):
            return await read_only(scope, receive, send)
        return await channels_way(scope, receive, send)

    return CookieMiddleware(stack)
