"""A signed-in student with a class account registers in that class: shown read-only, never taken from the post."""

import pytest
from django.test import Client

from accounts.models import User
from campaigns.schools import services as school_services
from quiz.challenge_views import curl
from quiz.models import Participant
from quiz.services import challenge as svc
from tests.factories import PASSWORD
from tests.schools.factories import make_teacher

from .factories import make_bank, make_challenge, make_org

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_board(settings, monkeypatch):
    settings.REDIS_URL = ""
    monkeypatch.setattr(svc, "poke_board", lambda challenge_id: None)


@pytest.fixture
def world():
    make_bank("小学", 6)
    make_bank("社会", 6)
    challenge = make_challenge(question_count=4, seconds=600)
    _district, school, klass = make_org()
    _d2, other_school, other_class = make_org(district_name="零陵区", school_name="柳子小学", class_name="四年级2班")
    teacher = make_teacher(school, [klass], username="teacher")
    (account,) = school_services.create_student_accounts(user=teacher, school_class=klass, names=["张小明"])
    client = Client()
    assert client.login(username=account.username, password=account.password)
    return {
        "challenge": challenge,
        "klass": klass,
        "other_school": other_school,
        "other_class": other_class,
        "client": client,
        "student": User.objects.get(username=account.username),
    }


def test_form_shows_the_profile_class_read_only_and_the_name(world):
    html = world["client"].get(curl("register", world["challenge"].slug)).content.decode()
    klass = world["klass"]
    assert f"{klass.school.district.name} · {klass.school.name} · {klass.name}" in html
    assert 'name="school_class"' not in html and 'name="school"' not in html and 'name="district"' not in html
    assert "请选择班级" not in html
    assert 'value="张小明"' in html
    # The public group (phone and work unit) is not offered to a class account.
    assert ">社会<" not in html and ">小学<" in html


def test_posting_another_class_is_ignored(world):
    challenge = world["challenge"]
    data = {
        "name": "张小明",
        "group": challenge.groups.get(name="小学").pk,
        "district": world["other_school"].district_id,
        "school": world["other_school"].pk,
        "school_class": world["other_class"].pk,
    }
    response = world["client"].post(curl("register", challenge.slug), data)
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert participant.user == world["student"]
    assert participant.school_class == world["klass"]
    assert participant.school == world["klass"].school
    assert participant.district == world["klass"].school.district


def test_under_14_still_needs_the_guardian(world):
    challenge = world["challenge"]
    data = {"name": "张小明", "group": challenge.groups.get(name="小学").pk, "is_under_14": "on"}
    response = world["client"].post(curl("register", challenge.slug), data)
    assert response.status_code == 200 and "监护人" in response.content.decode()
    assert not Participant.objects.exists()
    data.update(guardian_name="张大山", guardian_consent="on")
    assert world["client"].post(curl("register", challenge.slug), data).status_code == 302
    participant = Participant.objects.get()
    assert participant.guardian_consent_at is not None and participant.school_class == world["klass"]


def test_public_group_cannot_be_chosen_by_a_class_account(world):
    challenge = world["challenge"]
    data = {"name": "张小明", "group": challenge.groups.get(name="社会").pk, "phone": "13800001111", "work_unit": "x"}
    response = world["client"].post(curl("register", challenge.slug), data)
    assert response.status_code == 200
    assert not Participant.objects.exists()


def test_a_class_outside_the_audience_is_refused_clearly(world):
    challenge = world["challenge"]
    challenge.districts.set([world["other_school"].district])
    data = {"name": "张小明", "group": challenge.groups.get(name="小学").pk}
    response = world["client"].post(curl("register", challenge.slug), data)
    assert response.status_code == 200 and "本次挑战赛只面向指定区县" in response.content.decode()
    assert not Participant.objects.exists()


def test_users_without_a_class_account_still_pick(world):
    teacher = Client()
    assert teacher.login(username="teacher", password=PASSWORD)
    html = teacher.get(curl("register", world["challenge"].slug)).content.decode()
    assert 'name="school_class"' in html and "请选择班级" in html
    anonymous = Client().get(curl("register", world["challenge"].slug)).content.decode()
    assert 'name="school_class"' in anonymous
