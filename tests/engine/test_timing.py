"""Deadlines, lateness and the ranking resolutions of time."""

import pytest

from quiz.engine import TimeLimits, answer_deadline, deadline, elapsed, is_late, remaining, seconds_since, to_ms


def test_deadline_is_opens_at_plus_limit_or_none():
    assert deadline(1000.0, 20) == 1020.0
    assert deadline(1000.0, None) is None
    with pytest.raises(ValueError):
        deadline(1000.0, 0)


def test_answer_deadline_takes_the_earlier_of_question_and_paper():
    assert answer_deadline(1000.0, 30, paper_deadline=1010.0) == 1010.0
    assert answer_deadline(1000.0, 30, paper_deadline=2000.0) == 1030.0
    assert answer_deadline(1000.0, None, paper_deadline=1010.0) == 1010.0
    assert answer_deadline(1000.0, None) is None


def test_an_answer_exactly_at_the_deadline_is_on_time_and_after_it_late():
    assert not is_late(1020.0, 1020.0)
    assert is_late(1020.001, 1020.0)
    assert not is_late(10**9, None)


def test_remaining_never_goes_negative():
    assert remaining(1005.0, 1020.0) == 15.0
    assert remaining(1030.0, 1020.0) == 0.0
    assert remaining(1030.0, None) is None


def test_elapsed_comes_from_server_timestamps_and_refuses_time_travel():
    assert elapsed(1000.0, 1003.25) == 3.25
    with pytest.raises(ValueError):
        elapsed(1000.0, 999.0)


def test_ranking_resolutions():
    assert to_ms(1.001) == 1001  # 1000.9999999999999 in binary floating point, still 1001 ms
    assert to_ms(0) == 0
    assert seconds_since(1000.0, 1059.999) == 59
    with pytest.raises(ValueError):
        to_ms(-0.1)
    with pytest.raises(ValueError):
        seconds_since(1000.0, 999.0)


def test_time_limits_must_be_positive():
    assert TimeLimits(per_question=20, per_paper=600).per_paper == 600
    with pytest.raises(ValueError):
        TimeLimits(per_question=-1)
