"""Team leaders and district staff as real non-superusers against the admin's direct URLs, screens and exports.

World: district X has team A (leader A) and team B (leader B); district Y has team C.
Office staff of X see A and B. Another team's rows by direct URL: 403 or 404, never data.
"""

import io

import openpyxl
import pytest
from django.urls import reverse

from campaigns.volunteers.models import Assignment, ServiceRecord, Volunteer
from tests.factories import PASSWORD
from tests.schools.factories import DistrictFactory

from .factories import (
    EventFactory,
    RoleFactory,
    TeamFactory,
    VolunteerFactory,
    at,
    make_district_admin,
    make_leader,
)

pytestmark = pytest.mark.django_db
DENIED = (302, 403, 404)


@pytest.fixture
def world():
    x, y = DistrictFactory(name="X区"), DistrictFactory(name="Y区")
    team_a = TeamFactory(name="甲队", district=x)
    team_b = TeamFactory(name="乙队", district=x)
    team_c = TeamFactory(name="丙队", district=y)
    va = VolunteerFactory(name="甲队员", team=team_a, phone="13811110001")
    vb = VolunteerFactory(name="乙队员", team=team_b, phone="13822220002")
    vc = VolunteerFactory(name="丙队员", team=team_c, phone="13833330003")
    event_a = EventFactory(title="甲队活动", team=team_a, district=x)
    event_b = EventFactory(title="乙队活动", team=team_b, district=x)
    return {
        "x": x,
        "team_a": team_a,
        "team_b": team_b,
        "team_c": team_c,
        "va": va,
        "vb": vb,
        "vc": vc,
        "event_a": event_a,
        "event_b": event_b,
        "leader_a": make_leader(team_a, "leader-a"),
        "leader_b": make_leader(team_b, "leader-b"),
        "office_x": make_district_admin(x, "office-x"),
        "city": make_district_admin(None, "city"),
    }


