"""The admin forms and screens render and act for real roles: event with inline roles, invitations,
the hours report, roster import by upload, and the roster filters."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.volunteers.models import Assignment, ServiceEvent, Skill, Volunteer
from tests.factories import PASSWORD
from tests.schools.factories import DistrictFactory

from .factories import EventFactory, RoleFactory, TeamFactory, VolunteerFactory, make_district_admin, make_leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    x = DistrictFactory(name="X区")
    team_a, team_b = TeamFactory(name="甲队", district=x), TeamFactory(name="乙队", district=x)
    return {
        "x": x,
        "team_a": team_a,
        "team_b": team_b,
        "leader_a": make_leader(team_a, "leader-a"),
        "office_x": make_district_admin(x, "office-x"),
    }


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def event_form(world, team, **extra):
    data = {
        "title": "6·26 宣传",
        "campaign_page": "",
        "district": world["x"].pk,
        "team": team.pk if team else "",
        "place": "广场",
        "starts_at": "2027-06-26 09:00",
        "ends_at": "2027-06-26 12:00",
        "description": "",
        "status": "open",
        "organisation": "",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "1",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-name": "宣讲员",
        "roles-0-slots": "3",
        "roles-0-starts_at": "",
        "roles-0-ends_at": "",
        "roles-0-id": "",
        "roles-0-ORDER": "1",
        "roles-0-DELETE": "",
        "roles-1-name": "摄影",
        "roles-1-slots": "1",
        "roles-1-starts_at": "2027-06-26 09:00",
        "roles-1-ends_at": "2027-06-26 10:00",
        "roles-1-id": "",
        "roles-1-ORDER": "2",
        "roles-1-DELETE": "",
    }
    data.update(extra)
    return data


def test_leader_creates_an_event_with_roles_for_their_team_only(client, world):
    login(client, world["leader_a"])
    add = client.get(reverse("volunteers_events:add"))
    assert add.status_code == 200 and "岗位与名额" in add.text
    assert "甲队" in add.text and "乙队" not in add.text
    refused = client.post(reverse("volunteers_events:add"), event_form(world, None))
    assert refused.status_code == 200 and "队长创建的活动须选择本队为组织队伍。" in refused.text
    other = client.post(reverse("volunteers_events:add"), event_form(world, world["team_b"]))
    assert other.status_code == 200 and not ServiceEvent.objects.exists()
    done = client.post(reverse("volunteers_events:add"), event_form(world, world["team_a"]))
    assert done.status_code == 302, done.content.decode()[:2000]
    event = ServiceEvent.objects.get()
    assert [(r.name, r.slots) for r in event.roles.all()] == [("宣讲员", 3), ("摄影", 1)]
    assert client.get(reverse("volunteers_events:edit", args=[event.pk])).status_code == 200


def test_invite_screen_offers_scoped_volunteers_and_invites(client, world):
    mine = VolunteerFactory(name="本队员", team=world["team_a"])
    VolunteerFactory(name="他队员", team=world["team_b"])
    event = EventFactory(team=world["team_a"], district=world["x"])
    role = RoleFactory(event=event)
    login(client, world["leader_a"])
    page = client.get(reverse("volunteers_desk:invite", args=[event.pk]))
    assert "本队员" in page.text and "他队员" not in page.text
    client.post(reverse("volunteers_desk:invite", args=[event.pk]), {"role": role.pk, "volunteer": [mine.pk]})
    assert Assignment.objects.get().status == Assignment.Status.INVITED


def test_report_and_roster_filters(client, world):
    skill = Skill.objects.create(name="摄影")
    photographer = VolunteerFactory(name="摄影师", team=world["team_a"])
    photographer.skills.add(skill)
    VolunteerFactory(name="宣讲人", team=world["team_b"], status=Volunteer.Status.PAUSED)
    login(client, world["office_x"])
    assert client.get(reverse("volunteers_desk:report")).status_code == 200
    by_skill = client.get(f"/admin/volunteers_roster/?skill={skill.pk}")
    assert "摄影师" in by_skill.text and "宣讲人" not in by_skill.text
    by_status = client.get("/admin/volunteers_roster/?status=paused")
    assert "宣讲人" in by_status.text and "摄影师" not in by_status.text
    by_team = client.get(f"/admin/volunteers_roster/?team={world['team_a'].pk}&district={world['x'].pk}")
    assert "摄影师" in by_team.text and "宣讲人" not in by_team.text


def test_import_upload_with_dry_run_and_report(client, world):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机号", "性别", "出生年份", "队伍"])
    wb.active.append(["李桂芳", "13800001111", "女", 1970, "甲队"])
    wb.active.append(["王建国", "13800002222", "男", 1965, "乙队"])
    buffer = io.BytesIO()
    wb.save(buffer)
    login(client, world["leader_a"])
    assert client.get(reverse("volunteers_desk:import") + "?template=1").status_code == 200

    def upload(dry_run):
        data = {"file": SimpleUploadedFile("r.xlsx", buffer.getvalue())}
        if dry_run:
            data["dry_run"] = "on"
        return client.post(reverse("volunteers_desk:import"), data)

    dry = upload(True)
    assert "试运行结果" in dry.text and "无权向队伍“乙队”导入" in dry.text and not Volunteer.objects.exists()
    upload(False)
    assert list(Volunteer.objects.values_list("name", flat=True)) == ["李桂芳"]


def test_import_refuses_a_file_it_cannot_read_under_the_file_field(client, world):
    login(client, world["leader_a"])
    template = client.get(reverse("volunteers_desk:import") + "?template=1")
    assert template["Content-Disposition"] == 'attachment; filename="volunteer-roster-template.xlsx"'
    assert template["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    broken = client.post(reverse("volunteers_desk:import"), {"file": SimpleUploadedFile("r.xlsx", b"not a workbook")})
    assert broken.status_code == 200 and "无法读取该文件" in broken.text

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "手机号"])
    buffer = io.BytesIO()
    wb.save(buffer)
    headless = client.post(reverse("volunteers_desk:import"), {"file": SimpleUploadedFile("r.xlsx", buffer.getvalue())})
    assert "表头缺少列" in headless.text and "试运行结果" not in headless.text
