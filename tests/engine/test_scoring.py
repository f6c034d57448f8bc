"""Scoring rules, with hand-computed examples."""

from fractions import Fraction

import pytest

from quiz.engine import Answer, Credit, QuestionKind, ScoringRules, choice_credit, score_answer, score_paper
from quiz.engine import speed_points as sp

OPEN = 1_000_000.0
LIVE = ScoringRules(points=1000, speed=True)


def answer(picked=("a",), correct=("a",), t=1.0, kind=QuestionKind.SINGLE, limit=20.0, **kw):
    """An answer ``t`` seconds after the question opened at OPEN (``t=None``: not answered)."""
    return Answer(
        kw.pop("qid", 1), kind, correct, picked, OPEN, None if t is None else OPEN + t, time_limit=limit, **kw
    )


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (0.0, 1000),  # instant: full points
        (0.49, 1000),  # under 0.5 s: full points
        (0.5, 988),  # (1 - 0.5/20/2) * 1000 = 987.5, rounded half-up
        (10.0, 750),
        (19.9, 503),  # 502.5 -> 503
        (20.0, 500),  # exactly T: half the points, still on time
        (20.001, 0),  # after T: late
    ],
)
def test_speed_points_by_elapsed_time(t, expected):
    assert sp(1000, t, 20.0) == expected


def test_speed_points_at_t_equal_limit_round_half_up_for_odd_maximum():
    assert sp(999, 20.0, 20.0) == 500  # 499.5


@pytest.mark.parametrize(("t", "points", "late"), [(0.0, 1000, False), (0.49, 1000, False), (20.0, 500, False)])
def test_correct_answers_in_a_live_game_earn_speed_points(t, points, late):
    outcome = score_answer(LIVE, answer(t=t))
    assert (outcome.points, outcome.late, outcome.correct) == (points, late, True)
    assert outcome.elapsed == pytest.approx(t)


def test_late_answer_scores_zero_and_is_flagged_even_when_correct():
    outcome = score_answer(LIVE, answer(t=20.5))
    assert (outcome.total, outcome.late, outcome.correct, outcome.streak) == (0, True, False, 0)


def test_paper_deadline_makes_an_answer_late_before_the_question_limit():
    outcome = score_answer(LIVE, answer(t=5.0, paper_deadline=OPEN + 4.0))
    assert outcome.late and outcome.total == 0


def test_fixed_points_ignore_time_but_not_the_deadline():
    rules = ScoringRules(points=5)
    assert score_answer(rules, answer(t=19.99)).points == 5
    assert score_answer(rules, answer(t=20.01)).points == 0
    assert score_answer(rules, answer(t=3600.0, limit=None)).points == 5  # no limit: never late


def test_speed_points_need_a_time_limit():
    with pytest.raises(ValueError):
        score_answer(LIVE, answer(limit=None))


def test_answered_before_opening_is_refused():
    with pytest.raises(ValueError):
        score_answer(LIVE, answer(t=-1.0))


def test_unanswered_and_wrong_score_zero():
    assert score_answer(LIVE, answer(t=None)).total == 0
    assert score_answer(LIVE, answer(picked=())).answered is False
    wrong = score_answer(LIVE, answer(picked=("b",)))
    assert (wrong.total, wrong.correct, wrong.answered) == (0, False, True)


def test_single_choice_with_two_picks_is_wrong():
    assert choice_credit(QuestionKind.SINGLE, {"a"}, {"a", "b"}, Credit.PARTIAL) == 0


