"""Contest rules: kind, window, attempts per day, which attempt counts, pass/excellent levels, audiences.

Days are local calendar days: a city contest's "one scored attempt per day" resets at local midnight, not at
UTC midnight. China has one time zone without daylight saving (Asia/Shanghai, UTC+08:00), so a fixed
``utc_offset_seconds`` is exact and keeps the engine free of time-zone databases.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from .ranking import Entry, rank_key
from .scoring import ScoringRules
from .timing import TimeLimits

__all__ = [
    "BANDS",
    "GROUPS",
    "GROUP_OF_BAND",
    "SHANGHAI_OFFSET",
    "ContestKind",
    "ContestRules",
    "CountedAttempt",
    "Level",
    "StartCheck",
    "attempts_on_day",
    "can_start_attempt",
    "counted_attempt",
    "day_of",
    "level",
]

# Audience bands of a question (who it is written for) and the groups a contest ranks separately.
BANDS: tuple[str, ...] = ("小学", "初中", "高中职高", "大学", "社会")
GROUPS: tuple[str, ...] = ("小学", "初中", "高中/职高", "大学", "社会")
GROUP_OF_BAND: dict[str, str] = dict(zip(BANDS, GROUPS, strict=True))

SHANGHAI_OFFSET = 8 * 3600  # UTC+08:00, no daylight saving
SECONDS_PER_DAY = 86_400


class ContestKind(StrEnum):
    """A live class game (host-driven, everyone on the same question) or a self-paced challenge."""

    LIVE_GAME = "live_game"
    CHALLENGE = "challenge"


class CountedAttempt(StrEnum):
    """Which of a participant's attempts stands on the leaderboard."""

    BEST = "best"
    LATEST = "latest"


class Level(StrEnum):
    """Result level against the pass and excellent thresholds."""

    FAIL = "fail"
    PASS = "pass"  # noqa: S105 - a result level, not a password
    EXCELLENT = "excellent"


class StartCheck(StrEnum):
    """Reason codes of :func:`can_start_attempt`; services map them to Chinese messages."""

    OK = "ok"
    NOT_OPEN_YET = "not_open_yet"
    CLOSED = "closed"
    DAILY_LIMIT = "daily_limit"


def level(
    score: float, full_marks: int, pass_percent: int | Fraction = 60, excellent_percent: int | Fraction = 90
) -> Level:
    """Return the level of ``score`` out of ``full_marks``: ``score >= pass_percent% of full_marks`` passes.

    Compared as exact fractions, so 60 of 100 passes at 60% (no float rounding at the boundary).
    """
    if full_marks <= 0:
        raise ValueError(f"full_marks must be positive, got {full_marks!r}")
    ratio = Fraction(score) / full_marks
    if ratio * 100 >= Fraction(excellent_percent):
        return Level.EXCELLENT
    if ratio * 100 >= Fraction(pass_percent):
        return Level.PASS
    return Level.FAIL


def day_of(ts: float, utc_offset_seconds: int = SHANGHAI_OFFSET) -> int:
    """Return the local calendar day of POSIX time ``ts`` as a day number (days since 1970-01-01 local)."""
    return int((ts + utc_offset_seconds) // SECONDS_PER_DAY)


def attempts_on_day(started_at: Iterable[float], now: float, utc_offset_seconds: int = SHANGHAI_OFFSET) -> int:
    """Count the attempts (by their start times) that began on the same local day as ``now``."""
    today = day_of(now, utc_offset_seconds)
    return sum(1 for ts in started_at if day_of(ts, utc_offset_seconds) == today)


@dataclass(frozen=True)
class ContestRules:
    """Everything that decides who may play when, and what a result is worth; plain data.

    ``starts_at``/``ends_at`` are POSIX times (``None`` = open-ended); the window is ``[starts_at, ends_at)``.
    ``attempts_per_day`` counts scored attempts per local day (``None`` = unlimited); practice is not an attempt.
    ``bands`` are the question audiences the contest draws from; ``groups`` the groups it ranks separately.
    """

    kind: ContestKind = ContestKind.CHALLENGE
    starts_at: float | None = None
    ends_at: float | None = None
    attempts_per_day: int | None = 1
    counts: CountedAttempt = CountedAttempt.BEST
    pass_percent: int | Fraction = 60
    excellent_percent: int | Fraction = 90
    bands: tuple[str, ...] = BANDS
    groups: tuple[str, ...] = GROUPS
    utc_offset_seconds: int = SHANGHAI_OFFSET
    limits: TimeLimits = field(default_factory=TimeLimits)
    scoring: ScoringRules = field(default_factory=ScoringRules)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ContestKind(self.kind))
        object.__setattr__(self, "counts", CountedAttempt(self.counts))
        object.__setattr__(self, "bands", tuple(self.bands))
        object.__setattr__(self, "groups", tuple(self.groups))
        if self.starts_at is not None and self.ends_at is not None and self.ends_at <= self.starts_at:
            raise ValueError("the contest window must end after it starts")
        if self.attempts_per_day is not None and self.attempts_per_day < 1:
            raise ValueError("attempts_per_day must be at least 1, or None for unlimited")
        if not 0 < Fraction(self.pass_percent) <= Fraction(self.excellent_percent) <= 100:
            raise ValueError("thresholds must satisfy 0 < pass_percent <= excellent_percent <= 100")
        if unknown := set(self.bands) - set(BANDS):
            raise ValueError(f"unknown audience bands {sorted(unknown)}; expected some of {BANDS}")
        if unknown := set(self.groups) - set(GROUPS):
            raise ValueError(f"unknown groups {sorted(unknown)}; expected some of {GROUPS}")
        if abs(self.utc_offset_seconds) > 14 * 3600:
            raise ValueError("utc_offset_seconds must be within ±14 hours")

    def level(self, score: float, full_marks: int) -> Level:
        """:func:`level` with this contest's thresholds."""
        return level(score, full_marks, self.pass_percent, self.excellent_percent)

    def day_of(self, ts: float) -> int:
        """:func:`day_of` in this contest's time zone."""
        return day_of(ts, self.utc_offset_seconds)


def can_start_attempt(rules: ContestRules, now: float, attempts_today: int) -> tuple[bool, StartCheck]:
    """Return whether a participant may start a scored attempt at ``now``, and the reason code.

    ``attempts_today`` is the number of scored attempts already started on ``now``'s local day (see
    :func:`attempts_on_day`). The window is checked first, so a closed contest says "closed", not "daily limit".
    """
    if rules.starts_at is not None and now < rules.starts_at:
        return False, StartCheck.NOT_OPEN_YET
    if rules.ends_at is not None and now >= rules.ends_at:
        return False, StartCheck.CLOSED
    if rules.attempts_per_day is not None and attempts_today >= rules.attempts_per_day:
        return False, StartCheck.DAILY_LIMIT
    return True, StartCheck.OK


def counted_attempt(attempts: Sequence[Entry], counts: CountedAttempt = CountedAttempt.BEST) -> Entry | None:
    """Return the finished attempt that stands for a participant, or ``None`` when there is none.

    ``BEST`` picks the attempt that ranks highest (score, then time, then earlier finish; on a full tie the
    earlier one in ``attempts``). ``LATEST`` picks the one finished last (on the same second, the later one in
    ``attempts``, which services pass in start order).
    """
    if not attempts:
        return None
    if CountedAttempt(counts) is CountedAttempt.BEST:
        return min(attempts, key=rank_key)
    # max() keeps the first of equal keys; scan reversed so the last of equal finish times wins.
    return max(reversed(attempts), key=lambda a: a.finished_s)
