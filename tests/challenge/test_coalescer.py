"""The big-screen board is published at most once a second however many results arrive."""

import itertools
import threading
import time

from quiz.services import challenge as svc


def test_many_pokes_publish_once_per_interval(monkeypatch):
    published = []
    done = threading.Event()

    def fake_publish(challenge_id):
        published.append((challenge_id, time.monotonic()))
        done.set()

    monkeypatch.setattr(svc, "publish_board", fake_publish)
    monkeypatch.setattr(svc.connection, "close", lambda: None)
    coalescer = svc.BoardCoalescer(interval=0.3)
    for _ in range(200):
        coalescer.poke(7)
    assert done.wait(2)
    time.sleep(0.1)
    assert [cid for cid, _t in published] == [7]
    # Pokes right after a publication wait for the rest of the interval, then publish once more.
    done.clear()
    for _ in range(50):
        coalescer.poke(7)
        coalescer.poke(8)
    assert done.wait(2)
    time.sleep(0.5)
    sevens = [t for cid, t in published if cid == 7]
    assert len(sevens) == 2 and sevens[1] - sevens[0] >= 0.29
    # Per challenge: never two publications within the interval, and a handful for a hundred pokes.
    eights = [t for cid, t in published if cid == 8]
    assert 1 <= len(eights) <= 2 and all(b - a >= 0.29 for a, b in itertools.pairwise(eights))


def test_two_processes_publish_at_most_once_per_interval_together(monkeypatch, redis_url, settings):
    """Each Daphne process has its own coalescer; the Redis slot keeps the screen at one board per interval."""
    from quiz import leaderboard

    settings.REDIS_URL = redis_url
    leaderboard.redis_client.cache_clear()
    published = []
    monkeypatch.setattr(svc, "publish_board", lambda challenge_id: published.append(time.monotonic()))
    monkeypatch.setattr(svc.connection, "close", lambda: None)
    challenge_id = 90_000 + int(time.time()) % 10_000  # a fresh slot key
    first, second = svc.BoardCoalescer(interval=0.4), svc.BoardCoalescer(interval=0.4)
    end = time.monotonic() + 2.0
    while time.monotonic() < end:  # results keep arriving on both processes for two seconds
        first.poke(challenge_id)
        second.poke(challenge_id)
        time.sleep(0.01)
    time.sleep(1.0)  # the last pokes are published
    leaderboard.redis_client.cache_clear()
    gaps = [b - a for a, b in itertools.pairwise(published)]
    assert 3 <= len(published) <= 7, published
    assert all(gap >= 0.39 for gap in gaps), gaps
    assert published[-1] >= end - 0.4  # the final state was published, not dropped
