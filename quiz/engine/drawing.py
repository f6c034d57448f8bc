"""Drawing a paper: N questions by category quotas and audience band, choices shuffled, seeded.

Given the same bank, spec, seed and seen set, :func:`draw_paper` returns the same paper, whatever order the bank
arrives in (the bank is sorted by id first). Services should derive the seed from the contest, the participant
and the attempt number (:func:`paper_seed`), so every participant gets their own, reproducible paper and choice
order, and a dispute can be settled by drawing the paper again.

Quotas are per category key: whatever string the services put in ``QuestionRef.category`` (e.g. the top-level
category of the tree, so a quota on 毒品知识 counts its sub-categories). Slots beyond the quotas are filled from
every eligible question not yet drawn.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

from .rules import BANDS

__all__ = [
    "Paper",
    "PaperItem",
    "PaperSpec",
    "QuestionRef",
    "QuotaUnmetError",
    "Shortfall",
    "draw_paper",
    "paper_seed",
]

QuestionId = int | str


@dataclass(frozen=True)
class QuestionRef:
    """What drawing needs to know about a bank question.

    ``shuffle_choices=False`` keeps the stored choice order (true/false questions read oddly as 错误/正确).
    """

    id: QuestionId
    category: str
    bands: frozenset[str]
    choice_ids: tuple[Hashable, ...]
    shuffle_choices: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", frozenset(self.bands))
        object.__setattr__(self, "choice_ids", tuple(self.choice_ids))


@dataclass(frozen=True)
class PaperSpec:
    """What a paper contains: ``size`` questions for ``band`` (``None`` = any band), with per-category quotas.

    ``quotas`` maps category keys to counts; their sum may be less than ``size``, the rest is drawn from any
    category. ``avoid_seen`` prefers questions not in the ``seen`` set passed to :func:`draw_paper`.
    """

    size: int
    band: str | None = None
    quotas: Mapping[str, int] | tuple[tuple[str, int], ...] = ()
    avoid_seen: bool = False

    def __post_init__(self) -> None:
        # Freeze the quotas as sorted (category, count) pairs: the spec stays immutable and hashable, and the draw
        # does not depend on the mapping's insertion order.
        pairs = dict(self.quotas)
        object.__setattr__(self, "quotas", tuple(sorted(pairs.items())))
        if self.size < 1:
            raise ValueError(f"a paper needs at least one question, got size {self.size!r}")
        if self.band is not None and self.band not in BANDS:
            raise ValueError(f"unknown audience band {self.band!r}; expected one of {BANDS}")
        if any(count < 0 for count in pairs.values()):
            raise ValueError("quotas cannot be negative")
        if sum(pairs.values()) > self.size:
            raise ValueError(f"quotas add up to {sum(pairs.values())}, more than the paper size {self.size}")


@dataclass(frozen=True)
class PaperItem:
    """One question of a drawn paper with its choices in the order this participant sees them."""

    question_id: QuestionId
    choice_ids: tuple[Hashable, ...]


@dataclass(frozen=True)
class Paper:
    """A drawn paper. ``reused_seen`` lists seen questions drawn only because too few unseen ones were left."""

    items: tuple[PaperItem, ...]
    reused_seen: tuple[QuestionId, ...] = ()

    @property
    def question_ids(self) -> tuple[QuestionId, ...]:
        """The question ids in paper order."""
        return tuple(item.question_id for item in self.items)

    @property
    def fell_back_to_seen(self) -> bool:
        """Whether avoiding seen questions was impossible and some were reused."""
        return bool(self.reused_seen)


@dataclass(frozen=True)
class Shortfall:
    """A quota the bank cannot meet: ``category`` (``None`` for the free slots), ``needed`` vs ``available``."""

    category: str | None
    needed: int
    available: int


class QuotaUnmetError(ValueError):
    """The bank has too few eligible questions for the spec; ``shortfalls`` lists every unmet quota."""

    def __init__(self, shortfalls: Iterable[Shortfall], band: str | None) -> None:
        self.shortfalls = tuple(shortfalls)
        self.band = band
        parts = [
            f"{s.category or 'any category'}: needs {s.needed}, the bank has {s.available}" for s in self.shortfalls
        ]
        super().__init__(f"cannot draw the paper for band {band or 'any'}: " + "; ".join(parts))


def paper_seed(contest_id: Hashable, participant_id: Hashable, attempt_no: int) -> str:
    """Return the drawing seed of one attempt: distinct per contest, participant and attempt, and stable."""
    return f"{contest_id}\x1f{participant_id}\x1f{attempt_no}"


def _id_key(question: QuestionRef) -> tuple[bool, QuestionId]:
    # Sort ints before strs so a bank with both kinds of ids still has one canonical order.
    return (isinstance(question.id, str), question.id)


def _take(
    rng: random.Random, pool: list[QuestionRef], count: int, seen: frozenset[QuestionId], avoid_seen: bool
) -> tuple[list[QuestionRef], list[QuestionId]]:
    """Draw ``count`` questions from ``pool``: unseen first when avoiding seen ones; return them and the reused."""
    if not avoid_seen:
        return rng.sample(pool, count), []
    fresh = [q for q in pool if q.id not in seen]
    if len(fresh) >= count:
        return rng.sample(fresh, count), []
    stale = [q for q in pool if q.id in seen]
    reused = rng.sample(stale, count - len(fresh))
    return fresh + reused, [q.id for q in reused]


def draw_paper(bank: Iterable[QuestionRef], spec: PaperSpec, seed: int | str, seen: Iterable[QuestionId] = ()) -> Paper:
    """Draw a paper from ``bank`` following ``spec``, reproducibly from ``seed``.

    Only questions for ``spec.band`` are eligible. Each quota draws from its category, then the free slots from
    every eligible question left; no question appears twice. With ``spec.avoid_seen`` questions in ``seen`` are
    used only when a pool has too few unseen ones, and the paper lists them in ``reused_seen``. The question order
    and each question's choice order are shuffled. Raises :class:`QuotaUnmetError` naming every unmet quota.
    """
    questions = sorted(bank, key=_id_key)
    ids = [q.id for q in questions]
    if len(set(ids)) != len(ids):
        raise ValueError("the bank contains duplicate question ids")
    eligible = [q for q in questions if spec.band is None or spec.band in q.bands]
    seen_ids = frozenset(seen)

    by_category: dict[str, list[QuestionRef]] = {}
    for question in eligible:
        by_category.setdefault(question.category, []).append(question)
    # Quotas use disjoint categories, so checking each against its own pool, and the free slots against what the
    # quotas leave over, is exactly "the bank allows it".
    shortfalls = [
        Shortfall(category, needed, len(by_category.get(category, [])))
        for category, needed in spec.quotas
        if needed > len(by_category.get(category, []))
    ]
    free = spec.size - sum(n for _, n in spec.quotas)
    left_over = len(eligible) - sum(min(n, len(by_category.get(c, []))) for c, n in spec.quotas)
    if free > left_over:
        shortfalls.append(Shortfall(None, free, left_over))
    if shortfalls:
        raise QuotaUnmetError(shortfalls, spec.band)

    rng = random.Random(seed)  # noqa: S311 - fairness needs reproducibility, not secrecy
    drawn: list[QuestionRef] = []
    reused: list[QuestionId] = []
    for category, needed in spec.quotas:
        picked, stale = _take(rng, by_category.get(category, []), needed, seen_ids, spec.avoid_seen)
        drawn += picked
        reused += stale
    taken = {q.id for q in drawn}
    picked, stale = _take(rng, [q for q in eligible if q.id not in taken], free, seen_ids, spec.avoid_seen)
    drawn += picked
    reused += stale

    rng.shuffle(drawn)  # mix the categories, so quota order does not reveal itself
    items = tuple(
        PaperItem(q.id, tuple(rng.sample(q.choice_ids, len(q.choice_ids))) if q.shuffle_choices else q.choice_ids)
        for q in drawn
    )
    reused_set = set(reused)
    return Paper(items, tuple(qid for qid in (item.question_id for item in items) if qid in reused_set))
