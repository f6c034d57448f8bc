"""Contest rules: windows, daily attempts across local midnight, counted attempt, levels, audiences."""

from datetime import datetime, timedelta, timezone
from fractions import Fraction

import pytest

from quiz.engine import (
    BANDS,
    GROUP_OF_BAND,
    GROUPS,
    ContestKind,
    ContestRules,
    CountedAttempt,
    Entry,
    Level,
    StartCheck,
    attempts_on_day,
    can_start_attempt,
    counted_attempt,
    day_of,
    level,
)

CST = timezone(timedelta(hours=8))  # Asia/Shanghai


def ts(*args):
    """POSIX time of a wall-clock moment in Shanghai."""
    return datetime(*args, tzinfo=CST).timestamp()


class TestLevel:
    @pytest.mark.parametrize(
        ("score", "expected"),
        [(0, "fail"), (59, "fail"), (60, "pass"), (89, "pass"), (90, "excellent"), (100, "excellent")],
    )
    def test_default_thresholds_are_60_and_90_percent(self, score, expected):
        assert level(score, 100) == expected

    def test_thresholds_are_fractions_of_the_paper_full_marks(self):
        # 20 questions x 5 points, and a live game's 10 x 1000
        assert level(59, 100) is Level.FAIL
        assert level(5999, 10_000) is Level.FAIL
        assert level(6000, 10_000) is Level.PASS
        assert level(27, 30) is Level.EXCELLENT  # exactly 90%, no float rounding at the edge
        assert level(18, 30) is Level.PASS  # exactly 60%

    def test_contest_thresholds_are_settings(self):
        rules = ContestRules(pass_percent=Fraction(125, 2), excellent_percent=95)
        assert rules.level(62, 100) is Level.FAIL
        assert rules.level(62.5, 100) is Level.PASS
        assert rules.level(95, 100) is Level.EXCELLENT

    def test_full_marks_must_be_positive(self):
        with pytest.raises(ValueError):
            level(0, 0)


class TestDailyAttempts:
    rules = ContestRules(attempts_per_day=1)

    def test_day_is_the_local_calendar_day_in_shanghai(self):
        assert day_of(ts(2026, 11, 26, 23, 59, 59)) + 1 == day_of(ts(2026, 11, 27, 0, 0, 0))
        # UTC midnight is 08:00 in Shanghai and changes nothing
        assert day_of(ts(2026, 11, 27, 7, 59)) == day_of(ts(2026, 11, 27, 8, 1))

    def test_limit_resets_at_local_midnight_not_utc_midnight(self):
        started = [ts(2026, 11, 26, 23, 58)]
        before_midnight = ts(2026, 11, 26, 23, 59, 59)
        after_midnight = ts(2026, 11, 27, 0, 0, 1)
        assert can_start_attempt(self.rules, before_midnight, attempts_on_day(started, before_midnight)) == (
            False,
            StartCheck.DAILY_LIMIT,
        )
        assert can_start_attempt(self.rules, after_midnight, attempts_on_day(started, after_midnight)) == (
            True,
            StartCheck.OK,
        )

    def test_an_attempt_at_0730_local_still_counts_at_0830_local(self):
        started = [ts(2026, 11, 27, 7, 30)]  # 23:30 UTC the day before
        now = ts(2026, 11, 27, 8, 30)  # 00:30 UTC
        assert attempts_on_day(started, now) == 1
        assert can_start_attempt(self.rules, now, 1) == (False, "daily_limit")

    def test_other_offsets_and_unlimited_attempts(self):
        utc_rules = ContestRules(utc_offset_seconds=0, attempts_per_day=None)
        assert utc_rules.day_of(ts(2026, 11, 27, 7, 30)) == utc_rules.day_of(ts(2026, 11, 26, 9, 0))
        assert can_start_attempt(utc_rules, ts(2026, 11, 27), 50) == (True, StartCheck.OK)

    def test_three_attempts_a_day(self):
        rules = ContestRules(attempts_per_day=3)
        assert can_start_attempt(rules, 0, 2) == (True, StartCheck.OK)
        assert can_start_attempt(rules, 0, 3) == (False, StartCheck.DAILY_LIMIT)


class TestWindow:
    rules = ContestRules(starts_at=ts(2026, 10, 21), ends_at=ts(2026, 11, 21), attempts_per_day=1)

    def test_the_window_is_start_inclusive_end_exclusive(self):
        assert can_start_attempt(self.rules, ts(2026, 10, 20, 23, 59), 0) == (False, StartCheck.NOT_OPEN_YET)
        assert can_start_attempt(self.rules, ts(2026, 10, 21), 0) == (True, StartCheck.OK)
        assert can_start_attempt(self.rules, ts(2026, 11, 21), 0) == (False, StartCheck.CLOSED)

    def test_closed_wins_over_daily_limit(self):
        assert can_start_attempt(self.rules, ts(2026, 12, 1), 5) == (False, StartCheck.CLOSED)


class TestCountedAttempt:
    attempts = [
        Entry("first", 80, 300_000, 100),
        Entry("best", 90, 400_000, 200),
        Entry("last", 70, 100_000, 300),
    ]

    def test_best_and_latest(self):
        assert counted_attempt(self.attempts, CountedAttempt.BEST).key == "best"
        assert counted_attempt(self.attempts, CountedAttempt.LATEST).key == "last"
        assert counted_attempt(self.attempts, "latest").key == "last"

    def test_best_breaks_score_ties_by_time_then_finish(self):
        attempts = [Entry("a", 90, 50_000, 10), Entry("b", 90, 40_000, 20), Entry("c", 90, 40_000, 30)]
        assert counted_attempt(attempts).key == "b"

    def test_full_ties_keep_the_earlier_for_best_and_the_later_for_latest(self):
        attempts = [Entry("a", 90, 40_000, 10), Entry("b", 90, 40_000, 10)]
        assert counted_attempt(attempts, CountedAttempt.BEST).key == "a"
        assert counted_attempt(attempts, CountedAttempt.LATEST).key == "b"

    def test_no_attempts(self):
        assert counted_attempt([]) is None


class TestContestRules:
    def test_defaults(self):
        rules = ContestRules()
        assert (rules.kind, rules.counts, rules.attempts_per_day) == (ContestKind.CHALLENGE, "best", 1)
        assert (rules.pass_percent, rules.excellent_percent) == (60, 90)
        assert rules.bands == BANDS and rules.groups == GROUPS

    def test_bands_map_to_groups(self):
        assert GROUP_OF_BAND["高中职高"] == "高中/职高"
        assert list(GROUP_OF_BAND) == list(BANDS)

    @pytest.mark.parametrize(
        "bad",
        [
            {"starts_at": 10, "ends_at": 10},
            {"attempts_per_day": 0},
            {"pass_percent": 95, "excellent_percent": 90},
            {"pass_percent": 0},
            {"bands": ("高中/职高",)},  # a group name is not a band
            {"groups": ("高中",)},
            {"kind": "exam"},
            {"utc_offset_seconds": 15 * 3600},
        ],
    )
    def test_invalid_rules_are_refused(self, bad):
        with pytest.raises(ValueError):
            ContestRules(**bad)
