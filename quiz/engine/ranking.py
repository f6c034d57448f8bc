"""Leaderboard order: score descending, then total elapsed time ascending, then earlier finish.

Entries carry their times already at ranking resolution (``elapsed_ms`` in milliseconds, ``finished_s`` in whole
seconds since the contest's epoch; see :func:`quiz.engine.timing.to_ms` and
:func:`quiz.engine.timing.seconds_since`). Entries equal on all three share a rank, and the next rank skips
(competition ranking: 1, 2, 2, 4).

:func:`composite_score` packs the three keys into one integer that sorts exactly like :func:`rank` (higher is
better) and stays below 2**53, so a Redis sorted set (whose scores are doubles) holds it exactly:
``ZADD board <composite> <member>``; ``ZREVRANGE`` lists the board; a member's competition rank is
``1 + ZCOUNT board (<composite> +inf``. The bounds that make this exact are a :class:`CompositeBounds`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

__all__ = [
    "DEFAULT_BOUNDS",
    "EXACT_LIMIT",
    "CompositeBounds",
    "Entry",
    "RankedEntry",
    "composite_score",
    "decode_composite",
    "rank",
    "rank_key",
]

EXACT_LIMIT = 2**53  # every integer below this is exactly representable as an IEEE-754 double (Redis score)


@dataclass(frozen=True)
class Entry:
    """One participant's (or attempt's) result, at ranking resolution."""

    key: Hashable
    score: int
    elapsed_ms: int
    finished_s: int


@dataclass(frozen=True)
class RankedEntry:
    """An entry with its competition rank (1-based)."""

    rank: int
    entry: Entry


def rank_key(entry: Entry) -> tuple[int, int, int]:
    """Return the sort key of ``entry``: smaller is better, equal keys are ties."""
    return (-entry.score, entry.elapsed_ms, entry.finished_s)


def rank(entries: Iterable[Entry]) -> list[RankedEntry]:
    """Return ``entries`` best first with competition ranks (1, 2, 2, 4); tied entries keep their input order."""
    ordered = sorted(entries, key=rank_key)
    ranked: list[RankedEntry] = []
    for position, entry in enumerate(ordered, start=1):
        tied_with_previous = ranked and rank_key(ranked[-1].entry) == rank_key(entry)
        ranked.append(RankedEntry(ranked[-1].rank if tied_with_previous else position, entry))
    return ranked


@dataclass(frozen=True)
class CompositeBounds:
    """Inclusive upper bounds for :func:`composite_score`; all values start at 0.

    ``(max_score + 1) * (max_elapsed_ms + 1) * (max_finished_s + 1)`` must not exceed 2**53, so generous bounds on
    one key cost range on another. :data:`DEFAULT_BOUNDS` suits a live game (score <= 100000, elapsed <= 1 hour,
    finish within 24000 s = 6 h 40 min of the epoch); a weeks-long challenge with scores out of 100 uses
    :meth:`fitting`, e.g. ``CompositeBounds.fitting(max_score=100, max_elapsed_ms=3_600_000)`` (about 286 days).
    """

    max_score: int = 100_000
    max_elapsed_ms: int = 3_600_000
    max_finished_s: int = 24_000

    def __post_init__(self) -> None:
        if min(self.max_score, self.max_elapsed_ms, self.max_finished_s) < 0:
            raise ValueError("composite bounds cannot be negative")
        if (self.max_score + 1) * (self.max_elapsed_ms + 1) * (self.max_finished_s + 1) > EXACT_LIMIT:
            raise ValueError(f"{self} does not fit below 2**53; lower one of the bounds")

    @classmethod
    def fitting(cls, max_score: int, max_elapsed_ms: int) -> CompositeBounds:
        """Return bounds with the given score and elapsed limits and the longest finish range that still fits."""
        return cls(max_score, max_elapsed_ms, EXACT_LIMIT // ((max_score + 1) * (max_elapsed_ms + 1)) - 1)


DEFAULT_BOUNDS = CompositeBounds()


def _check(name: str, value: int, upper: int) -> None:
    if not isinstance(value, int) or not 0 <= value <= upper:
        raise ValueError(f"{name} must be an integer in [0, {upper}], got {value!r}")


def composite_score(score: int, elapsed_ms: int, finished_s: int, bounds: CompositeBounds = DEFAULT_BOUNDS) -> int:
    """Pack a result into one integer < 2**53 that orders like :func:`rank` (higher is better).

    Mixed-radix number: score is the most significant digit, then time left (``max_elapsed_ms - elapsed_ms``),
    then finish earliness (``max_finished_s - finished_s``). Equal composites mean a tie on all three keys.
    Raises ``ValueError`` when a value lies outside ``bounds`` (including negative scores).
    """
    _check("score", score, bounds.max_score)
    _check("elapsed_ms", elapsed_ms, bounds.max_elapsed_ms)
    _check("finished_s", finished_s, bounds.max_finished_s)
    elapsed_radix, finish_radix = bounds.max_elapsed_ms + 1, bounds.max_finished_s + 1
    return (score * elapsed_radix + (bounds.max_elapsed_ms - elapsed_ms)) * finish_radix + (
        bounds.max_finished_s - finished_s
    )


def decode_composite(composite: int | float, bounds: CompositeBounds = DEFAULT_BOUNDS) -> tuple[int, int, int]:
    """Return ``(score, elapsed_ms, finished_s)`` from a composite (Redis returns it as a float)."""
    value = int(composite)
    if value != composite or not 0 <= value < (bounds.max_score + 1) * (bounds.max_elapsed_ms + 1) * (
        bounds.max_finished_s + 1
    ):
        raise ValueError(f"{composite!r} is not a composite score under {bounds}")
    rest, finish_left = divmod(value, bounds.max_finished_s + 1)
    score, elapsed_left = divmod(rest, bounds.max_elapsed_ms + 1)
    return score, bounds.max_elapsed_ms - elapsed_left, bounds.max_finished_s - finish_left
