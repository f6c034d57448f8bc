"""The question bank as the challenge reads it, cached per process.

Drawing a paper needs every active question of a band (with its top-level category and choice ids); showing,
checking and scoring a paper need each question's type, text, choices and correct choices. Reading those from the
database for every paper start, socket and submission was most of their cost. They change only when editors
change the bank, so each process keeps them in memory under a *bank version* held in the shared cache (Redis in
production): any save or delete of a question, choice or category bumps the version (after the transaction
commits), and every process drops what it holds within a second (it asks for the version at most once a
second). Entries also expire after ``MAX_AGE`` seconds, so a change made behind the ORM's back (raw SQL, a
restored dump) shows within minutes.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from . import engine

VERSION_KEY = "quiz:bank:version"
MAX_AGE = 300.0
CHECK_EVERY = 1.0
MAX_QUESTIONS = 50_000


@dataclass(frozen=True)
class QuestionFacts:
    id: int
    type: str
    stem: str
    explanation: str
    choices: dict[int, str]  # id -> text
    correct: frozenset[int]

    @property
    def multiple(self) -> bool:
        return self.type == "multiple"


_lock = threading.Lock()
_state = {"version": None, "loaded_at": 0.0, "checked_at": -CHECK_EVERY}
_facts: dict[int, QuestionFacts] = {}
_bands: dict[str, list[engine.QuestionRef]] = {}


def version() -> str:
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), None)
        current = cache.get(VERSION_KEY)
    return current


def bump() -> None:
    """Make every process forget the bank it holds (call after the bank changed)."""
    cache.set(VERSION_KEY, secrets.token_hex(8), None)
    clear()


def bump_on_commit(**_kwargs) -> None:
    transaction.on_commit(bump)


def clear() -> None:
    with _lock:
        _facts.clear()
        _bands.clear()
        _state["version"], _state["loaded_at"], _state["checked_at"] = None, 0.0, -CHECK_EVERY


def _fresh() -> None:
    """Drop what this process holds if the bank changed (or it is old); asks the shared cache at most once a
    ``CHECK_EVERY`` seconds (a change made in another process shows here within that)."""
    now = time.monotonic()
    if now - _state["checked_at"] < CHECK_EVERY:
        return
    current = version()
    with _lock:
        _state["checked_at"] = now
        if _state["version"] != current or time.monotonic() - _state["loaded_at"] > MAX_AGE:
            _facts.clear()
            _bands.clear()
            _state["version"], _state["loaded_at"] = current, time.monotonic()


def facts(question_ids) -> dict[int, QuestionFacts]:
    """The facts of these questions (missing ids are absent from the result)."""
    from .models import Choice, Question

    _fresh()
    wanted = set(question_ids)
    missing = [qid for qid in wanted if qid not in _facts]
    if missing:
        choices: dict[int, dict[int, str]] = {qid: {} for qid in missing}
        correct: dict[int, set[int]] = {qid: set() for qid in missing}
        for qid, cid, text, is_correct in Choice.objects.filter(question_id__in=missing).values_list(
            "question_id", "id", "text", "is_correct"
        ):
            choices[qid][cid] = text
            if is_correct:
                correct[qid].add(cid)
        loaded = {
            qid: QuestionFacts(qid, kind, stem, explanation, choices[qid], frozenset(correct[qid]))
            for qid, kind, stem, explanation in Question.objects.filter(pk__in=missing).values_list(
                "pk", "type", "stem", "explanation"
            )
        }
        with _lock:
            if len(_facts) + len(loaded) > MAX_QUESTIONS:
                _facts.clear()
            _facts.update(loaded)
    return {qid: _facts[qid] for qid in wanted if qid in _facts}


def band_refs(band: str) -> list[engine.QuestionRef]:
    """Every active question of a band as the engine's draw wants it."""
    from .models import Category, Choice, Question

    _fresh()
    refs = _bands.get(band)
    if refs is not None:
        return refs
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    names = dict(Category.objects.values_list("pk", "name"))

    def top(category_id):
        seen = 0
        while parents.get(category_id) is not None and seen < 50:  # quotas count a top category with its children
            category_id, seen = parents[category_id], seen + 1
        return names.get(category_id, "")

    rows = list(
        Question.objects.filter(is_active=True, bands__name=band).distinct().values_list("pk", "category_id", "type")
    )
    choice_ids: dict[int, list[int]] = {}
    for qid, cid in Choice.objects.filter(question_id__in=[r[0] for r in rows]).values_list("question_id", "id"):
        choice_ids.setdefault(qid, []).append(cid)
    refs = [
        engine.QuestionRef(
            id=qid,
            category=top(category_id),
            bands=(band,),
            choice_ids=tuple(choice_ids.get(qid, ())),
            shuffle_choices=kind != "true_false",
        )
        for qid, category_id, kind in rows
    ]
    with _lock:
        _bands[band] = refs
    return refs


def connect_signals() -> None:
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from .models import Category, Choice, Question

    for model in (Question, Choice, Category):
        post_save.connect(bump_on_commit, sender=model, dispatch_uid=f"bank-cache-save-{model.__name__}")
        post_delete.connect(bump_on_commit, sender=model, dispatch_uid=f"bank-cache-delete-{model.__name__}")
    m2m_changed.connect(bump_on_commit, sender=Question.bands.through, dispatch_uid="bank-cache-bands")
