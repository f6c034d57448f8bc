"""quiz.services.challenge.save_answers and submit_many: many papers' answers, or submissions, in one transaction,
every rule kept."""

import asyncio
import datetime

import pytest
from django.utils import timezone

from quiz import bank_cache, challenge_board
from quiz.models import AttemptAnswer, Certificate, Participant, Question
from quiz.services import challenge as svc

from .factories import correct_choice, make_bank, make_challenge, make_org, register_student, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture
def papers():
    make_bank("小学", 6)
    challenge = make_challenge(question_count=4, attempts_per_day=3)
    klass = make_org()[2]
    return [svc.start_attempt(register_student(challenge, name, klass))[0] for name in ("甲同学", "乙同学", "丙同学")]


def pending(attempt, index, pick=0, at=None):
    return svc.PendingAnswer(attempt.pk, index, [attempt.paper[index]["choice_ids"][pick]], at or timezone.now())


def test_a_batch_saves_answers_of_many_papers_and_keeps_the_later_of_two(papers):
    a, b, c = papers
    batch = [pending(a, 0, 0), pending(b, 1), pending(a, 0, 1), pending(c, 3)]
    assert svc.save_answers(batch) == [None, None, None, None]
    stored = {(r.attempt_id, r.index): r.choice_ids for r in AttemptAnswer.objects.all()}
    assert stored == {
        (a.pk, 0): [a.paper[0]["choice_ids"][1]],
        (b.pk, 1): [b.paper[1]["choice_ids"][0]],
        (c.pk, 3): [c.paper[3]["choice_ids"][0]],
    }
    # A later batch changes an answer in place, to the microsecond of the server's stamp.
    stamp = timezone.now().replace(microsecond=123457)
    assert svc.save_answers([pending(a, 0, 2, at=stamp)]) == [None]
    changed = AttemptAnswer.objects.get(attempt=a, index=0)
    assert (changed.choice_ids, changed.answered_at) == ([a.paper[0]["choice_ids"][2]], stamp)
    assert AttemptAnswer.objects.count() == 3


def test_submitted_and_late_answers_are_refused_without_touching_the_rest(papers):
    a, b, c = papers
    svc.submit(a.pk)
    late = b.deadline_at + datetime.timedelta(seconds=1)
    results = svc.save_answers([pending(a, 0), pending(b, 0, at=late), pending(c, 2)])
    assert [r.code if r else None for r in results] == ["already_submitted", "expired", None]
    assert list(AttemptAnswer.objects.values_list("attempt_id", "index")) == [(c.pk, 2)]


def test_open_paper_checks_like_save_answer(papers):
    paper = svc.open_paper(papers[0])
    first = papers[0].paper[0]["choice_ids"]
    assert paper.check(0, [first[1], first[1]]) == [first[1]]
    for index, picks in ((4, [first[0]]), (0, []), (0, [first[0], first[1]]), (0, [10**9]), (True, [first[0]])):
        with pytest.raises(svc.ChallengeError):
            paper.check(index, picks)


def test_the_bank_cache_sees_edits_once_they_commit(papers, django_capture_on_commit_callbacks):
    attempt = papers[0]
    qid = attempt.paper[0]["question_id"]
    assert bank_cache.facts([qid])[qid].stem.startswith("小学题")
    question = Question.objects.get(pk=qid)
    question.stem = "改过的题干：毒品是指什么？"
    with django_capture_on_commit_callbacks(execute=True):
        question.save()
    assert bank_cache.facts([qid])[qid].stem == "改过的题干：毒品是指什么？"
    assert svc.attempt_view(attempt)["questions"][0]["stem"] == "改过的题干：毒品是指什么？"
    # A question taken out of use is no longer drawn.
    before = {ref.id for ref in bank_cache.band_refs("小学")}
    with django_capture_on_commit_callbacks(execute=True):
        Question.objects.filter(pk=qid).update(is_active=False)  # behind the ORM's signals: no bump ...
    assert qid in {ref.id for ref in bank_cache.band_refs("小学")}
    bank_cache.bump()  # ... until something changes the version (or MAX_AGE passes)
    assert {ref.id for ref in bank_cache.band_refs("小学")} == before - {qid}


def _answer(attempt, right: int):
    """Answer every question of ``attempt``: the first ``right`` correctly, the rest wrongly."""
    batch = [
        svc.PendingAnswer(
            attempt.pk, i, [(correct_choice if i < right else wrong_choice)(item["question_id"])], timezone.now()
        )
        for i, item in enumerate(attempt.paper)
    ]
    assert svc.save_answers(batch) == [None] * len(batch)


def test_submit_many_scores_like_submit_in_one_transaction(papers, django_capture_on_commit_callbacks):
    a, b, c = papers
    for attempt, right in ((a, 4), (b, 1), (c, 4)):
        _answer(attempt, right)
    with django_capture_on_commit_callbacks(execute=True):
        single = svc.submit(c.pk)  # the one-paper road, for comparison
    with django_capture_on_commit_callbacks(execute=True):
        results = svc.submit_many([a.pk, b.pk, a.pk, c.pk, 10**9])
    assert [r.code if r else None for r in results] == [None, None, "already_submitted", "already_submitted",
                                                        "not_found"]  # fmt: skip
    a.refresh_from_db()
    b.refresh_from_db()
    fields = ("status", "score", "full_marks", "correct_count", "level")
    assert [getattr(a, f) for f in fields] == [getattr(single, f) for f in fields]  # both all right
    assert (b.status, b.correct_count, b.level) == ("submitted", 1, "fail")
    assert b.score * 4 == a.score
    # Certificates for the passed papers only, each with its own number; counted results and boards follow.
    assert set(Certificate.objects.values_list("attempt_id", flat=True)) == {a.pk, c.pk}
    assert len(set(Certificate.objects.values_list("number", flat=True))) == 2
    counted = {p.pk: (p.has_result, p.score) for p in Participant.objects.all()}
    assert counted == {a.participant_id: (True, a.score), b.participant_id: (True, b.score),
                       c.participant_id: (True, single.score)}  # fmt: skip
    assert challenge_board.matches_database(a.participant.challenge_id)


def test_submit_many_closes_an_overdue_paper_as_expired_and_refuses_later_answers(papers):
    a, b, _c = papers
    _answer(a, 2)
    late = a.deadline_at + datetime.timedelta(seconds=5)
    assert svc.submit_many([a.pk, b.pk], now=late) == [None, None]
    a.refresh_from_db()
    assert (a.status, a.correct_count, a.submitted_at) == ("expired", 2, a.deadline_at)
    assert [r.code for r in svc.save_answers([pending(a, 0), pending(b, 1)])] == ["already_submitted"] * 2


async def test_a_failing_batch_is_written_item_by_item_so_one_bad_item_fails_alone():
    from quiz.paper_consumers import BatchWriter

    calls = []

    def write(items):
        calls.append(list(items))
        if "bad" in items:
            raise ValueError("cannot write this")
        return [None] * len(items)

    writer = BatchWriter(write, "test", window=0.05)
    results = await asyncio.gather(*(writer.save(item) for item in ("a", "bad", "c")))
    assert results[0] is None and results[2] is None and isinstance(results[1], ValueError)
    assert calls == [["a", "bad", "c"], ["a"], ["bad"], ["c"]]
