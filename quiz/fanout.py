"""Fan-out of one event to every socket of a game, across Daphne processes.

Channels' ``group_send`` through channels-redis does work per *member* in
Redis and in Python (about 3.5-6 s to reach 5,000 sockets on one core here).
A game event is the same bytes for every player, so ClearSky encodes it once
and fans it out per *process* instead:

* :func:`publish` (sync, callable from services inside ``transaction.on_commit``,
  from Daphne or from a management command) encodes the event once and makes
  one Redis ``PUBLISH`` on the topic's channel;
* each Daphne process runs one :class:`FanoutHub` with one subscriber
  connection; it is subscribed to a topic while at least one local socket is
  attached to it, and writes the pre-encoded frame to each local socket.

Without ``REDIS_URL`` (the embedded single-process default) :func:`publish`
hands the frame to the hub's event loop directly.

Topics are short strings such as ``game:42``; nothing else is shared, so two
games never see each other's events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

Sink = Callable[[str], Awaitable[None]]


def encode(event: dict) -> str:
    """The one JSON encoding of server->client frames (compact, UTF-8 kept readable)."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


class FanoutHub:
    """This process's registry of local sockets per topic, fed by one Redis subscription."""

    def __init__(self, redis_url: str | None = None, prefix: str = "clearsky"):
        self.redis_url = redis_url
        self.prefix = f"{prefix}:fanout:"
        self._sinks: dict[str, set[Sink]] = defaultdict(set)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._redis = None
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._lock = asyncio.Lock()

    # Local sockets ---------------------------------------------------------

    async def attach(self, topic: str, sink: Sink) -> None:
        """Deliver every frame published on ``topic`` to ``sink`` (an async ``send(text)``)."""
        self._loop = asyncio.get_running_loop()
        first = not self._sinks[topic]
        self._sinks[topic].add(sink)
        if first and self.redis_url:
            async with self._lock:
                await self._ensure_pubsub()
                await self._pubsub.subscribe(self.prefix + topic)
                if self._reader is None or self._reader.done():
                    self._reader = asyncio.create_task(self._read(), name="fanout-reader")

    async def detach(self, topic: str, sink: Sink) -> None:
        sinks = self._sinks.get(topic)
        if not sinks:
            return
        sinks.discard(sink)
        if not sinks:
            del self._sinks[topic]
            if self.redis_url and self._pubsub is not None:
                async with self._lock:
                    if topic not in self._sinks:
                        await self._pubsub.unsubscribe(self.prefix + topic)

    def local_count(self, topic: str) -> int:
        return len(self._sinks.get(topic, ()))

    async def deliver(self, topic: str, frame: str) -> int:
        """Write one pre-encoded frame to every local socket of ``topic``; returns how many got it."""
        delivered = 0
        for sink in list(self._sinks.get(topic, ())):
            try:
                await sink(frame)
                delivered += 1
            except Exception:  # one dead socket must not stop the others
                logger.warning("fanout: dropping a sink of %s that failed", topic, exc_info=True)
                await self.detach(topic, sink)
        return delivered

    # Redis ---------------------------------------------------------------

    async def _ensure_pubsub(self):
        if self._pubsub is None:
            import redis.asyncio as aioredis

            # socket_timeout=None: a subscriber is idle between events by design.
            self._redis = aioredis.Redis.from_url(self.redis_url, socket_timeout=None, socket_keepalive=True)
            self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)

    async def _read(self):
        while True:
            try:
                message = await self._pubsub.get_message(timeout=None)
            except asyncio.CancelledError:
                raise
            except Exception:  # reconnect rather than lose the process subscriptions
                logger.exception("fanout: subscriber connection failed; resubscribing")
                await asyncio.sleep(0.5)
                await self._resubscribe()
                continue
            if message is None:
                if not self._sinks:
                    await asyncio.sleep(0.05)  # nothing subscribed yet; avoid a busy loop
                continue
            if message.get("type") != "message":
                continue
            channel = message["channel"].decode()
            data = message["data"]
            await self.deliver(channel.removeprefix(self.prefix), data.decode() if isinstance(data, bytes) else data)

    async def _resubscribe(self):
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        topics = [self.prefix + topic for topic in self._sinks]
        if topics:
            await self._pubsub.subscribe(*topics)

    async def close(self):
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()
        self._sinks.clear()

    # Publishing ------------------------------------------------------------

    def publish_frame(self, topic: str, frame: str, *, sync_redis=None) -> None:
        """Send a pre-encoded frame to every process (Redis) or to this process's loop."""
        if self.redis_url:
            sync_redis.publish(self.prefix + topic, frame)
        elif self._loop is not None and not self._loop.is_closed():
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is self._loop:
                self._loop.create_task(self.deliver(topic, frame))
            else:
                asyncio.run_coroutine_threadsafe(self.deliver(topic, frame), self._loop)


_hub: FanoutHub | None = None
_sync_redis = None
_hub_lock = threading.Lock()


def get_hub() -> FanoutHub:
    """This process's hub, configured from settings (``REDIS_URL``, ``CHANNELS_PREFIX``)."""
    global _hub
    if _hub is None:
        with _hub_lock:
            if _hub is None:
                from django.conf import settings

                prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "clearsky")
                _hub = FanoutHub(settings.REDIS_URL or None, prefix=prefix)
    return _hub


def _sync_client():
    global _sync_redis
    if _sync_redis is None:
        import redis

        _sync_redis = redis.Redis.from_url(get_hub().redis_url, socket_timeout=5, health_check_interval=30)
    return _sync_redis


def warm_up() -> None:
    """Open the publishing connection now, so the first event of a game does not pay for it."""
    if get_hub().redis_url:
        _sync_client().ping()


def publish(topic: str, event: dict) -> str:
    """Encode ``event`` once and fan it out to every socket attached to ``topic`` in every process.

    Call it after the database commit (``transaction.on_commit``) so no client
    hears of a state the database does not hold. Returns the encoded frame.
    """
    frame = encode(event)
    hub = get_hub()
    hub.publish_frame(topic, frame, sync_redis=_sync_client() if hub.redis_url else None)
    return frame