class TestMultipleChoice:
    correct = ("a", "b", "c")

    @pytest.mark.parametrize(
        ("picked", "credit"),
        [
            (("a", "b", "c"), Fraction(1)),
            (("a", "b"), Fraction(2, 3)),  # 2 right, 0 wrong
            (("a", "b", "d"), Fraction(1, 3)),  # (2 - 1) / 3
            (("a", "d", "e"), Fraction(0)),  # (1 - 2) / 3 floored at 0
            (("a", "b", "c", "d"), Fraction(2, 3)),  # (3 - 1) / 3
        ],
    )
    def test_partial_credit(self, picked, credit):
        assert choice_credit(QuestionKind.MULTIPLE, self.correct, picked, Credit.PARTIAL) == credit

    @pytest.mark.parametrize("picked", [("a", "b"), ("a", "b", "c", "d"), ("d",)])
    def test_all_or_nothing_gives_nothing_for_anything_but_the_exact_set(self, picked):
        assert choice_credit(QuestionKind.MULTIPLE, self.correct, picked, Credit.ALL_OR_NOTHING) == 0
        assert choice_credit(QuestionKind.MULTIPLE, self.correct, self.correct, Credit.ALL_OR_NOTHING) == 1

    def test_partial_points_are_rounded_once(self):
        rules = ScoringRules(points=100, multiple_choice=Credit.PARTIAL)
        outcome = score_answer(rules, answer(picked=("a", "b"), correct=self.correct, kind=QuestionKind.MULTIPLE))
        assert (outcome.points, outcome.credit, outcome.correct) == (67, Fraction(2, 3), False)

    def test_partial_credit_of_speed_points(self):
        rules = ScoringRules(points=1000, speed=True, multiple_choice="partial")
        outcome = score_answer(
            rules, answer(picked=("a", "b"), correct=self.correct, kind=QuestionKind.MULTIPLE, t=10.0)
        )
        assert outcome.points == 500  # 750 * 2/3

    def test_all_or_nothing_is_the_default(self):
        outcome = score_answer(ScoringRules(), answer(picked=("a", "b"), correct=self.correct, kind="multiple"))
        assert outcome.points == 0


class TestStreak:
    rules = ScoringRules(points=100, streak_step=100, streak_cap=300)

    def test_bonus_grows_by_step_and_stops_at_the_cap(self):
        result = score_paper(self.rules, [answer(qid=i) for i in range(6)])
        assert [o.bonus for o in result.outcomes] == [0, 100, 200, 300, 300, 300]
        assert [o.streak for o in result.outcomes] == [1, 2, 3, 4, 5, 6]
        assert result.total == 600 + 1200
        assert result.full_marks == 600  # bonuses are not part of full marks

    def test_wrong_late_missing_and_partial_answers_break_the_streak(self):
        rules = ScoringRules(points=100, streak_step=100, streak_cap=300, multiple_choice=Credit.PARTIAL)
        breakers = [
            answer(picked=("b",)),
            answer(t=25.0),
            answer(t=None),
            answer(picked=("a",), correct=("a", "b"), kind=QuestionKind.MULTIPLE),
        ]
        for breaker in breakers:
            result = score_paper(rules, [answer(), answer(), breaker, answer()])
            assert [o.bonus for o in result.outcomes] == [0, 100, 0, 0], breaker

    def test_streak_bonus_is_off_by_default(self):
        assert score_paper(ScoringRules(), [answer(qid=i) for i in range(3)]).total == 300


class TestPenalty:
    def test_off_by_default(self):
        assert score_answer(ScoringRules(), answer(picked=("b",))).points == 0

    def test_wrong_answers_lose_points_but_late_and_missing_ones_do_not(self):
        rules = ScoringRules(points=100, wrong_penalty=30)
        assert score_answer(rules, answer(picked=("b",))).points == -30
        assert score_answer(rules, answer(picked=("b",), t=25.0)).points == 0
        assert score_answer(rules, answer(t=None)).points == 0

    def test_paper_total_is_floored_at_zero_unless_told_otherwise(self):
        paper = [answer(picked=("b",), qid=1), answer(picked=("b",), qid=2), answer(qid=3)]
        assert score_paper(ScoringRules(points=10, wrong_penalty=30), paper).total == 0
        assert score_paper(ScoringRules(points=10, wrong_penalty=30, floor_at_zero=False), paper).total == -50


def test_paper_counts_correct_answers():
    result = score_paper(ScoringRules(points=5), [answer(qid=1), answer(picked=("b",), qid=2)])
    assert (result.total, result.full_marks, result.correct_count) == (5, 10, 1)


@pytest.mark.parametrize("bad", [{"points": 0}, {"points": -1}, {"wrong_penalty": -5}, {"streak_step": 1.5}])
def test_invalid_rules_are_refused(bad):
    with pytest.raises(ValueError):
        ScoringRules(**bad)


def test_a_question_without_a_correct_choice_is_refused():
    with pytest.raises(ValueError):
        answer(correct=())
