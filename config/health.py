"""``/healthz``: is this process able to serve? Used by the proxy and by ops.

Each dependency is checked for real: a query, a cache write/read, and a
message sent through the channel layer and received back (through Redis when
``REDIS_URL`` is set, so a broken layer shows up here, not in a live game).
"""

import asyncio
import time
import uuid

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

TIMEOUT_S = 2.0


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    return ok


async def _check_channel_layer():
    layer = get_channel_layer()
    if layer is None:
        return False
    channel = await layer.new_channel("healthz.")
    token = uuid.uuid4().hex
    await layer.send(channel, {"type": "healthz.ping", "token": token})
    message = await layer.receive(channel)
    return message.get("token") == token


async def _timed(name, check):
    started = time.perf_counter()
    try:
        if asyncio.iscoroutinefunction(check):
            ok = await asyncio.wait_for(check(), TIMEOUT_S)
        else:
            ok = await asyncio.wait_for(sync_to_async(check)(), TIMEOUT_S)
        error = "" if ok else "unexpected answer"
    except Exception as exc:  # noqa: BLE001 - any failure means "down", reported by name
        ok, error = False, f"{type(exc).__name__}: {exc}"[:200]
    result = {"ok": bool(ok), "ms": round((time.perf_counter() - started) * 1000, 1)}
    if error:
        result["error"] = error
    return name, result


@never_cache
async def healthz(request):
    checks = await asyncio.gather(
        _timed("database", _check_database),
        _timed("cache", _check_cache),
        _timed("channel_layer", _check_channel_layer),
    )
    body = dict(checks)
    healthy = all(item["ok"] for item in body.values())
    body["status"] = "ok" if healthy else "degraded"
    return JsonResponse(body, status=200 if healthy else 503)
