"""Challenge leaderboards: one interface, a Redis sorted-set backend and a database backend.

The database is the truth: each :class:`~quiz.models.Participant` row holds its counted result (score, elapsed
milliseconds, finish second). A board is one challenge group at one level: the city, a district, a school or a
class. Order: score desc, elapsed asc, earlier finish (the engine's :func:`~quiz.engine.rank`); ties share a rank.

With ``settings.REDIS_URL`` every board is a sorted set of participant ids scored by the engine's
:func:`~quiz.engine.composite_score` with bounds fitted to the challenge (exact below 2**53), so a rank is one
``ZCOUNT``. :func:`rebuild` rewrites a challenge's sets from the database, each into a new key then ``RENAME``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db.models import Q

from .engine import CompositeBounds, Entry, composite_score, rank
from .leaderboard import redis_client

LEVELS = ("city", "district", "school", "class")
_LEVEL_FIELD = {"district": "district_id", "school": "school_id", "class": "school_class_id"}


@dataclass(frozen=True)
class Scope:
    """One board: a challenge group at a level (``city`` with ``org_id`` None, or an organisation's id)."""

    challenge_id: int
    group_id: int
    level: str = "city"
    org_id: int | None = None

    def filter(self) -> Q:
        query = Q(challenge_id=self.challenge_id, group_id=self.group_id, has_result=True)
        if self.level != "city":
            query &= Q(**{_LEVEL_FIELD[self.level]: self.org_id})
        return query


def scopes_of(participant) -> list[Scope]:
    """Every board a participant stands on (levels without an organisation are left out)."""
    out = [Scope(participant.challenge_id, participant.group_id)]
    for level in ("district", "school", "class"):
        org_id = getattr(participant, _LEVEL_FIELD[level])
        if org_id:
            out.append(Scope(participant.challenge_id, participant.group_id, level, org_id))
    return out


@cache
def _bounds_for(max_score: int, max_elapsed_ms: int) -> CompositeBounds:
    return CompositeBounds.fitting(max_score, max_elapsed_ms)


def bounds(challenge_id: int) -> CompositeBounds:
    """Composite bounds of a challenge: its highest full marks and longest paper."""
    from .models import ChallengeGroup

    groups = list(ChallengeGroup.objects.filter(challenge_id=challenge_id).values_list("question_count", "seconds"))
    max_score = max((points_per_question(count) * count for count, _s in groups), default=100)
    max_elapsed = max((seconds for _c, seconds in groups), default=3600) * 1000
    return _bounds_for(max_score, max_elapsed)


def points_per_question(question_count: int) -> int:
    """Points of one question, so that a paper is worth (about) 100: 20 questions -> 5 points each."""
    return max(1, 100 // question_count)


def composite(challenge_id: int, score: int, elapsed_ms: int, finished_s: int, b: CompositeBounds | None = None) -> int:
    b = b or bounds(challenge_id)
    return composite_score(
        min(score, b.max_score), min(elapsed_ms, b.max_elapsed_ms), min(finished_s, b.max_finished_s), b
    )


def _rows(scope: Scope):
    from .models import Participant

    return Participant.objects.filter(scope.filter())


def _entries(scope: Scope) -> list[Entry]:
    rows = _rows(scope).values_list("pk", "score", "elapsed_ms", "finished_s")
    return [Entry(pk, score, elapsed, finished) for pk, score, elapsed, finished in rows]


class DatabaseBoard:
    """Ranks straight from SQL: ``ORDER BY score DESC, elapsed_ms, finished_s``."""

    def record(self, participant) -> None:
        """Nothing to index: the participant row is the board."""

    def record_many(self, participants) -> None:
        """Nothing to index either."""

    def top(self, scope: Scope, n: int) -> list[tuple[int, int]]:
        rows = _rows(scope).order_by("-score", "elapsed_ms", "finished_s", "pk")[:n]
        return [(r.rank, r.entry.key) for r in rank(Entry(p.pk, p.score, p.elapsed_ms, p.finished_s) for p in rows)]

    def rank_of(self, scope: Scope, participant_id: int) -> int | None:
        from .models import Participant

        me = _rows(scope).filter(pk=participant_id).values_list("score", "elapsed_ms", "finished_s").first()
        if me is None:
            return None
        score, elapsed, finished = me
        better = (
            Q(score__gt=score)
            | Q(score=score, elapsed_ms__lt=elapsed)
            | Q(score=score, elapsed_ms=elapsed, finished_s__lt=finished)
        )
        return Participant.objects.filter(scope.filter() & better).count() + 1

    def count(self, scope: Scope) -> int:
        return _rows(scope).count()

    def rebuild(self, challenge_id: int) -> int:
        return 0


def key_prefix(challenge_id: int) -> str:
    prefix = settings.CHANNEL_LAYERS["default"].get("CONFIG", {}).get("prefix", "clearsky")
    return f"{prefix}:board:challenge:{challenge_id}:"


def key_of(scope: Scope) -> str:
    tail = "city" if scope.level == "city" else f"{scope.level}:{scope.org_id}"
    return f"{key_prefix(scope.challenge_id)}g{scope.group_id}:{tail}"


class RedisBoard:
    """Sorted sets of participant ids scored by the composite; a derived index rebuilt from the database."""

    def record(self, participant) -> None:
        self.record_many([participant])

    def record_many(self, participants) -> None:
        """Index these participants' counted results: one round trip to Redis, one bounds query per challenge."""
        known: dict[int, CompositeBounds] = {}
        with redis_client().pipeline(transaction=False) as pipe:
            for p in participants:
                if not p.has_result:
                    continue
                if p.challenge_id not in known:
                    known[p.challenge_id] = bounds(p.challenge_id)
                value = composite(p.challenge_id, p.score, p.elapsed_ms, p.finished_s, known[p.challenge_id])
                for scope in scopes_of(p):
                    pipe.zadd(key_of(scope), {str(p.pk): value})
            pipe.execute()

    def top(self, scope: Scope, n: int) -> list[tuple[int, int]]:
        rows = redis_client().zrevrange(key_of(scope), 0, max(n - 1, 0), withscores=True)
        ranked: list[tuple[int, int]] = []
        for position, (member, value) in enumerate(rows, start=1):
            tied = ranked and value == rows[position - 2][1]
            ranked.append((ranked[-1][0] if tied else position, int(member)))
        return ranked

    def rank_of(self, scope: Scope, participant_id: int) -> int | None:
        client, key = redis_client(), key_of(scope)
        value = client.zscore(key, str(participant_id))
        if value is None:
            return None
        return client.zcount(key, f"({int(value)}", "+inf") + 1

    def count(self, scope: Scope) -> int:
        return redis_client().zcard(key_of(scope))

    def rebuild(self, challenge_id: int) -> int:
        """Rewrite every board of a challenge from the database: each into a staging key, then RENAME."""
        from .models import Participant

        rows = Participant.objects.filter(challenge_id=challenge_id, has_result=True).only(
            "pk", "challenge_id", "group_id", "district_id", "school_id", "school_class_id",
            "score", "elapsed_ms", "finished_s",
        )  # fmt: skip
        boards: dict[str, dict[str, int]] = {}
        for p in rows:
            value = composite(challenge_id, p.score, p.elapsed_ms, p.finished_s)
            for scope in scopes_of(p):
                boards.setdefault(key_of(scope), {})[str(p.pk)] = value
        client = redis_client()
        stale = {k.decode() for k in client.scan_iter(match=key_prefix(challenge_id) + "*", count=1000)}
        for key, members in boards.items():
            staging = key + ":rebuild"
            with client.pipeline(transaction=True) as pipe:
                pipe.delete(staging)
                pipe.zadd(staging, members)
                pipe.rename(staging, key)
                pipe.execute()
            stale.discard(key)
        if stale:
            client.delete(*stale)
        return len(rows)


def get_board() -> DatabaseBoard | RedisBoard:
    """The board backend for the current settings: Redis when ``REDIS_URL`` is set."""
    return RedisBoard() if settings.REDIS_URL else DatabaseBoard()


def record(participant) -> None:
    get_board().record(participant)


def record_many(participants) -> None:
    get_board().record_many(participants)


def top(scope: Scope, n: int = 20) -> list[tuple[int, int]]:
    """The best ``n`` as ``(rank, participant_id)``, best first."""
    return get_board().top(scope, n)


def rank_of(scope: Scope, participant_id: int) -> int | None:
    return get_board().rank_of(scope, participant_id)


def count(scope: Scope) -> int:
    return get_board().count(scope)


def rebuild(challenge_id: int) -> int:
    """Rebuild the Redis boards of a challenge from the database (no-op on the database backend)."""
    return get_board().rebuild(challenge_id)


def expected_ranks(scope: Scope) -> dict[int, int]:
    """The engine's ranks of a board computed from the database, for checks and tests."""
    return {item.entry.key: item.rank for item in rank(_entries(scope))}


def all_scopes(challenge_id: int) -> list[Scope]:
    """Every board of a challenge that has at least one result."""
    from .models import Participant

    found: set[Scope] = set()
    for p in Participant.objects.filter(challenge_id=challenge_id, has_result=True).only(
        "challenge_id", "group_id", "district_id", "school_id", "school_class_id"
    ):
        found.update(scopes_of(p))
    return sorted(found, key=lambda s: (s.group_id, LEVELS.index(s.level), s.org_id or 0))


def matches_database(challenge_id: int) -> bool:
    """Whether every board ranks every participant exactly as the database order does."""
    board = get_board()
    for scope in all_scopes(challenge_id):
        expected = expected_ranks(scope)
        if board.count(scope) != len(expected):
            return False
        if any(board.rank_of(scope, pid) != r for pid, r in expected.items()):
            return False
    return True
