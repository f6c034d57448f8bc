"""The per-process fan-out: one encode, one Redis PUBLISH per event, topic isolation."""

import asyncio
import secrets

import pytest
import redis

from quiz.fanout import FanoutHub, encode


class Socket:
    """Stands for a player's socket: records the frames written to it."""

    def __init__(self):
        self.frames = []
        self.arrived = asyncio.Event()

    async def send(self, frame):
        self.frames.append(frame)
        self.arrived.set()


async def wait_all(sockets, count, timeout=5):
    async def one(sock):
        while len(sock.frames) < count:
            sock.arrived.clear()
            await sock.arrived.wait()

    await asyncio.wait_for(asyncio.gather(*(one(s) for s in sockets)), timeout)


def publish_count(client):
    stats = client.info("commandstats")
    return stats.get("cmdstat_publish", {}).get("calls", 0)


async def test_in_process_delivery_is_per_topic():
    hub = FanoutHub(redis_url=None)
    a1, a2, b1 = Socket(), Socket(), Socket()
    await hub.attach("game:1", a1.send)
    await hub.attach("game:1", a2.send)
    await hub.attach("game:2", b1.send)
    frame = encode({"type": "question", "text": "海洛因属于哪类毒品？"})
    hub.publish_frame("game:1", frame)
    await wait_all([a1, a2], 1)
    assert a1.frames == a2.frames == [frame]
    assert a1.frames[0] is a2.frames[0]  # the very same encoded string, not one encode per socket
    await asyncio.sleep(0.05)
    assert b1.frames == []
    await hub.detach("game:1", a1.send)
    hub.publish_frame("game:1", frame)
    await wait_all([a2], 2)
    assert len(a1.frames) == 1
    await hub.close()


async def test_failing_socket_is_dropped_and_others_still_receive():
    hub = FanoutHub(redis_url=None)
    good = Socket()

    async def broken(frame):
        raise ConnectionError("socket gone")

    await hub.attach("game:9", broken)
    await hub.attach("game:9", good.send)
    assert await hub.deliver("game:9", "{}") == 1
    assert good.frames == ["{}"] and hub.local_count("game:9") == 1
    await hub.close()


@pytest.mark.redis
async def test_two_processes_one_publish_per_event(redis_url):
    prefix = "fanout-test-" + secrets.token_hex(4)
    # Two hubs with their own subscriber connections stand for two Daphne processes.
    first, second = FanoutHub(redis_url, prefix=prefix), FanoutHub(redis_url, prefix=prefix)
    players_first = [Socket() for _ in range(30)]
    players_second = [Socket() for _ in range(20)]
    other_game = Socket()
    for sock in players_first:
        await first.attach("game:7", sock.send)
    for sock in players_second:
        await second.attach("game:7", sock.send)
    await second.attach("game:8", other_game.send)
    await asyncio.sleep(0.2)  # subscriptions settle

    client = redis.Redis.from_url(redis_url)
    before = publish_count(client)
    events = [{"type": "question", "index": i, "text": f"第{i}题"} for i in range(3)]
    for event in events:
        first.publish_frame("game:7", encode(event), sync_redis=client)
    await wait_all(players_first + players_second, 3)
    assert publish_count(client) - before == 3  # one PUBLISH per event, not per player

    expected = [encode(e) for e in events]
    for sock in players_first + players_second:
        assert sock.frames == expected  # every socket, in order
    await asyncio.sleep(0.1)
    assert other_game.frames == []  # games never see each other's events

    await first.close()
    await second.close()
    client.close()
