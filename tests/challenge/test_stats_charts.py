"""The statistics page draws its charts as inline SVG, inside each viewer's scope, with empty states."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts import roles
from campaigns.schools.models import DistrictStaff, TeacherProfile
from quiz.challenge_views import curl
from quiz.services import challenge as svc
from tests.factories import UserFactory

from .factories import correct_choice, make_bank, make_challenge, make_org, register_student

pytestmark = pytest.mark.django_db

LONG_NAME = "冷水滩区梅湾街道第一中心小学附属实验学校分校区（南校区）"


@pytest.fixture(autouse=True)
def _database_board(settings, monkeypatch):
    settings.REDIS_URL = ""
    # No big screen here: a board publication from a timer thread would outlive the test's tables.
    monkeypatch.setattr(svc, "poke_board", lambda challenge_id: None)


@pytest.fixture
def challenge(django_capture_on_commit_callbacks):
    # Commit hooks run as after a real commit, so that anything caching the bank hears of the new questions.
    with django_capture_on_commit_callbacks(execute=True):
        make_bank("小学", 6)
        make_bank("社会", 6)
    return make_challenge(question_count=4, seconds=600)


def finish(challenge, name, klass, *, right=0, when=None):
    """A student registers and hands in a paper with the first ``right`` answers correct."""
    participant = register_student(challenge, name, klass)
    attempt, _ = svc.start_attempt(participant, now=when)
    for index, item in enumerate(attempt.paper[:right]):
        svc.save_answer(attempt.pk, index, [correct_choice(item["question_id"])], now=when)
    svc.submit(attempt.pk, now=when)
    return attempt


def svg(body, chart_id):
    """The inline SVG with ``chart_id`` (up to the end of its figure), or None."""
    at = body.find(f'<svg class="chal-svg chal-svg-bars" id="{chart_id}"')
    if at < 0:
        at = body.find(f'<svg class="chal-svg chal-svg-daily" id="{chart_id}"')
    return None if at < 0 else body[at : body.index("</figure>", at)]


@pytest.fixture
def orgs(challenge):
    d1, s1, k1 = make_org("冷水滩区", "阳光小学", "五年级1班")
    _d1, s1b, k1b = make_org("冷水滩区", LONG_NAME, "六年级2班")
    d2, s2, k2 = make_org("零陵区", "希望小学", "三年级2班")
    yesterday = timezone.now() - datetime.timedelta(days=1)
    finish(challenge, "甲同学", k1, right=4, when=yesterday)
    finish(challenge, "乙同学", k1, right=2)
    finish(challenge, "丙同学", k1b, right=3)
    finish(challenge, "丁同学", k2, right=1)
    return {"d1": d1, "d2": d2, "s1": s1, "s1b": s1b, "s2": s2}


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def district_admin(district):
    office = UserFactory(username=f"office-{district.pk}", roles=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.create(user=office, district=district)
    return office


def school_admin(school):
    head = UserFactory(username=f"head-{school.pk}", roles=[roles.SCHOOL_ADMIN, roles.TEACHER])
    TeacherProfile.objects.create(user=head, school=school)
    return head


def test_district_admin_sees_charts_of_their_district_only(challenge, orgs):
    body = client_for(district_admin(orgs["d1"])).get(curl("stats", challenge.slug)).content.decode()
    assert "希望小学" not in body and "零陵区" not in body

    schools = svg(body, "chal-chart-school")
    assert schools is not None
    assert 'role="img" aria-labelledby="chal-chart-school-title" aria-describedby="chal-chart-school-desc"' in schools
    assert '<title id="chal-chart-school-title">' in schools and '<desc id="chal-chart-school-desc">' in schools
    # Both of the district's schools are drawn: one bar per series each (4 series).
    assert "阳光小学" in schools
    assert f"<title>{LONG_NAME} — " in schools  # the whole name in the tooltip ...
    assert f">{LONG_NAME}</text>" in schools  # ... and on wide screens,
    assert re.search(r'chal-narrow"[^>]*>冷水滩区梅湾[^<]*…</text>', schools)  # cut on phones.
    assert schools.count('class="chal-bar ') == 2 * 4
    # Percent on x, px on y: the SVG has no viewBox of its own, so its text is never scaled down.
    assert 'width="100%"' in schools and "viewBox" not in schools.split(">", 1)[0]

    districts = svg(body, "chal-chart-district")
    assert "冷水滩区" in districts and districts.count('class="chal-bar ') == 4

    # The tables stay under the charts.
    card = body[body.index('id="chal-stats-schools"') :]
    assert card.index("chal-chart-school") < card.index('<table class="data">')

    questions = svg(body, "chal-chart-questions")
    assert questions is not None and "下列说法正确的是？" in questions
    assert 'class="chal-bar chal-s-bad"' in questions or 'class="chal-bar chal-s-warn"' in questions

    daily = svg(body, "chal-chart-daily")
    assert daily is not None and 'role="img"' in daily
    days = [timezone.localdate() - datetime.timedelta(days=1), timezone.localdate()]
    for d in days:
        assert f">{d:%m-%d}</text>" in daily  # date ticks
        assert f"<title>{d:%Y-%m-%d}：" in daily  # one tooltip per day
    assert "1人 / 1次" in daily and "2人 / 2次" in daily  # the district's three students: 1 yesterday, 2 today
    assert "所选范围内还没有人完成答题。" not in body


def test_school_admin_sees_only_their_school(challenge, orgs):
    body = client_for(school_admin(orgs["s2"])).get(curl("stats", challenge.slug)).content.decode()
    schools = svg(body, "chal-chart-school")
    assert "希望小学" in schools and schools.count('class="chal-bar ') == 4
    for other in ("阳光小学", "梅湾街道", "冷水滩区"):
        assert other not in body
    assert "1人 / 1次" in svg(body, "chal-chart-daily")  # one student, one day: a single labelled point


def test_filters_reach_the_charts(challenge, orgs):
    c = client_for(district_admin(orgs["d1"]))
    today = timezone.localdate().isoformat()
    body = c.get(curl("stats", challenge.slug), {"date_from": today}).content.decode()
    daily = svg(body, "chal-chart-daily")
    assert daily.count('<g class="chal-day">') == 1
    assert "2人 / 2次" in daily  # the single day carries its value as text
    social = challenge.groups.get(name="社会")
    body = c.get(curl("stats", challenge.slug), {"group": social.pk}).content.decode()
    assert svg(body, "chal-chart-school") is None and svg(body, "chal-chart-daily") is None
    assert "所选范围内还没有人完成答题。" in body


def test_empty_challenge_shows_empty_states(challenge):
    make_org("冷水滩区", "阳光小学", "五年级1班")
    body = client_for(district_admin(make_org("零陵区", "希望小学", "三年级2班")[0])).get(curl("stats", challenge.slug))
    assert body.status_code == 200
    body = body.content.decode()
    assert 'class="chal-svg' not in body
    assert 'id="chal-daily-empty"' in body and "所选范围内还没有人完成答题。" in body
    assert body.count("暂无数据") >= 3  # districts, schools and questions tables


def test_top_schools_in_the_chart_and_the_rest_in_the_table(challenge):
    district = make_org("冷水滩区", "第1小学", "一班")[0]
    for n in range(1, 13):
        klass = make_org("冷水滩区", f"第{n}小学", f"{n}班")[2]
        finish(challenge, f"学生{n}", klass, right=n % 5)
    admin = district_admin(district)
    body = client_for(admin).get(curl("stats", challenge.slug)).content.decode()
    schools = svg(body, "chal-chart-school")
    assert schools.count('<g class="chal-group">') == 10
    assert "综合指数前 10 所学校，共 12 所，全部见下表。" in body
    table = body[body.index('id="chal-stats-schools"') :].split("</table>", 1)[0]
    assert all(f"第{n}小学" in table for n in range(1, 13))
