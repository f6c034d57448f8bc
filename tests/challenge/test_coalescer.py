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
