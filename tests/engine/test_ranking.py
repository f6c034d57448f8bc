"""Ranking order, competition ranks and the Redis composite score."""

import pytest

from quiz.engine import (
    DEFAULT_BOUNDS,
    CompositeBounds,
    Entry,
    composite_score,
    decode_composite,
    rank,
)
from quiz.engine.ranking import EXACT_LIMIT


def test_score_first_then_shorter_time_then_earlier_finish():
    entries = [
        Entry("slow", 90, 50_000, 10),
        Entry("late", 90, 40_000, 20),
        Entry("top", 100, 90_000, 30),
        Entry("early", 90, 40_000, 15),
    ]
    assert [r.entry.key for r in rank(entries)] == ["top", "early", "late", "slow"]
    assert [r.rank for r in rank(entries)] == [1, 2, 3, 4]


def test_ties_on_all_three_keys_share_a_rank_and_the_next_rank_skips():
    entries = [
        Entry("d", 70, 1000, 5),
        Entry("b", 80, 1000, 5),
        Entry("a", 100, 1000, 5),
        Entry("c", 80, 1000, 5),
    ]
    ranked = rank(entries)
    assert [(r.rank, r.entry.key) for r in ranked] == [(1, "a"), (2, "b"), (2, "c"), (4, "d")]


def test_rank_of_nothing_is_empty():
    assert rank([]) == []


def test_composite_is_a_mixed_radix_number_hand_computed():
    bounds = CompositeBounds(max_score=10, max_elapsed_ms=99, max_finished_s=9)
    # (3 * 100 + (99 - 20)) * 10 + (9 - 4)
    assert composite_score(3, 20, 4, bounds) == 3795
    assert decode_composite(3795, bounds) == (3, 20, 4)
    assert decode_composite(3795.0, bounds) == (3, 20, 4)  # Redis hands scores back as floats


def test_composite_orders_like_rank():
    better, worse = composite_score(90, 40_000, 15), composite_score(90, 40_000, 20)
    assert better > worse > composite_score(90, 50_000, 0) > composite_score(89, 0, 0)


def test_default_bounds_stay_exact_as_doubles():
    top = composite_score(DEFAULT_BOUNDS.max_score, 0, 0)
    assert top < EXACT_LIMIT
    assert int(float(top)) == top
    assert float(top) != float(top - 1)


@pytest.mark.parametrize(
    "args",
    [
        (100_001, 0, 0),
        (-1, 0, 0),
        (0, 3_600_001, 0),
        (0, -1, 0),
        (0, 0, 24_001),
        (1.5, 0, 0),
    ],
)
def test_values_outside_the_bounds_are_refused(args):
    with pytest.raises(ValueError):
        composite_score(*args)


def test_bounds_that_do_not_fit_below_2_53_are_refused():
    with pytest.raises(ValueError):
        CompositeBounds(max_score=100_000, max_elapsed_ms=3_600_000, max_finished_s=8_000_000)


def test_fitting_bounds_give_a_challenge_months_of_finish_range():
    bounds = CompositeBounds.fitting(max_score=100, max_elapsed_ms=3_600_000)
    assert bounds.max_finished_s > 92 * 86_400  # a three-month window
    assert composite_score(100, 0, 0, bounds) < EXACT_LIMIT
    with pytest.raises(ValueError):
        CompositeBounds(100, 3_600_000, bounds.max_finished_s + 1)


def test_decode_refuses_values_that_are_not_composites():
    with pytest.raises(ValueError):
        decode_composite(0.5)
    with pytest.raises(ValueError):
        decode_composite(-1)
