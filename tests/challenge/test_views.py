"""The challenge over HTTP: direct API calls cannot beat the limits, answers stay hidden, public pages mask names."""

import datetime
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook
from PIL import Image

from accounts import roles
from campaigns.schools.models import DistrictStaff, TeacherProfile
from quiz.challenge_views import curl
from quiz.models import ChallengeAttempt, Participant
from quiz.services import challenge as svc
from tests.factories import UserFactory

from .factories import correct_choice, make_bank, make_challenge, make_org, register_student

pytestmark = pytest.mark.django_db

FULL_NAME = "张小明"


@pytest.fixture(autouse=True)
def _database_board(settings, monkeypatch):
    settings.REDIS_URL = ""
    # No big screen here: a board publication from a timer thread would outlive the test's tables.
    monkeypatch.setattr(svc, "poke_board", lambda challenge_id: None)


def url(name, *args):
    return curl(name, *args)


@pytest.fixture
def challenge():
    make_bank("小学", 6)
    make_bank("社会", 6)
    return make_challenge(question_count=4, seconds=600)


@pytest.fixture
def org():
    return make_org()


@pytest.fixture
def student(challenge, org):
    user = UserFactory(username="stu-zhang", display_name=FULL_NAME, roles=[roles.STUDENT])
    client = Client()
    client.force_login(user)
    participant = register_student(challenge, FULL_NAME, org[2], user=user)
    return client, participant


