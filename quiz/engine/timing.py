"""Deadlines and elapsed time, always from server timestamps.

Every timestamp here is a POSIX time in seconds (``float``) taken by the server: when a question or paper
opened (``opens_at``) and when the server received an answer (``answered_at``). A time reported by the client is
never an input, because a client can lie about it; the worst a slow network can do is make an answer late.

Rankings compare times at fixed resolutions (milliseconds for elapsed time, whole seconds for the finish time),
so that an in-memory ranking and a Redis sorted set (see :mod:`quiz.engine.ranking`) agree on what a tie is.
:func:`to_ms` and :func:`seconds_since` are the only conversions to those resolutions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = [
    "TimeLimits",
    "answer_deadline",
    "deadline",
    "elapsed",
    "is_late",
    "remaining",
    "seconds_since",
    "to_ms",
]


def _check_limit(limit: float | None, name: str) -> None:
    if limit is not None and not limit > 0:
        raise ValueError(f"{name} must be a positive number of seconds or None, got {limit!r}")


@dataclass(frozen=True)
class TimeLimits:
    """Time allowed per question and per paper, in seconds; ``None`` means no limit of that kind."""

    per_question: float | None = None
    per_paper: float | None = None

    def __post_init__(self) -> None:
        _check_limit(self.per_question, "per_question")
        _check_limit(self.per_paper, "per_paper")


def deadline(opens_at: float, limit: float | None) -> float | None:
    """Return the last instant an answer is on time: ``opens_at + limit``, or ``None`` without a limit."""
    _check_limit(limit, "limit")
    return None if limit is None else opens_at + limit


def answer_deadline(
    question_opens_at: float, question_limit: float | None, paper_deadline: float | None = None
) -> float | None:
    """Return the deadline of one answer: the earlier of the question's own deadline and the paper's.

    A paper-wide limit can cut a question short: with 10 seconds of the paper left, a 30-second question still
    closes when the paper does.
    """
    candidates = [d for d in (deadline(question_opens_at, question_limit), paper_deadline) if d is not None]
    return min(candidates) if candidates else None


def elapsed(opens_at: float, at: float) -> float:
    """Return the seconds from ``opens_at`` to ``at``, both server timestamps.

    Raises ``ValueError`` when ``at`` precedes ``opens_at``: that means the caller mixed up timestamps, and a
    negative time would otherwise earn the fastest possible score.
    """
    if at < opens_at:
        raise ValueError(f"timestamp {at!r} precedes opens_at {opens_at!r}")
    return at - opens_at


def is_late(answered_at: float, deadline: float | None) -> bool:
    """Return whether an answer received at ``answered_at`` missed ``deadline``.

    An answer exactly at the deadline is on time (it earns the minimum speed points); no deadline, never late.
    """
    return deadline is not None and answered_at > deadline


def remaining(now: float, deadline: float | None) -> float | None:
    """Return the seconds left until ``deadline`` (never negative), or ``None`` when there is no deadline."""
    return None if deadline is None else max(0.0, deadline - now)


def to_ms(seconds: float) -> int:
    """Return ``seconds`` as whole milliseconds, rounded to the nearest (the resolution rankings compare)."""
    if seconds < 0:
        raise ValueError(f"a duration cannot be negative, got {seconds!r}")
    # Round rather than truncate: 1.001 s is 1000.9999999999999 ms in binary floating point.
    return round(seconds * 1000)


def seconds_since(epoch: float, ts: float) -> int:
    """Return the whole seconds from ``epoch`` (e.g. a contest's start) to ``ts``, truncated.

    Finish times are ranked by the second they fall in; ``ts`` before ``epoch`` raises ``ValueError``.
    """
    return math.floor(elapsed(epoch, ts))
