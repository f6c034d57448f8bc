"""Challenge rules held by the services: registration, daily limit, resume, deadline, scoring, certificates."""

import datetime

import pytest
from django.utils import timezone

from quiz.models import AttemptAnswer, Certificate, ChallengeAttempt, Participant
from quiz.services import challenge as svc

from .factories import correct_choice, make_bank, make_challenge, make_org, register_student, wrong_choice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_board(settings):
    # The database backend: its ranks are read straight from the rows the services wrote.
    settings.REDIS_URL = ""


@pytest.fixture
def challenge():
    make_bank("小学", 6)
    make_bank("社会", 6)
    return make_challenge(question_count=4, seconds=600)


@pytest.fixture
def klass():
    return make_org()[2]


def test_under_14_needs_guardian_consent_and_name(challenge, klass):
    with pytest.raises(svc.ChallengeError) as exc:
        register_student(challenge, "张小明", klass, is_under_14=True, guardian_name="张大山")
    assert exc.value.code == "guardian_consent"
    with pytest.raises(svc.ChallengeError):
        register_student(challenge, "张小明", klass, is_under_14=True, guardian_consent=True)
    participant = register_student(
        challenge, "张小明", klass, is_under_14=True, guardian_name="张大山", guardian_consent=True
    )
    assert participant.guardian_consent_at is not None and participant.guardian_name == "张大山"


def test_public_group_needs_phone_and_work_unit(challenge):
    group = challenge.groups.get(name="社会")
    with pytest.raises(svc.ChallengeError) as exc:
        svc.register(challenge, svc.Registration(name="李四", group=group, phone="13800000000"))
    assert exc.value.code == "public_fields"
    p = svc.register(challenge, svc.Registration(name="李四", group=group, phone="13800000000", work_unit="市医院"))
    assert p.school_id is None and p.work_unit == "市医院"


def test_students_need_school_and_class_of_that_school(challenge, klass):
    other_class = make_org("零陵区", "希望小学", "三年级2班")[2]
    group = challenge.groups.get(name="小学")
    with pytest.raises(svc.ChallengeError):
        svc.register(challenge, svc.Registration(name="王五", group=group))
    with pytest.raises(svc.ChallengeError) as exc:
        svc.register(
            challenge, svc.Registration(name="王五", group=group, school=klass.school, school_class=other_class)
        )
    assert exc.value.code == "bad_class"


def test_audience_districts_restrict_registration(challenge, klass):
    other = make_org("零陵区", "希望小学", "三年级2班")[0]
    challenge.districts.add(other)
    with pytest.raises(svc.ChallengeError) as exc:
        register_student(challenge, "赵六", klass)
    assert exc.value.code == "not_in_audience"


def test_daily_limit_resume_and_practice(challenge, klass):
    p = register_student(challenge, "张小明", klass)
    now = timezone.now()
    first, resumed = svc.start_attempt(p, now=now)
    assert not resumed and len(first.paper) == 4
    again, resumed = svc.start_attempt(p, now=now + datetime.timedelta(seconds=5))
    assert resumed and again.pk == first.pk
    svc.submit(first.pk, now=now + datetime.timedelta(seconds=30))
    with pytest.raises(svc.ChallengeError) as exc:
        svc.start_attempt(p, now=now + datetime.timedelta(seconds=40))
    assert exc.value.code == "daily_limit"
    practice, _ = svc.start_attempt(p, practice=True, now=now + datetime.timedelta(seconds=50))
    assert practice.practice
    assert ChallengeAttempt.objects.filter(participant=p, practice=False).count() == 1


def test_daily_limit_resets_at_shanghai_midnight(challenge, klass):
    p = register_student(challenge, "张小明", klass)
    # 15:59 UTC is 23:59 in Shanghai; 16:01 UTC is the next local day.
    today = timezone.now().astimezone(datetime.UTC).replace(hour=15, minute=59, second=0, microsecond=0)
    a, _ = svc.start_attempt(p, now=today)
    svc.submit(a.pk, now=today + datetime.timedelta(seconds=20))
    with pytest.raises(svc.ChallengeError):
        svc.start_attempt(p, now=today + datetime.timedelta(seconds=40))
    b, resumed = svc.start_attempt(p, now=today + datetime.timedelta(minutes=2))
    assert not resumed and b.pk != a.pk


def test_window_is_enforced(klass):
    make_bank("小学", 6)
    now = timezone.now()
    c = make_challenge(starts=now + datetime.timedelta(days=1), ends=now + datetime.timedelta(days=5))
    p = register_student(c, "张小明", klass)
    with pytest.raises(svc.ChallengeError) as exc:
        svc.start_attempt(p, now=now)
    assert exc.value.code == "not_open_yet"


