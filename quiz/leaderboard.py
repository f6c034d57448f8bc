"""Live-game leaderboards: Redis sorted sets when ``REDIS_URL`` is set, the database otherwise.

The database (``Player.score`` / ``Player.elapsed_ms``) is the truth; the Redis
sorted set is a derived index, updated on every accepted answer and rebuilt
from the database by :func:`rebuild_game`. Both backends answer the same two
questions with the engine's ordering (score desc, then total time asc; ties
share a rank: 1, 2, 2, 4): the top N, and the ranks of a batch of players.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from .engine import CompositeBounds, Entry, composite_score, rank

# A live game: up to 1,000,000 points and 10 hours of summed answer time; no finish key.
LIVE_BOUNDS = CompositeBounds(max_score=1_000_000, max_elapsed_ms=36_000_000, max_finished_s=0)


def live_composite(score: int, elapsed_ms: int) -> int:
    return composite_score(max(score, 0), min(elapsed_ms, LIVE_BOUNDS.max_elapsed_ms), 0, LIVE_BOUNDS)


@cache
def redis_client():
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5, health_check_interval=30)


def _key(game_id: int) -> str:
    prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "clearsky")
    return f"{prefix}:board:game:{game_id}"


def uses_redis() -> bool:
    return bool(settings.REDIS_URL)


def record(game_id: int, player_id: int, score: int, elapsed_ms: int) -> None:
    """Update the derived index after the database row changed (no-op without Redis)."""
    if uses_redis():
        redis_client().zadd(_key(game_id), {str(player_id): live_composite(score, elapsed_ms)})


def record_many(game_id: int, standings: list[tuple[int, int, int]]) -> None:
    """``record`` for a batch of ``(player_id, score, elapsed_ms)``: one ZADD for all of them."""
    if uses_redis() and standings:
        values = {str(pid): live_composite(score, elapsed) for pid, score, elapsed in standings}
        redis_client().zadd(_key(game_id), values)


def remove(game_id: int, player_id: int) -> None:
    if uses_redis():
        redis_client().zrem(_key(game_id), str(player_id))


def _db_entries(game_id: int) -> list[Entry]:
    from .models import Player

    rows = Player.objects.filter(game_id=game_id, kicked=False).values_list("pk", "score", "elapsed_ms")
    return [Entry(pk, max(score, 0), elapsed, 0) for pk, score, elapsed in rows]


def top(game_id: int, n: int) -> list[tuple[int, int]]:
    """The best ``n`` players as ``(rank, player_id)``, best first."""
    if uses_redis():
        rows = redis_client().zrevrange(_key(game_id), 0, max(n - 1, 0), withscores=True)
        ranked: list[tuple[int, int]] = []
        for position, (member, composite) in enumerate(rows, start=1):
            # The window starts at the top, so a tie with the previous row shares its rank.
            tied = ranked and composite == rows[position - 2][1]
            ranked.append((ranked[-1][0] if tied else position, int(member)))
        return ranked
    return [(item.rank, item.entry.key) for item in rank(_db_entries(game_id))[:n]]


def ranks(game_id: int, player_ids: list[int]) -> dict[int, int]:
    """Competition ranks of the given players (one round trip for the whole batch)."""
    if not player_ids:
        return {}
    if uses_redis():
        client, key = redis_client(), _key(game_id)
        with client.pipeline(transaction=False) as pipe:
            for player_id in player_ids:
                pipe.zscore(key, str(player_id))
            scores = pipe.execute()
        with client.pipeline(transaction=False) as pipe:
            for composite in scores:
                pipe.zcount(key, f"({int(composite)}" if composite is not None else "-inf", "+inf")
            counts = pipe.execute()
        return {
            pid: count + 1
            for pid, composite, count in zip(player_ids, scores, counts, strict=True)
            if composite is not None
        }
    wanted = set(player_ids)
    return {item.entry.key: item.rank for item in rank(_db_entries(game_id)) if item.entry.key in wanted}


def player_count(game_id: int) -> int:
    if uses_redis():
        return redis_client().zcard(_key(game_id))
    from .models import Player

    return Player.objects.filter(game_id=game_id, kicked=False).count()


def rebuild_game(game_id: int) -> int:
    """Rebuild the Redis index of one game from the database, atomically (new key, then RENAME)."""
    if not uses_redis():
        return 0
    entries = _db_entries(game_id)
    client, key = redis_client(), _key(game_id)
    staging = key + ":rebuild"
    with client.pipeline(transaction=True) as pipe:
        pipe.delete(staging)
        if entries:
            pipe.zadd(staging, {str(e.key): live_composite(e.score, e.elapsed_ms) for e in entries})
            pipe.rename(staging, key)
        else:
            pipe.delete(key)
        pipe.execute()
    return len(entries)


def matches_database(game_id: int) -> bool:
    """Whether the Redis index orders and ranks every player exactly as the database does."""
    if not uses_redis():
        return True
    expected = {item.entry.key: item.rank for item in rank(_db_entries(game_id))}
    return ranks(game_id, list(expected)) == expected and player_count(game_id) == len(expected)
