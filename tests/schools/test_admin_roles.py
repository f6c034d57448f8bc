"""Every role as a real non-superuser against the admin listings, edit/review/approve URLs and exports.

World: district X has 甲小学 (class 甲班) and 乙小学 (乙班); district Y has 丙中学 (丙班).
One submitted record per class. Other schools' rows by direct URL: 403 or 404, never data.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from accounts import roles
from campaigns.schools.models import ActivityRecord
from tests.factories import PASSWORD, UserFactory

from .factories import (
    ActivityFactory,
    DistrictFactory,
    RecordFactory,
    SchoolClassFactory,
    SchoolFactory,
    make_district_admin,
    make_school_admin,
    make_teacher,
)

pytestmark = pytest.mark.django_db
Status = ActivityRecord.Status
DENIED = (302, 403, 404)


@pytest.fixture
def world():
    x, y = DistrictFactory(name="X区"), DistrictFactory(name="Y区")
    s1 = SchoolFactory(district=x, name="甲小学")
    s2 = SchoolFactory(district=x, name="乙小学")
    s3 = SchoolFactory(district=y, name="丙中学")
    c1 = SchoolClassFactory(school=s1, name="甲班")
    c2 = SchoolClassFactory(school=s2, name="乙班")
    c3 = SchoolClassFactory(school=s3, name="丙班")
    activity = ActivityFactory(name="开展一次禁毒主题班会")
    records = {k: RecordFactory(school_class=c, activity=activity) for k, c in {"r1": c1, "r2": c2, "r3": c3}.items()}
    users = {
        "teacher": make_teacher(s1, [c1], username="teacher"),
        "school_admin": make_school_admin(s1, "schooladmin"),
        "district_admin": make_district_admin(x, "office"),
        "city": make_district_admin(None, "city"),
    }
    return {"s1": s1, "s2": s2, "s3": s3, "c1": c1, "c2": c2, "c3": c3, **records, **users}


# Who sees which schools' records.
VISIBLE = {
    "school_admin": {"甲班"},
    "district_admin": {"甲班", "乙班"},
    "city": {"甲班", "乙班", "丙班"},
}
ALL_CLASSES = {"甲班", "乙班", "丙班"}


def as_user(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize("role", ["school_admin", "district_admin", "city"])
def test_record_listing_and_export_are_scoped(client, world, role):
    as_user(client, world[role])
    listing = client.get("/admin/fiveones_records/")
    assert listing.status_code == 200
    shown = {name for name in ALL_CLASSES if name in listing.text}
    assert shown == VISIBLE[role]
    export = client.get("/admin/fiveones_records/?export=csv")
    assert export.status_code == 200
    body = b"".join(export.streaming_content).decode() if export.streaming else export.text
    assert {name for name in ALL_CLASSES if name in body} == VISIBLE[role]
    xlsx = client.get("/admin/fiveones_records/?export=xlsx")
    assert xlsx.status_code == 200


@pytest.mark.parametrize("role", ["school_admin", "district_admin", "city"])
def test_direct_urls_outside_scope_never_show_data(client, world, role):
    as_user(client, world[role])
    for key, name in (("r1", "甲班"), ("r2", "乙班"), ("r3", "丙班")):
        record = world[key]
        review = client.get(reverse("fiveones_review:record", args=[record.pk]))
        if name in VISIBLE[role]:
            assert review.status_code == 200 and name in review.text
        else:
            assert review.status_code == 404 and name not in review.text
        # Records are never edited or deleted in the admin by these roles.
        for url in (f"/admin/fiveones_records/edit/{record.pk}/", f"/admin/fiveones_records/delete/{record.pk}/"):
            response = client.get(url)
            assert response.status_code in DENIED and name not in response.text
        history = client.get(f"/admin/fiveones_records/history/{record.pk}/")
        assert history.status_code in DENIED or name in VISIBLE[role]


@pytest.mark.parametrize("role", ["school_admin", "district_admin", "city"])
def test_approve_and_bulk_approve_only_inside_scope(client, world, role):
    as_user(client, world[role])
    for key in ("r1", "r2", "r3"):
        client.post(reverse("fiveones_review:record", args=[world[key].pk]), {"action": "approve"})
    approved = set(ActivityRecord.objects.filter(status=Status.APPROVED).values_list("school_class__name", flat=True))
    assert approved == VISIBLE[role]
    ActivityRecord.objects.update(status=Status.SUBMITTED)
    client.post(reverse("fiveones_review:queue"), {"record": [world[k].pk for k in ("r1", "r2", "r3")]})
    approved = set(ActivityRecord.objects.filter(status=Status.APPROVED).values_list("school_class__name", flat=True))
    assert approved == VISIBLE[role]


def test_return_needs_a_reason_and_the_queue_lists_only_scope(client, world):
    as_user(client, world["school_admin"])
    queue = client.get(reverse("fiveones_review:queue"))
    assert queue.status_code == 200 and "甲班" in queue.text and "乙班" not in queue.text
    url = reverse("fiveones_review:record", args=[world["r1"].pk])
    assert client.post(url, {"action": "return", "reason": ""}).status_code == 400
    world["r1"].refresh_from_db()
    assert world["r1"].status == Status.SUBMITTED
    client.post(url, {"action": "return", "reason": "缺少签到表"})
    world["r1"].refresh_from_db()
    assert world["r1"].status == Status.RETURNED and world["r1"].return_reason == "缺少签到表"
    assert (
        client.post(
            reverse("fiveones_review:record", args=[world["r2"].pk]), {"action": "return", "reason": "x"}
        ).status_code
        == 404
    )
    world["r2"].refresh_from_db()
    assert world["r2"].status == Status.SUBMITTED


def test_teacher_and_strangers_cannot_use_admin_review_or_dashboard(client, world):
    stranger = UserFactory(username="student", roles=[roles.STUDENT])
    unplaced_office = UserFactory(username="unplaced", roles=[roles.DISTRICT_ADMIN])  # no DistrictStaff row
    for user in (world["teacher"], stranger, unplaced_office):
        as_user(client, user)
        urls = [
            "/admin/fiveones_records/",
            "/admin/fiveones_records/?export=csv",
            reverse("fiveones_review:queue"),
            reverse("fiveones_review:record", args=[world["r1"].pk]),
            reverse("schools:dashboard"),
            reverse("schools:dashboard_export"),
        ]
        for url in urls:
            response = client.get(url)
            # An office user with no district placement may open the (empty) listing, nothing else.
            allowed = DENIED + (
                (200,) if user == unplaced_office and url.startswith("/admin/fiveones_records/") else ()
            )
            assert response.status_code in allowed, url
            body = b"".join(response.streaming_content).decode() if response.streaming else response.text
            assert "甲班" not in body
        client.post(reverse("fiveones_review:record", args=[world["r1"].pk]), {"action": "approve"})
        client.post(reverse("fiveones_review:queue"), {"record": [world["r1"].pk]})
    assert not ActivityRecord.objects.filter(status=Status.APPROVED).exists()


@pytest.mark.parametrize(
    ("role", "url_name", "own", "other"),
    [
        ("school_admin", "fiveones_classes", "c1", "c2"),
        ("district_admin", "fiveones_classes", "c2", "c3"),
        ("district_admin", "fiveones_schools", "s2", "s3"),
    ],
)
def test_organisation_edit_urls_are_scoped(client, world, role, url_name, own, other):
    as_user(client, world[role])
    assert client.get(f"/admin/{url_name}/edit/{world[own].pk}/").status_code == 200
    response = client.get(f"/admin/{url_name}/edit/{world[other].pk}/")
    assert response.status_code == 404
    listing = client.get(f"/admin/{url_name}/")
    assert str(world[other].name) not in listing.text


def test_school_admin_cannot_see_other_teachers_or_create_classes_elsewhere(client, world):
    other_teacher = make_teacher(world["s2"], [world["c2"]], username="other-teacher")
    as_user(client, world["school_admin"])
    profile = other_teacher.teacher_profile
    assert client.get(f"/admin/fiveones_teachers/edit/{profile.pk}/").status_code == 404
    response = client.post(
        "/admin/fiveones_classes/new/",
        {"school": world["s2"].pk, "school_year": "2026-2027", "grade": 3, "name": "偷偷加的班", "student_count": 30},
    )
    assert response.status_code == 200  # form error: the school is not a valid choice
    assert not world["s2"].classes.filter(name="偷偷加的班").exists()


@pytest.mark.parametrize("role", ["school_admin", "district_admin", "city"])
def test_dashboard_and_office_export_are_scoped(client, world, role):
    as_user(client, world[role])
    schools = {"甲班": "甲小学", "乙班": "乙小学", "丙班": "丙中学"}
    visible_schools = {schools[c] for c in VISIBLE[role]}
    page = client.get(reverse("schools:dashboard"), {"school_year": "2026-2027"})
    assert page.status_code == 200
    assert {s for s in schools.values() if s in page.text} == visible_schools
    # Asking for another district by id does not widen the scope.
    other = world["s3"].district_id
    page = client.get(reverse("schools:dashboard"), {"school_year": "2026-2027", "district": other})
    if role != "city":
        assert "丙中学" not in page.text
    response = client.get(reverse("schools:dashboard_export"), {"school_year": "2026-2027"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = {row[2] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert names == visible_schools


ORG_LISTINGS = [
    "fiveones_records",
    "fiveones_activities",
    "fiveones_classes",
    "fiveones_teachers",
    "fiveones_schools",
    "fiveones_districts",
    "fiveones_district_staff",
    "fiveones_import",
]
# Which admin listings each role may open (model permissions from the data migration).
OPENS = {
    "teacher": set(),
    "school_admin": {"fiveones_records", "fiveones_activities", "fiveones_classes", "fiveones_teachers"},
    "district_admin": set(ORG_LISTINGS) - {"fiveones_district_staff"},
    "city": set(ORG_LISTINGS) - {"fiveones_district_staff"},
}


@pytest.mark.parametrize("role", sorted(OPENS))
def test_every_admin_listing_per_role(client, world, role):
    as_user(client, world[role])
    for name in ORG_LISTINGS:
        response = client.get(f"/admin/{name}/")
        if name in OPENS[role]:
            assert response.status_code == 200, name
        else:
            assert response.status_code in DENIED, name
    # Only city staff see the other district's school anywhere in the admin.
    schools = client.get("/admin/fiveones_schools/")
    assert ("丙中学" in schools.text) == (role == "city")
