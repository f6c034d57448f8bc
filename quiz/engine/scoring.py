"""Scoring rules as data, and the functions that apply them to answers.

Definitions (every rule below is tested in ``tests/engine/test_scoring.py``):

* **Base points.** Each question is worth ``ScoringRules.points`` (its full marks). A paper's full marks are
  ``points * number of questions``; streak bonuses come on top and are not part of the full marks.
* **Speed points** (``speed=True``, the live-game mode). A correct answer ``t`` seconds after the question opened,
  with ``T`` seconds allowed, earns ``round((1 - (t / T) / 2) * points)``, and the full ``points`` when
  ``t < full_points_within`` (0.5 s by default). So a correct on-time answer earns between half and all of the
  points. Rounding is half-up, computed on exact fractions of the float inputs, so results never depend on
  floating-point noise.
* **Credit.** Single-choice and true/false answers are right (credit 1) when exactly the correct choice is
  picked, otherwise wrong (credit 0). A multiple-choice answer under ``Credit.ALL_OR_NOTHING`` earns credit 1
  only when the picked set equals the correct set: any wrong pick, or a missing correct one, gives 0. Under
  ``Credit.PARTIAL`` the credit is ``(correct picked - wrong picked) / number of correct choices``, floored at 0.
  The points for a partially right answer are ``round(credit * base)`` where base is the fixed or speed points.
* **Correct** means credit 1. Only a correct answer extends a streak; a partial, wrong, late or missing answer
  ends it.
* **Streak bonus** (off when ``streak_step`` is 0). The n-th correct answer in a row earns
  ``min((n - 1) * streak_step, streak_cap)`` on top of its points: nothing for the first, +100, +200, ... with the
  Kahoot-like setting ``streak_step=100``, never more than ``streak_cap`` on one answer.
* **Penalty** (off by default). A wrong answer (answered on time, credit 0) scores ``-wrong_penalty``. Missing
  and late answers are never penalised: a slow network must not cost more than silence. With
  ``floor_at_zero`` (the default) a paper's total never drops below 0; single answers may be negative.
* **Late.** An answer received after its deadline scores 0, earns no bonus, is flagged ``late`` and ends the
  streak. Elapsed time comes from the server's ``opens_at`` and ``answered_at`` only.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from . import timing

__all__ = [
    "Answer",
    "AnswerOutcome",
    "Credit",
    "PaperScore",
    "QuestionKind",
    "ScoringRules",
    "choice_credit",
    "score_answer",
    "score_paper",
    "speed_points",
    "streak_bonus",
]

FULL_POINTS_WITHIN = 0.5  # seconds; Kahoot gives full points to answers faster than this


class QuestionKind(StrEnum):
    """The three question types of the bank."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"


class Credit(StrEnum):
    """How a multiple-choice answer with some right and some wrong picks is credited."""

    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"


@dataclass(frozen=True)
class ScoringRules:
    """How answers turn into points; see the module docstring for the exact definitions.

    Defaults are the plain challenge setting: 100 fixed points per question, no speed points, no streak bonus,
    all-or-nothing multiple choice, no penalty. A Kahoot-style live game uses
    ``ScoringRules(points=1000, speed=True, streak_step=100, streak_cap=500)``.
    """

    points: int = 100
    speed: bool = False
    full_points_within: float = FULL_POINTS_WITHIN
    streak_step: int = 0
    streak_cap: int = 500
    multiple_choice: Credit = Credit.ALL_OR_NOTHING
    wrong_penalty: int = 0
    floor_at_zero: bool = True

    def __post_init__(self) -> None:
        for name in ("points", "streak_step", "streak_cap", "wrong_penalty"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        if self.points == 0:
            raise ValueError("points must be positive")
        if self.full_points_within < 0:
            raise ValueError("full_points_within cannot be negative")
        object.__setattr__(self, "multiple_choice", Credit(self.multiple_choice))

    def full_marks(self, question_count: int) -> int:
        """Return the full marks of a paper of ``question_count`` questions (bonuses excluded)."""
        return self.points * question_count


@dataclass(frozen=True)
class Answer:
    """One question of a paper as answered (or not) by a participant; plain data from the services.

    ``picked_ids`` empty or ``answered_at`` None means no answer. ``time_limit`` is the question's own limit
    ``T`` (required for speed points); ``paper_deadline`` the absolute end of the paper, if any.
    """

    question_id: Hashable
    kind: QuestionKind
    correct_ids: frozenset[Hashable]
    picked_ids: frozenset[Hashable]
    opens_at: float
    answered_at: float | None
    time_limit: float | None = None
    paper_deadline: float | None = None

    def __post_init__(self) -> None:
        # Accept any iterable of ids from callers, but keep the dataclass hashable and immutable.
        object.__setattr__(self, "kind", QuestionKind(self.kind))
        object.__setattr__(self, "correct_ids", frozenset(self.correct_ids))
        object.__setattr__(self, "picked_ids", frozenset(self.picked_ids))
        if not self.correct_ids:
            raise ValueError(f"question {self.question_id!r} has no correct choice")

    @property
    def answered(self) -> bool:
        """Whether the participant submitted any choice."""
        return self.answered_at is not None and bool(self.picked_ids)

    @property
    def deadline(self) -> float | None:
        """The last on-time instant for this answer (question and paper limits combined)."""
        return timing.answer_deadline(self.opens_at, self.time_limit, self.paper_deadline)


@dataclass(frozen=True)
class AnswerOutcome:
    """The result of scoring one answer.

    ``points`` are the base points (negative only with a penalty), ``bonus`` the streak bonus, ``streak`` the
    number of correct answers in a row including this one (0 when this one is not correct).
    """

    question_id: Hashable
    points: int
    bonus: int
    credit: Fraction
    correct: bool
    answered: bool
    late: bool
    elapsed: float | None
    streak: int

    @property
    def total(self) -> int:
        """Points plus bonus."""
        return self.points + self.bonus


@dataclass(frozen=True)
class PaperScore:
    """The result of scoring a whole paper: per-answer outcomes, the (possibly floored) total, full marks."""

    outcomes: tuple[AnswerOutcome, ...]
    total: int
    full_marks: int
    correct_count: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "correct_count", sum(o.correct for o in self.outcomes))


