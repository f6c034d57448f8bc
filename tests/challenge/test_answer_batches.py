"""quiz.services.challenge.save_answers: many papers' answers in one transaction, every rule kept."""

import datetime

import pytest
from django.utils import timezone

from quiz import bank_cache
from quiz.models import AttemptAnswer, Question
from quiz.services import challenge as svc

from .factories import make_bank, make_challenge, make_org, register_student

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
