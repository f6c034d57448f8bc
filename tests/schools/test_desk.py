"""The teacher desk and log form: who may open what, and the submit/return/resubmit loop."""

import datetime

import pytest
from django.urls import reverse

from accounts import roles
from campaigns.schools.models import ActivityRecord
from tests.factories import PASSWORD, UserFactory

from .factories import (
    ActivityFactory,
    RecordFactory,
    SchoolClassFactory,
    make_district_admin,
    make_school_admin,
    make_teacher,
    photo_upload,
)

pytestmark = pytest.mark.django_db
Status = ActivityRecord.Status


@pytest.fixture
def world():
    klass = SchoolClassFactory(name="五年级2班", student_count=40)
    other_class = SchoolClassFactory(name="六年级1班")  # another school
    a = ActivityFactory(name="开展一次禁毒主题班会", min_photos=2)
    b = ActivityFactory(name="参观一次禁毒展览", min_photos=1)
    teacher = make_teacher(klass.school, [klass], username="teacher")
    return {"klass": klass, "other": other_class, "a": a, "b": b, "teacher": teacher}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_desk_lists_own_classes_with_status_and_reason(client, world):
    RecordFactory(school_class=world["klass"], activity=world["a"], status=Status.RETURNED, return_reason="照片太暗")
    login(client, world["teacher"])
    response = client.get(reverse("schools:desk"))
    assert response.status_code == 200
    html = response.text
    assert "五年级2班" in html and "六年级1班" not in html
    assert "已退回" in html and "照片太暗" in html and "未登记" in html


@pytest.mark.parametrize("role", [None, roles.STUDENT, roles.SCHOOL_ADMIN, roles.DISTRICT_ADMIN])
def test_non_teachers_get_403(client, world, role):
    user = UserFactory(username=f"u-{role}", roles=[role] if role else [])
    login(client, user)
    assert client.get(reverse("schools:desk")).status_code == 403
    assert client.get(reverse("schools:log", args=[world["klass"].pk])).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("schools:desk"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_teacher_cannot_open_another_schools_class(client, world):
    login(client, world["teacher"])
    assert client.get(reverse("schools:log", args=[world["other"].pk])).status_code == 404
    response = client.post(
        reverse("schools:log", args=[world["other"].pk]),
        {"activity": world["b"].pk, "date": "2026-10-10", "participants": 5, "photos": [photo_upload()]},
    )
    assert response.status_code == 404
    assert not ActivityRecord.objects.exists()


def test_log_submit_and_errors(client, world):
    login(client, world["teacher"])
    url = reverse("schools:log", args=[world["klass"].pk])
    page = client.get(url + f"?activity={world['a'].pk}")
    assert page.status_code == 200 and "multiple" in page.text and "data-draft-key" in page.text
    bad = client.post(
        url, {"activity": world["a"].pk, "date": "2026-10-10", "participants": 50, "photos": [photo_upload()]}
    )
    assert bad.status_code == 200
    assert "至少需要 2 张照片" in bad.text and "不能超过班级人数" in bad.text
    ok = client.post(
        url,
        {
            "activity": world["a"].pk,
            "date": "2026-10-10",
            "participants": 38,
            "description": "班会",
            "photos": [photo_upload("1.jpg"), photo_upload("2.jpg")],
        },
    )
    assert ok.status_code == 302 and ok["Location"].endswith(f"?saved={world['klass'].pk}")
    record = ActivityRecord.objects.get()
    assert record.status == Status.SUBMITTED and record.photos.count() == 2 and record.submitted_by == world["teacher"]
    # Already submitted: the type is no longer offered.
    assert f'value="{world["a"].pk}"' not in client.get(url).text


def test_returned_record_is_edited_and_resubmitted(client, world):
    login(client, world["teacher"])
    record = RecordFactory(
        school_class=world["klass"],
        activity=world["b"],
        status=Status.RETURNED,
        return_reason="缺少照片",
        date=datetime.date(2026, 10, 1),
    )
    url = reverse("schools:log", args=[world["klass"].pk]) + f"?activity={world['b'].pk}"
    page = client.get(url)
    assert "缺少照片" in page.text and "重新提交" in page.text
    response = client.post(
        url, {"activity": world["b"].pk, "date": "2026-10-02", "participants": 33, "photos": [photo_upload()]}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.participants == 33 and ActivityRecord.objects.count() == 1


def test_photos_are_served_only_to_the_class_and_reviewers_in_scope(client, world):
    login(client, world["teacher"])
    client.post(
        reverse("schools:log", args=[world["klass"].pk]),
        {"activity": world["b"].pk, "date": "2026-10-10", "participants": 5, "photos": [photo_upload()]},
    )
    photo = ActivityRecord.objects.get().photos.get()
    for kind in ("thumb", "display", "original"):
        assert client.get(reverse("schools:photo", args=[photo.pk, kind])).status_code == 200
    outsiders = [
        make_teacher(world["other"].school, [world["other"]], username="other-teacher"),
        make_school_admin(world["other"].school, "other-admin"),
        make_district_admin(world["other"].school.district, "other-office"),
    ]
    for user in outsiders:
        client.logout()
        login(client, user)
        assert client.get(reverse("schools:photo", args=[photo.pk, "display"])).status_code == 404
    client.logout()
    login(client, make_school_admin(world["klass"].school, "own-admin"))
    assert client.get(reverse("schools:photo", args=[photo.pk, "thumb"])).status_code == 200