def _round_half_up(value: Fraction) -> int:
    # Python's round() rounds halves to even (998.5 -> 998); people checking a score by hand expect 999.
    return math.floor(value + Fraction(1, 2))


def _speed_factor(elapsed: float, limit: float, full_points_within: float) -> Fraction:
    """The exact fraction of the points a correct answer earns at ``elapsed`` seconds (0 when late)."""
    if elapsed < 0:
        raise ValueError(f"elapsed cannot be negative, got {elapsed!r}")
    if not limit > 0:
        raise ValueError(f"speed points need a positive time limit, got {limit!r}")
    if elapsed > limit:
        return Fraction(0)
    if elapsed < full_points_within:
        return Fraction(1)
    # Fraction(float) is exact, so t/T carries no rounding error into the half-up rounding below.
    return 1 - Fraction(elapsed) / Fraction(limit) / 2


def speed_points(max_points: int, elapsed: float, limit: float, full_points_within: float = FULL_POINTS_WITHIN) -> int:
    """Return Kahoot-style points for a correct answer: ``round((1 - (t / T) / 2) * max_points)``.

    Full points when ``elapsed < full_points_within``; 0 when ``elapsed > limit`` (late); otherwise between
    ``max_points / 2`` and ``max_points``, rounded half-up.
    """
    return _round_half_up(_speed_factor(elapsed, limit, full_points_within) * max_points)


def choice_credit(
    kind: QuestionKind, correct_ids: Iterable[Hashable], picked_ids: Iterable[Hashable], mode: Credit
) -> Fraction:
    """Return the credit in [0, 1] for picking ``picked_ids`` when ``correct_ids`` are right.

    Partial credit (multiple choice under ``Credit.PARTIAL`` only) is
    ``(correct picked - wrong picked) / len(correct_ids)``, floored at 0. Everything else is all-or-nothing.
    """
    correct, picked = frozenset(correct_ids), frozenset(picked_ids)
    if not correct:
        raise ValueError("a question needs at least one correct choice")
    if picked == correct:
        return Fraction(1)
    if kind is not QuestionKind.MULTIPLE or mode is Credit.ALL_OR_NOTHING:
        return Fraction(0)
    hits, misses = len(picked & correct), len(picked - correct)
    return max(Fraction(0), Fraction(hits - misses, len(correct)))


def streak_bonus(streak: int, step: int, cap: int) -> int:
    """Return the bonus for the ``streak``-th correct answer in a row: ``min((streak - 1) * step, cap)``."""
    if streak < 1:
        return 0
    return min((streak - 1) * step, cap)


def score_answer(rules: ScoringRules, answer: Answer, streak_before: int = 0) -> AnswerOutcome:
    """Score one answer under ``rules``, given the number of correct answers in a row just before it."""
    answered_at = answer.answered_at
    if answered_at is None or not answer.picked_ids:
        return AnswerOutcome(answer.question_id, 0, 0, Fraction(0), False, False, False, None, 0)
    elapsed = timing.elapsed(answer.opens_at, answered_at)
    if timing.is_late(answered_at, answer.deadline):
        return AnswerOutcome(answer.question_id, 0, 0, Fraction(0), False, True, True, elapsed, 0)

    credit = choice_credit(answer.kind, answer.correct_ids, answer.picked_ids, rules.multiple_choice)
    if credit == 0:
        return AnswerOutcome(answer.question_id, -rules.wrong_penalty, 0, credit, False, True, False, elapsed, 0)

    factor = Fraction(1)
    if rules.speed:
        if answer.time_limit is None:
            raise ValueError(f"speed points need a time limit on question {answer.question_id!r}")
        factor = _speed_factor(elapsed, answer.time_limit, rules.full_points_within)
    # One rounding of the exact product, so partial credit of speed points is not rounded twice.
    points = _round_half_up(factor * credit * rules.points)
    correct = credit == 1
    streak = streak_before + 1 if correct else 0
    bonus = streak_bonus(streak, rules.streak_step, rules.streak_cap)
    return AnswerOutcome(answer.question_id, points, bonus, credit, correct, True, False, elapsed, streak)


def score_paper(rules: ScoringRules, answers: Sequence[Answer]) -> PaperScore:
    """Score a paper's answers in the order they were asked (the order streaks are counted in)."""
    outcomes: list[AnswerOutcome] = []
    streak = 0
    for answer in answers:
        outcome = score_answer(rules, answer, streak)
        streak = outcome.streak
        outcomes.append(outcome)
    total = sum(o.total for o in outcomes)
    if rules.floor_at_zero:
        total = max(0, total)
    return PaperScore(tuple(outcomes), total, rules.full_marks(len(answers)))
