"""Real Daphne processes, real WebSocket clients (the ``websockets`` library)."""

import asyncio
import json
import secrets
import urllib.request

import pytest
import websockets
from websockets.exceptions import InvalidStatus

pytestmark = pytest.mark.integration


async def recv_json(ws, timeout=10):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


def test_daphne_serves_http_health_and_home(daphne_server):
    with urllib.request.urlopen(daphne_server.url + "/healthz", timeout=10) as response:
        body = json.load(response)
    assert response.status == 200 and body["status"] == "ok"
    assert all(body[name]["ok"] for name in ("database", "cache", "channel_layer"))
    with urllib.request.urlopen(daphne_server.url + "/", timeout=10) as response:
        html = response.read().decode()
    assert "珍爱生命" in html


def test_static_files_are_served_by_whitenoise(daphne_server):
    with urllib.request.urlopen(daphne_server.url + "/static/css/site.css", timeout=10) as response:
        assert response.status == 200
        assert "text/css" in response.headers["Content-Type"]
        assert b"--blue" in response.read()


async def test_websocket_round_trip(daphne_server):
    async with websockets.connect(daphne_server.ws_url + "/ws/ping/", origin=daphne_server.url) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        pong = await recv_json(ws)
        assert pong["type"] == "pong" and pong["server_time"] > 0
        await ws.send("not json")
        error = await recv_json(ws)
        assert error == {"type": "error", "code": "unknown_type", "message": "未知的消息类型。"}


async def test_oversized_frame_is_refused(daphne_server):
    async with websockets.connect(daphne_server.ws_url + "/ws/ping/", origin=daphne_server.url) as ws:
        await ws.send(json.dumps({"type": "ping", "pad": "x" * 17_000}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 10)
    assert closed.value.rcvd.code == 4009


async def test_cross_origin_handshake_is_rejected(daphne_server):
    with pytest.raises(InvalidStatus) as rejected:
        async with websockets.connect(daphne_server.ws_url + "/ws/ping/", origin="http://evil.example"):
            pass
    assert rejected.value.response.status_code == 403


@pytest.mark.redis
async def test_two_daphne_processes_share_the_redis_channel_layer(daphne_factory, redis_url):
    first = daphne_factory(redis_url=redis_url, name="daphne-a")
    second = daphne_factory(redis_url=redis_url, name="daphne-b")
    room = secrets.token_hex(12)
    async with (
        websockets.connect(first.ws_url + "/ws/ping/", origin=first.url) as listener,
        websockets.connect(second.ws_url + "/ws/ping/", origin=second.url) as sender,
    ):
        await listener.send(json.dumps({"type": "subscribe", "room": room}))
        subscribed = await recv_json(listener)
        await sender.send(json.dumps({"type": "ping"}))
        sender_pid = (await recv_json(sender))["pid"]
        assert subscribed["pid"] != sender_pid  # two different processes

        await sender.send(json.dumps({"type": "relay", "room": room, "text": "你好，另一个进程"}))
        relayed = await recv_json(listener)
    assert relayed["text"] == "你好，另一个进程"
    assert relayed["origin_pid"] == sender_pid
    assert relayed["pid"] == subscribed["pid"]


@pytest.mark.redis
async def test_fanout_reaches_watchers_in_two_processes_with_one_publish(daphne_factory, redis_url):
    import os

    import redis.asyncio as aioredis

    first = daphne_factory(redis_url=redis_url, name="daphne-fan-a")
    second = daphne_factory(redis_url=redis_url, name="daphne-fan-b")
    room = secrets.token_hex(12)
    async with (
        websockets.connect(first.ws_url + "/ws/ping/", origin=first.url) as one,
        websockets.connect(second.ws_url + "/ws/ping/", origin=second.url) as two,
    ):
        for ws in (one, two):
            await ws.send(json.dumps({"type": "watch", "room": room}))
            assert (await recv_json(ws))["type"] == "watching"
        client = aioredis.Redis.from_url(redis_url)
        # The Daphne processes inherit this run's prefix (config/settings/test.py).
        channel = f"clearsky-test-{os.environ['CLEARSKY_TEST_RUN']}:fanout:diag:{room}"
        receivers = await client.publish(channel, '{"type":"question","index":0}')
        await client.aclose()
        assert receivers == 2  # one subscriber connection per process, not one per socket
        assert await recv_json(one) == await recv_json(two) == {"type": "question", "index": 0}
