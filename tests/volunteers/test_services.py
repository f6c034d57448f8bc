"""The rules in services: applications, slots without double booking, bulk attendance, hours, import."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from accounts.models import User
from campaigns.volunteers import services
from campaigns.volunteers.models import Assignment, ServiceRecord, Skill, Volunteer
from campaigns.volunteers.spreadsheets import import_roster

from .factories import (
    EventFactory,
    RoleFactory,
    TeamFactory,
    VolunteerFactory,
    at,
    future_day,
    make_leader,
)

pytestmark = pytest.mark.django_db
AS = Assignment.Status


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", password="x")


def test_apply_then_approve_creates_a_login_with_one_time_password():
    team = TeamFactory()
    leader = make_leader(team, "leader-a")
    skill = Skill.objects.create(name="宣讲")
    volunteer = services.apply(
        name="张小红", phone="13812345678", gender="female", birth_year=1980, team=team, skills=[skill]
    )
    assert volunteer.status == Volunteer.Status.APPLIED and volunteer.consent_at is not None
    with pytest.raises(ValidationError):
        services.apply(name="张小红", phone="13812345678", gender="female", birth_year=1980, team=team)
    result = services.approve(volunteer=volunteer, by=leader)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACTIVE and volunteer.joined_on is not None
    assert result.username == "13812345678" and result.password
    assert volunteer.user.check_password(result.password)


def test_a_leader_cannot_approve_another_teams_application():
    team_a, team_b = TeamFactory(), TeamFactory()
    leader_a = make_leader(team_a, "leader-a")
    applicant = VolunteerFactory(team=team_b, status=Volunteer.Status.APPLIED)
    with pytest.raises(PermissionDenied):
        services.approve(volunteer=applicant, by=leader_a)
    with pytest.raises(PermissionDenied):
        services.reject(volunteer=applicant, by=leader_a)


def test_reject_keeps_the_reason():
    team = TeamFactory()
    leader = make_leader(team, "leader-a")
    applicant = VolunteerFactory(team=team, status=Volunteer.Status.APPLIED)
    services.reject(volunteer=applicant, by=leader, reason="年龄不符")
    applicant.refresh_from_db()
    assert applicant.status == Volunteer.Status.REJECTED and applicant.review_note == "年龄不符"


def test_claim_respects_the_slot_limit():
    role = RoleFactory(slots=2)
    first, second, third = VolunteerFactory(), VolunteerFactory(), VolunteerFactory()
    services.claim_slot(volunteer=first, role=role)
    services.claim_slot(volunteer=second, role=role)
    with pytest.raises(ValidationError, match="名额已满"):
        services.claim_slot(volunteer=third, role=role)
    with pytest.raises(ValidationError, match="已认领"):
        services.claim_slot(volunteer=first, role=role)
    assert role.assignments.filter(status=AS.CONFIRMED).count() == 2


def test_no_double_booking_in_overlapping_shifts_of_two_events():
    day = future_day()
    morning = RoleFactory(event=EventFactory(starts_at=at(day, "09:00"), ends_at=at(day, "12:00")))
    overlapping = RoleFactory(event=EventFactory(starts_at=at(day, "11:00"), ends_at=at(day, "14:00")))
    afternoon = RoleFactory(event=EventFactory(starts_at=at(day, "12:00"), ends_at=at(day, "15:00")))
    volunteer = VolunteerFactory()
    services.claim_slot(volunteer=volunteer, role=morning)
    with pytest.raises(ValidationError, match="时间冲突"):
        services.claim_slot(volunteer=volunteer, role=overlapping)
    services.claim_slot(volunteer=volunteer, role=afternoon)  # back to back is fine
    assert not overlapping.assignments.exists()


def test_no_double_booking_in_two_roles_of_one_event_but_separate_shifts_are_fine():
    day = future_day()
    event = EventFactory(starts_at=at(day, "09:00"), ends_at=at(day, "17:00"))
    speaker = RoleFactory(event=event, name="宣讲员")  # the event's whole day
    guide = RoleFactory(event=event, name="引导")
    early = RoleFactory(event=event, name="早班", starts_at=at(day, "07:00"), ends_at=at(day, "09:00"))
    volunteer = VolunteerFactory()
    services.claim_slot(volunteer=volunteer, role=speaker)
    with pytest.raises(ValidationError, match="时间冲突"):
        services.claim_slot(volunteer=volunteer, role=guide)
    services.claim_slot(volunteer=volunteer, role=early)


def test_a_declined_slot_frees_the_calendar_and_the_slot():
    day = future_day()
    role = RoleFactory(slots=1, event=EventFactory(starts_at=at(day, "09:00"), ends_at=at(day, "12:00")))
    other = RoleFactory(event=EventFactory(starts_at=at(day, "10:00"), ends_at=at(day, "11:00")))
    volunteer, someone = VolunteerFactory(), VolunteerFactory()
    assignment = services.claim_slot(volunteer=volunteer, role=role)
    services.decline(assignment=assignment)
    services.claim_slot(volunteer=volunteer, role=other)
    services.claim_slot(volunteer=someone, role=role)


def test_only_active_volunteers_claim_open_future_events():
    role = RoleFactory()
    with pytest.raises(ValidationError):
        services.claim_slot(volunteer=VolunteerFactory(status=Volunteer.Status.APPLIED), role=role)
    past = RoleFactory(event=EventFactory(starts_at=at(datetime.date(2026, 1, 5), "09:00")))
    with pytest.raises(ValidationError, match="已开始"):
        services.claim_slot(volunteer=VolunteerFactory(), role=past)


def test_invitations_hold_no_slot_until_confirmed():
    team = TeamFactory()
    leader = make_leader(team, "leader-a")
    event = EventFactory(team=team, district=team.district)
    role = RoleFactory(event=event, slots=1)
    a, b = VolunteerFactory(team=team), VolunteerFactory(team=team)
    assert services.invite(role=role, volunteers=[a, b], by=leader) == 2
    first = Assignment.objects.get(volunteer=a)
    second = Assignment.objects.get(volunteer=b)
    services.confirm(assignment=first)
    with pytest.raises(ValidationError, match="名额已满"):
        services.confirm(assignment=second)
    outsider = VolunteerFactory()
    with pytest.raises(PermissionDenied):
        services.invite(role=role, volunteers=[outsider], by=leader)


def test_record_attendance_in_bulk_truncates_hours_and_marks_absent(superuser):
    day = datetime.date(2026, 6, 26)
    event = EventFactory(starts_at=at(day, "13:30"), ends_at=at(day, "16:00"))
    role = RoleFactory(event=event, slots=3)
    people = [VolunteerFactory() for _ in range(3)]
    assignments = [Assignment.objects.create(volunteer=v, role=role, status=AS.CONFIRMED) for v in people]
    rows = [
        services.AttendanceRow(assignments[0].pk, True, at(day, "13:30"), at(day, "15:45")),
        services.AttendanceRow(assignments[1].pk, True, at(day, "13:30"), at(day, "16:00"), "展板讲解"),
        services.AttendanceRow(assignments[2].pk, False),
    ]
    assert services.record_attendance(event=event, rows=rows, by=superuser) == 2
    records = {r.volunteer_id: r for r in ServiceRecord.objects.all()}
    assert records[people[0].pk].hours == Decimal("2.2")
    assert records[people[1].pk].hours == Decimal("2.5") and records[people[1].pk].content == "展板讲解"
    assert people[2].pk not in records
    statuses = dict(Assignment.objects.values_list("volunteer_id", "status"))
    assert statuses == {people[0].pk: AS.ATTENDED, people[1].pk: AS.ATTENDED, people[2].pk: AS.ABSENT}
    number = records[people[0].pk].certificate_number
    # Recording again updates the same record and keeps its certificate number.
    rows[0] = services.AttendanceRow(assignments[0].pk, True, at(day, "13:30"), at(day, "14:00"))
    services.record_attendance(event=event, rows=rows, by=superuser)
    again = ServiceRecord.objects.get(volunteer=people[0])
    assert again.hours == Decimal("0.5") and again.certificate_number == number
    # Check-out before check-in: nothing is saved.
    rows[0] = services.AttendanceRow(assignments[0].pk, True, at(day, "15:00"), at(day, "14:00"))
    with pytest.raises(ValidationError):
        services.record_attendance(event=event, rows=rows, by=superuser)
    assert ServiceRecord.objects.get(volunteer=people[0]).hours == Decimal("0.5")


def test_leaders_cannot_record_attendance_of_other_events():
    team = TeamFactory()
    leader = make_leader(team, "leader-a")
    with pytest.raises(PermissionDenied):
        services.record_attendance(event=EventFactory(), rows=[], by=leader)


def test_hours_totals_and_the_shortlist(superuser):
    team_a, team_b = TeamFactory(), TeamFactory()
    a1, a2, b1 = VolunteerFactory(team=team_a), VolunteerFactory(team=team_a), VolunteerFactory(team=team_b)
    day = datetime.date(2026, 5, 1)
    for volunteer, end in [(a1, "15:45"), (a1, "14:30"), (a2, "16:30"), (b1, "14:00")]:
        services.add_record(
            volunteer=volunteer,
            check_in=at(day, "13:30"),
            check_out=at(day, end),
            content="宣讲",
            organisation="禁毒办",
            by=superuser,
        )
    services.add_record(
        volunteer=b1,
        check_in=at(datetime.date(2025, 5, 1), "09:00"),
        check_out=at(datetime.date(2025, 5, 1), "19:00"),
        content="去年",
        organisation="禁毒办",
        by=superuser,
    )
    assert services.total_hours(a1, 2026) == Decimal("3.2")
    teams = {t.pk: t for t in services.team_hours(type(team_a).objects.all(), 2026)}
    assert teams[team_a.pk].year_hours == Decimal("6.2") and teams[team_a.pk].year_volunteers == 2
    assert teams[team_b.pk].year_hours == Decimal("0.5")
    shortlist = services.ranking(Volunteer.objects.all(), 2026)
    assert [v.pk for v in shortlist] == [a1.pk, a2.pk, b1.pk]  # a1 and a2 both 3.2 h/3.0 h: a1 leads
    assert [v.pk for v in services.ranking(Volunteer.objects.all(), 2025)] == [b1.pk]


def _roster_file(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "手机号", "性别", "出生年份", "队伍", "技能", "可服务时间", "身份证后四位"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_reports_every_row_and_dry_run_saves_nothing(tmp_path):
    team = TeamFactory(name="冷水滩区禁毒妈妈队")
    Skill.objects.create(name="宣讲")
    rows = [
        ["李桂芳", "13800001111", "女", 1970, "冷水滩区禁毒妈妈队", "宣讲", "周末、晚上", "123x"],
        ["王建国", "138000", "男", 1965, "冷水滩区禁毒妈妈队", "", "", ""],
        ["赵丽华", "13800002222", "女", 1975, "不存在的队", "舞龙", "", ""],
    ]
    report = import_roster(_roster_file(rows), dry_run=True)
    assert [(r.row, r.outcome) for r in report.rows] == [(2, "created"), (3, "error"), (4, "error")]
    assert "11 位" in report.rows[1].message and "不存在" in report.rows[2].message and "舞龙" in report.rows[2].message
    assert not Volunteer.objects.exists()
    path = tmp_path / "roster.xlsx"
    path.write_bytes(_roster_file(rows).getvalue())
    out = io.StringIO()
    call_command("import_volunteers", str(path), stdout=out)
    assert "新增 1" in out.getvalue() and "第 3 行" in out.getvalue()
    volunteer = Volunteer.objects.get(phone="13800001111")
    assert volunteer.team == team and volunteer.status == Volunteer.Status.ACTIVE
    assert volunteer.availability == ["evening", "weekend"] and volunteer.id_last4 == "123X"
    assert import_roster(_roster_file(rows[:1])).rows[0].outcome == "updated"


def test_import_by_a_leader_is_limited_to_their_team():
    team_a, team_b = TeamFactory(name="甲队"), TeamFactory(name="乙队")
    leader = make_leader(team_a, "leader-a")
    report = import_roster(_roster_file([["李桂芳", "13800001111", "女", 1970, "乙队", "", "", ""]]), by=leader)
    assert report.rows[0].outcome == "error" and not Volunteer.objects.filter(team=team_b).exists()


def test_a_signed_in_applicant_keeps_their_account_and_phones_never_link_accounts():
    team = TeamFactory()
    leader = make_leader(team, "leader-a")
    own = User.objects.create_user("wang", password="x")
    linked = services.apply(name="王芳", phone="13800000001", gender="female", birth_year=1990, team=team, user=own)
    result = services.approve(volunteer=linked, by=leader)
    assert result.password is None and result.volunteer.user == own
    # Someone else's account named like the phone is never taken over.
    User.objects.create_user("13800000002", password="x")
    stranger = services.apply(name="李四", phone="13800000002", gender="male", birth_year=1990, team=team)
    result = services.approve(volunteer=stranger, by=leader)
    assert result.password and result.username == "13800000002-2"