def as_user(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def body(response):
    return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()


VISIBLE = {
    "leader_a": {"甲队员"},
    "office_x": {"甲队员", "乙队员"},
    "city": {"甲队员", "乙队员", "丙队员"},
}


@pytest.mark.parametrize("who", list(VISIBLE))
def test_roster_listing_and_export_are_scoped(client, world, who):
    as_user(client, world[who])
    listing = client.get("/admin/volunteers_roster/")
    assert listing.status_code == 200
    names = {"甲队员", "乙队员", "丙队员"}
    assert {n for n in names if n in listing.text} == VISIBLE[who]
    export = client.get("/admin/volunteers_roster/?export=csv")
    assert export.status_code == 200
    text = body(export)  # streaming: read once
    assert {n for n in names if n in text} == VISIBLE[who]


def test_leader_opening_another_teams_volunteer_by_direct_url_gets_no_data(client, world):
    as_user(client, world["leader_a"])
    vb = world["vb"]
    for url in [
        reverse("volunteers_roster:edit", args=[vb.pk]),
        reverse("volunteers_roster:delete", args=[vb.pk]),
        reverse("volunteers_roster:history", args=[vb.pk]),
    ]:
        response = client.get(url)
        assert response.status_code in DENIED, url
        assert "乙队员" not in response.content.decode() and "13822220002" not in response.content.decode()
    response = client.post(reverse("volunteers_roster:edit", args=[vb.pk]), {"name": "改名"})
    assert response.status_code in DENIED
    vb.refresh_from_db()
    assert vb.name == "乙队员"
    # Their own volunteer opens, with the full phone (their own team leader).
    own = client.get(reverse("volunteers_roster:edit", args=[world["va"].pk]))
    assert own.status_code == 200 and "13811110001" in own.text


def test_leader_cannot_reach_other_teams_events_or_screens(client, world):
    as_user(client, world["leader_a"])
    event_b = world["event_b"]
    for url in [
        reverse("volunteers_events:edit", args=[event_b.pk]),
        reverse("volunteers_desk:attendance", args=[event_b.pk]),
        reverse("volunteers_desk:invite", args=[event_b.pk]),
        reverse("volunteers_teams:edit", args=[world["team_b"].pk]),
    ]:
        response = client.get(url)
        assert response.status_code in DENIED, url
        assert "乙队" not in response.content.decode()
    assert client.get(reverse("volunteers_desk:attendance", args=[world["event_a"].pk])).status_code == 200
    events = client.get("/admin/volunteers_events/")
    assert "甲队活动" in events.text and "乙队活动" not in events.text


def test_district_staff_are_limited_to_their_district(client, world):
    as_user(client, world["office_x"])
    assert client.get(reverse("volunteers_roster:edit", args=[world["vb"].pk])).status_code == 200
    response = client.get(reverse("volunteers_roster:edit", args=[world["vc"].pk]))
    assert response.status_code in DENIED and "13833330003" not in response.content.decode()


def test_leader_approves_an_application_in_the_admin(client, world):
    applicant = VolunteerFactory(name="申请人", team=world["team_a"], status=Volunteer.Status.APPLIED)
    stranger = VolunteerFactory(name="别队申请人", team=world["team_b"], status=Volunteer.Status.APPLIED)
    as_user(client, world["leader_a"])
    page = client.get(reverse("volunteers_desk:applications"))
    assert "申请人" in page.text and "别队申请人" not in page.text
    response = client.post(
        reverse("volunteers_desk:applications"), {"volunteer": applicant.pk, "action": "approve"}, follow=True
    )
    assert "初始密码" in response.text
    applicant.refresh_from_db()
    assert applicant.status == Volunteer.Status.ACTIVE and applicant.user is not None
    response = client.post(reverse("volunteers_desk:applications"), {"volunteer": stranger.pk, "action": "approve"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == Volunteer.Status.APPLIED


def test_attendance_screen_records_hours_in_one_submit(client, world):
    day = world["event_a"].starts_at.date()
    event = EventFactory(
        team=world["team_a"], district=world["x"], starts_at=at(day, "13:30"), ends_at=at(day, "16:00")
    )
    role = RoleFactory(event=event, slots=5)
    a1 = Assignment.objects.create(volunteer=world["va"], role=role, status=Assignment.Status.CONFIRMED)
    a2 = Assignment.objects.create(volunteer=world["vb"], role=role, status=Assignment.Status.CONFIRMED)
    as_user(client, world["leader_a"])
    page = client.get(reverse("volunteers_desk:attendance", args=[event.pk]))
    assert 'value="13:30"' in page.text and 'value="16:00"' in page.text
    response = client.post(
        reverse("volunteers_desk:attendance", args=[event.pk]),
        {
            f"status-{a1.pk}": "attended",
            f"in-{a1.pk}": "13:30",
            f"out-{a1.pk}": "15:45",
            f"status-{a2.pk}": "absent",
            f"in-{a2.pk}": "13:30",
            f"out-{a2.pk}": "16:00",
        },
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert record.volunteer == world["va"] and str(record.hours) == "2.2"
    a2.refresh_from_db()
    assert a2.status == Assignment.Status.ABSENT


# Masking: every admin page and export a non-leader of the volunteer can reach.


def test_other_teams_phones_are_masked_for_a_leader_on_event_screens_and_exports(client, world):
    event = world["event_a"]
    role = RoleFactory(event=event, slots=5)
    Assignment.objects.create(volunteer=world["vb"], role=role, status=Assignment.Status.CONFIRMED)
    ServiceRecord.objects.create(
        volunteer=world["vb"],
        event=event,
        check_in=event.starts_at,
        check_out=event.ends_at,
        hours=3,
        content="引导",
        organisation="X区禁毒办",
        certificate_number="JK2026-TEST0001",
        issued_on=event.starts_at.date(),
    )
    as_user(client, world["leader_a"])
    full, masked = "13822220002", "138****0002"
    pages = [
        reverse("volunteers_desk:attendance", args=[event.pk]),
        "/admin/volunteers_records/",
        "/admin/volunteers_records/?export=csv",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = body(response)
        assert full not in text, url
        assert masked in text, url
    # The report lists the leader's own team only: team B's volunteer is not there at all.
    report_page = client.get(reverse("volunteers_desk:report") + f"?year={event.starts_at.year}")
    assert report_page.status_code == 200 and full not in report_page.text
    xlsx = client.get("/admin/volunteers_records/?export=xlsx")
    cells = [str(c) for row in openpyxl.load_workbook(io.BytesIO(body_bytes(xlsx))).active.values for c in row]
    assert full not in cells and masked in cells
    # The office of the district sees team B's phone in full in the report; a stranger's export never.
    as_user(client, world["office_x"])
    report = client.get(reverse("volunteers_desk:report") + f"?year={event.starts_at.year}&export=xlsx")
    cells = [
        str(c) for ws in openpyxl.load_workbook(io.BytesIO(report.content)).worksheets for r in ws.values for c in r
    ]
    assert full in cells


def body_bytes(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_leader_and_staff_see_full_phones_of_their_own(client, world):
    as_user(client, world["leader_a"])
    assert "13811110001" in client.get("/admin/volunteers_roster/").text
    as_user(client, world["office_x"])
    listing = client.get("/admin/volunteers_roster/").text
    assert "13811110001" in listing and "13822220002" in listing


def test_volunteers_without_a_role_cannot_enter_the_volunteer_admin(client, world):
    from .factories import make_volunteer_login

    user = make_volunteer_login(world["va"], "plain")
    as_user(client, user)
    for url in [
        "/admin/volunteers_roster/",
        reverse("volunteers_desk:applications"),
        reverse("volunteers_desk:report"),
    ]:
        assert client.get(url).status_code in DENIED