def api(client, path, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json", HTTP_ACCEPT="application/json")


def finish_perfect(client, participant, challenge):
    started = api(client, url("start", challenge.slug)).json()
    attempt = ChallengeAttempt.objects.get(pk=started["attempt_id"])
    for i, item in enumerate(attempt.paper):
        assert api(
            client, url("answer", attempt.pk), {"index": i, "choice_ids": [correct_choice(item["question_id"])]}
        ).json()["ok"]
    assert api(client, url("submit", attempt.pk)).json()["ok"]
    attempt.refresh_from_db()
    return attempt


def test_start_twice_resumes_then_the_daily_limit_holds(challenge, student):
    client, participant = student
    first = api(client, url("start", challenge.slug))
    second = api(client, url("start", challenge.slug))
    assert first.status_code == second.status_code == 200
    assert first.json()["attempt_id"] == second.json()["attempt_id"] and second.json()["resumed"]
    assert api(client, url("submit", first.json()["attempt_id"])).status_code == 200
    third = api(client, url("start", challenge.slug))
    assert third.status_code == 403 and third.json()["error"] == "daily_limit"
    # A form post gets the same refusal as a message, and no new attempt.
    client.post(url("start", challenge.slug))
    assert ChallengeAttempt.objects.filter(participant=participant, practice=False).count() == 1
    practice = api(client, url("start", challenge.slug), {"practice": True})
    assert practice.status_code == 200
    assert ChallengeAttempt.objects.get(pk=practice.json()["attempt_id"]).practice


def test_save_after_deadline_and_submit_twice_are_refused(challenge, student):
    client, _participant = student
    attempt_id = api(client, url("start", challenge.slug)).json()["attempt_id"]
    attempt = ChallengeAttempt.objects.get(pk=attempt_id)
    qid = attempt.paper[0]["question_id"]
    assert api(client, url("answer", attempt_id), {"index": 0, "choice_ids": [correct_choice(qid)]}).status_code == 200
    # The deadline passes just after the first answer (which therefore counts).
    answered_at = attempt.answers.get(index=0).answered_at
    ChallengeAttempt.objects.filter(pk=attempt_id).update(deadline_at=answered_at + datetime.timedelta(microseconds=1))
    late = api(
        client, url("answer", attempt_id), {"index": 1, "choice_ids": [correct_choice(attempt.paper[1]["question_id"])]}
    )
    assert late.status_code == 409 and late.json()["error"] in {"expired", "already_submitted"}
    attempt.refresh_from_db()
    assert attempt.status == ChallengeAttempt.Status.EXPIRED and attempt.score == 25
    again = api(client, url("submit", attempt_id))
    assert again.status_code == 409 and again.json()["error"] == "already_submitted"
    attempt.refresh_from_db()
    assert attempt.score == 25


def test_bad_answers_are_refused(challenge, student):
    client, _p = student
    attempt_id = api(client, url("start", challenge.slug)).json()["attempt_id"]
    assert api(client, url("answer", attempt_id), {"index": 0, "choice_ids": [999999]}).status_code == 400
    assert api(client, url("answer", attempt_id), {"index": "x", "choice_ids": [1]}).status_code == 400
    assert client.post(url("answer", attempt_id), "not json", content_type="application/json").status_code == 400


def test_answers_are_never_sent_before_submission(challenge, student):
    client, _p = student
    attempt_id = api(client, url("start", challenge.slug)).json()["attempt_id"]
    attempt = ChallengeAttempt.objects.get(pk=attempt_id)
    saved = api(
        client, url("answer", attempt_id), {"index": 0, "choice_ids": [correct_choice(attempt.paper[0]["question_id"])]}
    )
    for body in (
        client.get(url("paper", attempt_id)).content.decode(),
        client.get(url("state", attempt_id)).content.decode(),
        saved.content.decode(),
        api(client, url("start", challenge.slug)).content.decode(),
    ):
        for secret in ("is_correct", "correct", "explanation", "解析", json.dumps("解析")[1:-1]):
            assert secret not in body
    # Before submission the result page sends the student back to the paper.
    assert client.get(url("result", attempt_id)).status_code == 302
    api(client, url("submit", attempt_id))
    page = client.get(url("result", attempt_id)).content.decode()
    assert "解析" in page


def test_other_peoples_attempts_are_not_found(challenge, student, org):
    client, _p = student
    attempt_id = api(client, url("start", challenge.slug)).json()["attempt_id"]
    stranger = Client()
    stranger.force_login(UserFactory(username="other", roles=[roles.STUDENT]))
    for name in ("paper", "state", "result"):
        assert stranger.get(url(name, attempt_id)).status_code == 404
    assert api(stranger, url("answer", attempt_id), {"index": 0, "choice_ids": [1]}).status_code == 404
    assert api(stranger, url("submit", attempt_id)).status_code == 404
    assert Client().get(url("paper", attempt_id)).status_code == 404


def test_result_certificate_and_verification(challenge, student):
    client, participant = student
    attempt = finish_perfect(client, participant, challenge)
    page = client.get(url("result", attempt.pk)).content.decode()
    assert "全市排名" in page and attempt.certificate.number in page
    png = client.get(url("certificate", attempt.certificate.number, "png"))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (1600, 1130)
    pdf = client.get(url("certificate", attempt.certificate.number, "pdf"))
    assert pdf.content.startswith(b"%PDF")
    # Only the holder downloads it; anyone may verify it, and sees the name masked.
    assert Client().get(url("certificate", attempt.certificate.number, "png")).status_code == 404
    verify = Client().get(url("verify", attempt.certificate.number))
    body = verify.content.decode()
    assert verify.status_code == 200 and "真实有效" in body and "张*明" in body and FULL_NAME not in body
    assert challenge.title in body and "优秀" in body
    assert participant.school.name not in body and "五年级" not in body
    assert Client().get(url("verify", "JK-NOPE")).status_code == 404


def test_public_pages_mask_names(challenge, student, org):
    client, participant = student
    finish_perfect(client, participant, challenge)
    group = challenge.groups.get(name="社会")
    svc.register(challenge, svc.Registration(name="欧阳娜娜", group=group, phone="13812345678", work_unit="市医院"))
    anonymous = Client()
    for path in (
        url("board", challenge.slug),
        url("screen", challenge.slug),
        url("index"),
        url("landing", challenge.slug),
    ):
        body = anonymous.get(path).content.decode()
        for secret in (FULL_NAME, "欧阳娜娜", "13812345678"):
            # json_script escapes non-ASCII, so look for both spellings.
            assert secret not in body and json.dumps(secret)[1:-1] not in body, path
    assert "张*明" in anonymous.get(url("board", challenge.slug)).content.decode()
    assert json.dumps("张*明")[1:-1] in anonymous.get(url("screen", challenge.slug)).content.decode()
    snapshot = svc.board_snapshot(challenge)
    assert FULL_NAME not in json.dumps(snapshot, ensure_ascii=False)


def test_registration_form_requires_guardian_consent_under_14(challenge, org):
    district, school, klass = org
    client = Client()
    data = {
        "name": "李小红", "group": challenge.groups.get(name="小学").pk, "district": district.pk,
        "school": school.pk, "school_class": klass.pk, "is_under_14": "on", "guardian_name": "李大山",
    }  # fmt: skip
    response = client.post(url("register", challenge.slug), data)
    assert response.status_code == 200 and "监护人" in response.content.decode()
    assert not Participant.objects.exists()
    data["guardian_consent"] = "on"
    response = client.post(url("register", challenge.slug), data)
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.guardian_consent_at is not None and participant.user is None
    # The anonymous registrant keeps their paper through the session.
    started = api(client, url("start", challenge.slug))
    assert started.status_code == 200


def test_public_group_registers_with_phone_and_work_unit(challenge):
    client = Client()
    data = {"name": "王建国", "group": challenge.groups.get(name="社会").pk, "phone": "13800001111", "work_unit": ""}
    assert client.post(url("register", challenge.slug), data).status_code == 200
    data["work_unit"] = "市自来水公司"
    assert client.post(url("register", challenge.slug), data).status_code == 302
    assert Participant.objects.get().work_unit == "市自来水公司"


def test_stats_are_scoped_by_district_and_school(challenge):
    d1, s1, k1 = make_org("冷水滩区", "阳光小学", "五年级1班")
    _d2, s2, k2 = make_org("零陵区", "希望小学", "三年级2班")
    for name, klass in (("甲同学", k1), ("乙同学", k2)):
        p = register_student(challenge, name, klass)
        attempt, _ = svc.start_attempt(p)
        svc.submit(attempt.pk)
    office = UserFactory(username="office-d1", roles=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.create(user=office, district=d1)
    head = UserFactory(username="admin-s2", roles=[roles.SCHOOL_ADMIN, roles.TEACHER])
    TeacherProfile.objects.create(user=head, school=s2)
    teacher = UserFactory(username="teacher-x", roles=[roles.TEACHER])
    TeacherProfile.objects.create(user=teacher, school=s1)

    c = Client()
    c.force_login(office)
    body = c.get(url("stats", challenge.slug)).content.decode()
    assert "阳光小学" in body and "希望小学" not in body and "零陵区" not in body
    wb = load_workbook(io.BytesIO(c.get(url("stats_export", challenge.slug)).content))
    assert set(wb.sheetnames) == {"区县", "学校", "题目正确率", "每日参与"}
    names = [row[0] for row in wb["学校"].iter_rows(min_row=2, values_only=True)]
    assert names == ["阳光小学"]

    c.force_login(head)
    body = c.get(url("stats", challenge.slug)).content.decode()
    assert "希望小学" in body and "阳光小学" not in body
    names = [
        row[0]
        for row in load_workbook(io.BytesIO(c.get(url("stats_export", challenge.slug)).content))["学校"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert names == ["希望小学"]
    # Filters: a group with no results empties the tables.
    social = challenge.groups.get(name="社会")
    assert "希望小学" not in c.get(url("stats", challenge.slug) + f"?group={social.pk}").content.decode()

    for user in (teacher, None):
        c = Client()
        if user:
            c.force_login(user)
        response = c.get(url("stats", challenge.slug))
        assert response.status_code in (302, 403)
        assert c.get(url("stats_export", challenge.slug)).status_code in (302, 403)