def test_scoring_deadline_and_double_submit(challenge, klass):
    p = register_student(challenge, "张小明", klass)
    now = timezone.now()
    attempt, _ = svc.start_attempt(p, now=now)
    paper = attempt.paper
    svc.save_answer(attempt.pk, 0, [wrong_choice(paper[0]["question_id"])], now=now + datetime.timedelta(seconds=5))
    # Changing an answer before submission is allowed: the last one counts.
    svc.save_answer(attempt.pk, 0, [correct_choice(paper[0]["question_id"])], now=now + datetime.timedelta(seconds=6))
    svc.save_answer(attempt.pk, 1, [correct_choice(paper[1]["question_id"])], now=now + datetime.timedelta(seconds=9))
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 2
    with pytest.raises(svc.ChallengeError) as exc:
        svc.save_answer(attempt.pk, 9, [1], now=now + datetime.timedelta(seconds=10))
    assert exc.value.code == "bad_index"
    # After the deadline: nothing is saved, the paper is auto-submitted with what it held.
    late = now + datetime.timedelta(seconds=601)
    with pytest.raises(svc.ChallengeError) as exc:
        svc.save_answer(attempt.pk, 2, [correct_choice(paper[2]["question_id"])], now=late)
    assert exc.value.code == "expired"
    attempt.refresh_from_db()
    assert attempt.status == ChallengeAttempt.Status.EXPIRED
    assert attempt.score == 50 and attempt.full_marks == 100 and attempt.correct_count == 2
    assert attempt.elapsed_ms == 600_000  # capped at the deadline
    assert not AttemptAnswer.objects.filter(attempt=attempt, index=2).exists()
    with pytest.raises(svc.ChallengeError) as exc:
        svc.submit(attempt.pk, now=late)
    assert exc.value.code == "already_submitted"
    p.refresh_from_db()
    assert p.has_result and p.score == 50 and p.level == "fail"
    assert not Certificate.objects.exists()


def test_expired_attempt_is_submitted_on_any_access(challenge, klass):
    p = register_student(challenge, "张小明", klass)
    now = timezone.now()
    attempt, _ = svc.start_attempt(p, now=now)
    attempt = svc.expire_if_due(attempt, now=now + datetime.timedelta(seconds=700))
    assert attempt.status == ChallengeAttempt.Status.EXPIRED


def test_pass_issues_a_certificate_and_best_counts(challenge, klass):
    p = register_student(challenge, "张小明", klass)
    now = timezone.now() - datetime.timedelta(days=1)
    attempt, _ = svc.start_attempt(p, now=now)
    for i, item in enumerate(attempt.paper):
        svc.save_answer(attempt.pk, i, [correct_choice(item["question_id"])], now=now + datetime.timedelta(seconds=i))
    svc.submit(attempt.pk, now=now + datetime.timedelta(seconds=42))
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.level == "excellent" and attempt.elapsed_ms == 42_000
    assert attempt.certificate.number.startswith("JK")
    # A worse attempt the next day does not replace the best one.
    later = now + datetime.timedelta(days=1)
    second, _ = svc.start_attempt(p, now=later)
    svc.submit(second.pk, now=later + datetime.timedelta(seconds=10))
    p.refresh_from_db()
    assert p.score == 100 and p.elapsed_ms == 42_000
    assert svc.ranks_for(p) == {"city": 1, "district": 1, "school": 1, "class": 1}


def test_result_view_only_after_submission(challenge, klass):
    p = register_student(challenge, "张小明", klass)
    attempt, _ = svc.start_attempt(p)
    view = svc.attempt_view(attempt)
    text = repr(view)
    assert "correct" not in text and "explanation" not in text and "解析" not in text
    with pytest.raises(svc.ChallengeError):
        svc.result_view(attempt)
    svc.submit(attempt.pk)
    attempt.refresh_from_db()
    result = svc.result_view(attempt)
    assert result["items"][0]["explanation"].startswith("解析")


def test_signed_in_user_registers_once(challenge, klass):
    from tests.factories import UserFactory

    user = UserFactory(username="s1")
    a = register_student(challenge, "张小明", klass, user=user)
    b = register_student(challenge, "张小明", klass, user=user)
    assert a.pk == b.pk and Participant.objects.count() == 1


def test_org_rankings_cap_participation(challenge):
    _d, school, klass = make_org(students=1)
    for name in ("甲一", "乙二"):
        p = register_student(challenge, name, klass)
        attempt, _ = svc.start_attempt(p)
        svc.submit(attempt.pk)
    rows = svc.org_rankings(challenge, "school")
    assert rows[0]["name"] == school.name and rows[0]["participation"] == 1.0 and rows[0]["participants"] == 2


def test_latest_attempt_counts_when_configured(klass):
    make_bank("小学", 6)
    c = make_challenge(slug="latest", counts="latest")
    p = register_student(c, "张小明", klass)
    day1 = timezone.now() - datetime.timedelta(days=2)
    a, _ = svc.start_attempt(p, now=day1)
    for i, item in enumerate(a.paper):
        svc.save_answer(a.pk, i, [correct_choice(item["question_id"])], now=day1 + datetime.timedelta(seconds=i + 1))
    svc.submit(a.pk, now=day1 + datetime.timedelta(seconds=20))
    day2 = day1 + datetime.timedelta(days=1)
    b, _ = svc.start_attempt(p, now=day2)
    svc.submit(b.pk, now=day2 + datetime.timedelta(seconds=20))
    p.refresh_from_db()
    assert p.score == 0 and p.level == "fail"


def test_abandoned_papers_are_swept_onto_the_board(challenge, klass):
    from django.core.management import call_command

    p = register_student(challenge, "张小明", klass)
    start = timezone.now() - datetime.timedelta(hours=1)
    attempt, _ = svc.start_attempt(p, now=start)
    svc.save_answer(attempt.pk, 0, [correct_choice(attempt.paper[0]["question_id"])], now=start)
    call_command("rebuild_leaderboards", "--challenge", str(challenge.pk))
    attempt.refresh_from_db()
    p.refresh_from_db()
    assert attempt.status == ChallengeAttempt.Status.EXPIRED and attempt.elapsed_ms == 600_000
    assert p.has_result and p.score == 25
