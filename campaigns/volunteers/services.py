"""The only place that changes volunteer state: applications, slots, attendance and hours.

Rules live here, not in views: no double booking of a volunteer in overlapping
shifts, slot limits that hold under concurrent claims (the role row is locked
with ``select_for_update`` before counting), and service hours truncated to one
decimal as the volunteer platforms do (13:30-15:45 -> 2.2).
"""

import dataclasses
import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from . import access
from .models import Assignment, EventRole, ServiceEvent, ServiceRecord, Volunteer, service_hours

Status = Volunteer.Status
AStatus = Assignment.Status
ZERO_HOURS = Value(Decimal("0.0"), output_field=DecimalField(max_digits=7, decimal_places=1))


# Applications ----------------------------------------------------------------


def apply(
    *, name, phone, gender, birth_year, team, skills=(), availability=(), availability_note="", id_last4="", user=None
):
    """Record a public application (status 待审核) with the time consent to the privacy notice was given.

    A phone already on the roster cannot apply twice; the form says so in Chinese. A signed-in
    applicant without a volunteer record is linked to their own account, so approval makes no new login.
    """
    if user is not None and (not user.is_authenticated or Volunteer.objects.filter(user=user).exists()):
        user = None
    if Volunteer.objects.filter(phone=phone).exists():
        raise ValidationError({"phone": _("该手机号已登记，请勿重复申请；如需帮助请联系队长。")})
    volunteer = Volunteer.objects.create(
        name=name.strip(),
        phone=phone,
        gender=gender,
        birth_year=birth_year,
        team=team,
        availability=list(availability),
        availability_note=availability_note,
        id_last4=id_last4,
        user=user,
        status=Status.APPLIED,
        consent_at=timezone.now(),
    )
    volunteer.skills.set(skills)
    return volunteer


def _check_manages(user, volunteer):
    if not access.volunteers_for(user).filter(pk=volunteer.pk).exists():
        raise PermissionDenied(_("您无权管理该志愿者。"))


@dataclasses.dataclass
class Approval:
    volunteer: Volunteer
    username: str
    password: str | None  # set only when a new login was made: shown once to the approver


def approve(*, volunteer, by):
    """Approve an application: the volunteer becomes active and gets a login (username = phone).

    A new account receives a one-time password shown once to the approver, who passes it
    on; the volunteer changes it after signing in. An applicant who applied while signed in
    keeps their own account. Existing accounts are never linked by phone: anyone can type a phone.
    """
    _check_manages(by, volunteer)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if volunteer.status not in (Status.APPLIED, Status.REJECTED, Status.PAUSED):
            raise ValidationError(_("只有待审核或暂停的志愿者可以批准。"))
        password = None
        if volunteer.user_id is None:
            password = one_time_password()
            user = User(username=_free_username(volunteer.phone), display_name=volunteer.name, phone=volunteer.phone)
            user.set_password(password)
            user.save()
            volunteer.user = user
        volunteer.status = Status.ACTIVE
        volunteer.joined_on = volunteer.joined_on or timezone.localdate()
        volunteer.review_note = ""
        volunteer.save()
    return Approval(volunteer=volunteer, username=volunteer.user.username, password=password)


def _free_username(base):
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def one_time_password() -> str:
    # Easy to read aloud or type on a phone: no 0/O, 1/l.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def reject(*, volunteer, by, reason=""):
    """Turn an application down (kept for the record with the reason)."""
    _check_manages(by, volunteer)
    if volunteer.status != Status.APPLIED:
        raise ValidationError(_("只有待审核的申请可以不予通过。"))
    volunteer.status = Status.REJECTED
    volunteer.review_note = reason[:200]
    volunteer.save(update_fields=["status", "review_note"])
    return volunteer


# Slots -----------------------------------------------------------------------


def _overlapping(volunteer, role):
    """The volunteer's slot-holding assignments whose shift overlaps ``role``'s (other roles)."""
    start, end = role.shift_start, role.shift_end
    return (
        Assignment.objects.filter(volunteer=volunteer, status__in=Assignment.HOLDING)
        .exclude(role=role)
        .annotate(
            s=Coalesce("role__starts_at", "role__event__starts_at"),
            e=Coalesce("role__ends_at", "role__event__ends_at"),
        )
        .filter(s__lt=end, e__gt=start)
    )


def clashing_assignment(volunteer, role):
    """The volunteer's held slot whose shift overlaps ``role`` (None if free): lets pages hide a futile claim."""
    return _overlapping(volunteer, role).select_related("role__event").first()


def _hold_slot(volunteer, role, *, allowed_from=(AStatus.INVITED, AStatus.DECLINED, AStatus.ABSENT)):
    """Inside a transaction: lock volunteer and role, check the rules, and mark the assignment confirmed."""
    # Lock order volunteer -> role everywhere, so two claims never wait on each other in a cycle.
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    role = EventRole.objects.select_for_update().select_related("event").get(pk=role.pk)
    if volunteer.status != Status.ACTIVE:
        raise ValidationError(_("只有在册志愿者可以认领岗位。"))
    event = role.event
    if event.status != ServiceEvent.Status.OPEN:
        raise ValidationError(_("该活动当前不接受报名。"))
    if role.shift_start <= timezone.now():
        raise ValidationError(_("该班次已开始，不能再认领。"))
    existing = Assignment.objects.filter(volunteer=volunteer, role=role).first()
    if existing is not None and existing.status in Assignment.HOLDING:
        raise ValidationError(_("您已认领该岗位。"))
    if existing is not None and existing.status not in allowed_from:
        raise ValidationError(_("该岗位安排不能再确认。"))
    clash = clashing_assignment(volunteer, role)
    if clash is not None:
        raise ValidationError(
            _("时间冲突：您已认领同一时段的“%(event)s · %(role)s”。")
            % {"event": clash.role.event.title, "role": clash.role.name}
        )
    taken = role.assignments.filter(status__in=Assignment.HOLDING).count()
    if taken >= role.slots:
        raise ValidationError(_("该岗位名额已满。"))
    now = timezone.now()
    if existing is None:
        return Assignment.objects.create(volunteer=volunteer, role=role, status=AStatus.CONFIRMED, claimed_at=now)
    existing.status = AStatus.CONFIRMED
    existing.claimed_at = now
    existing.save(update_fields=["status", "claimed_at"])
    return existing


def claim_slot(*, volunteer, role):
    """A signed-in active volunteer claims one slot of a role.

    Refused when the role is full, the event is not open or already started, or the volunteer
    holds another slot in an overlapping shift. On PostgreSQL the role row is locked
    (``select_for_update``) before counting, so concurrent claims for the last slot: one wins.
    """
    try:
        with transaction.atomic():
            return _hold_slot(volunteer, role, allowed_from=(AStatus.INVITED, AStatus.DECLINED))
    except IntegrityError as exc:  # the (volunteer, role) constraint, if a twin request slipped past
        raise ValidationError(_("您已认领该岗位。")) from exc


def invite(*, role, volunteers, by):
    """Invite volunteers to a role (status 已邀请); an invitation holds no slot until confirmed.

    Returns the number of new invitations; volunteers outside the inviter's scope are refused.
    """
    if not access.events_for(by).filter(pk=role.event_id).exists():
        raise PermissionDenied(_("您无权管理该活动。"))
    allowed = set(access.volunteers_for(by).filter(status=Status.ACTIVE).values_list("pk", flat=True))
    count = 0
    with transaction.atomic():
        for volunteer in volunteers:
            if volunteer.pk not in allowed:
                raise PermissionDenied(_("您无权邀请该志愿者。"))
            _obj, created = Assignment.objects.get_or_create(
                volunteer=volunteer, role=role, defaults={"status": AStatus.INVITED}
            )
            count += created
    return count


def confirm(*, assignment):
    """The volunteer accepts an invitation: same rules as a claim (slots, no overlap)."""
    with transaction.atomic():
        return _hold_slot(assignment.volunteer, assignment.role, allowed_from=(AStatus.INVITED, AStatus.DECLINED))


def decline(*, assignment):
    """The volunteer declines an invitation or gives a claimed slot back (before the shift starts)."""
    if assignment.status not in (AStatus.INVITED, AStatus.CONFIRMED):
        raise ValidationError(_("该岗位安排不能再谢绝。"))
    if assignment.role.shift_start <= timezone.now():
        raise ValidationError(_("班次已开始，请联系队长。"))
    assignment.status = AStatus.DECLINED
    assignment.save(update_fields=["status"])
    return assignment


# Attendance and records ------------------------------------------------------


@dataclasses.dataclass
class AttendanceRow:
    assignment_id: int
    attended: bool
    check_in: datetime.datetime | None = None
    check_out: datetime.datetime | None = None
    content: str = ""


def new_certificate_number(year: int) -> str:
    """Unique and hard to guess (the verification page is public): JK2026-7F3A9C21."""
    while True:
        number = f"JK{year}-{secrets.token_hex(4).upper()}"
        if not ServiceRecord.objects.filter(certificate_number=number).exists():
            return number


def record_attendance(*, event, rows, by):
    """After an event, record attended/absent for many assignments at once.

    Attended rows create (or update) one ServiceRecord per volunteer and event with hours
    truncated to one decimal; absent rows drop a record made earlier. All rows or none.
    Returns the number of service records written.
    """
    if not access.events_for(by).filter(pk=event.pk).exists():
        raise PermissionDenied(_("您无权管理该活动。"))
    errors = []
    written = 0
    with transaction.atomic():
        assignments = {
            a.pk: a
            for a in Assignment.objects.select_for_update()
            .filter(role__event=event, pk__in=[r.assignment_id for r in rows])
            .select_related("volunteer", "role")
        }
        for row in rows:
            assignment = assignments.get(row.assignment_id)
            if assignment is None:
                raise ValidationError(_("岗位安排不属于该活动。"))
            if not row.attended:
                assignment.status = AStatus.ABSENT
                assignment.save(update_fields=["status"])
                ServiceRecord.objects.filter(volunteer=assignment.volunteer, event=event).delete()
                continue
            if row.check_in is None or row.check_out is None or row.check_out <= row.check_in:
                errors.append(_("%(name)s：签退时间须晚于签到时间。") % {"name": assignment.volunteer.name})
                continue
            hours = service_hours(row.check_in, row.check_out)
            content = (row.content or f"{event.title} · {assignment.role.name}")[:200]
            record = ServiceRecord.objects.filter(volunteer=assignment.volunteer, event=event).first()
            if record is None:
                record = ServiceRecord(
                    volunteer=assignment.volunteer,
                    event=event,
                    certificate_number=new_certificate_number(row.check_in.year),
                    issued_on=timezone.localdate(),
                )
            record.check_in, record.check_out, record.hours = row.check_in, row.check_out, hours
            record.content = content
            record.organisation = event.issuer
            record.verified_by = by
            record.save()
            assignment.status = AStatus.ATTENDED
            assignment.save(update_fields=["status"])
            written += 1
        if errors:
            raise ValidationError(errors)
        if event.ends_at <= timezone.now() and event.status != ServiceEvent.Status.CANCELLED:
            event.status = ServiceEvent.Status.FINISHED
            event.save(update_fields=["status"])
    return written


def add_record(*, volunteer, check_in, check_out, content, organisation, by, event=None):
    """Record service by hand (outside an event), e.g. from an imported spreadsheet."""
    if check_out <= check_in:
        raise ValidationError(_("签退时间须晚于签到时间。"))
    return ServiceRecord.objects.create(
        volunteer=volunteer,
        event=event,
        check_in=check_in,
        check_out=check_out,
        hours=service_hours(check_in, check_out),
        content=content[:200],
        organisation=organisation,
        verified_by=by,
        certificate_number=new_certificate_number(check_in.year),
        issued_on=timezone.localdate(),
    )


# Hours and recognition -------------------------------------------------------


def _year_filter(prefix, year):
    return Q(**{f"{prefix}check_in__year": year})


def volunteer_hours(volunteers, year):
    """Volunteers annotated with ``year_hours`` and ``year_events`` for one calendar year."""
    in_year = _year_filter("records__", year)
    return volunteers.annotate(
        year_hours=Coalesce(Sum("records__hours", filter=in_year), ZERO_HOURS),
        year_events=Count("records", filter=in_year),
    )


def team_hours(teams, year):
    """Teams annotated with ``year_hours``, ``year_records`` and ``year_volunteers`` for one year."""
    in_year = _year_filter("volunteers__records__", year)
    return teams.annotate(
        year_hours=Coalesce(Sum("volunteers__records__hours", filter=in_year), ZERO_HOURS),
        year_records=Count("volunteers__records", filter=in_year),
        year_volunteers=Count("volunteers__records__volunteer", filter=in_year, distinct=True),
    )


def ranking(volunteers, year, limit=10):
    """The "十佳" shortlist: active volunteers by hours in the year, then events served, then earliest joined."""
    return list(
        volunteer_hours(volunteers.filter(status=Status.ACTIVE), year)
        .filter(year_hours__gt=0)
        .select_related("team")
        .order_by("-year_hours", "-year_events", "joined_on", "pk")[:limit]
    )


def total_hours(volunteer, year=None) -> Decimal:
    records = volunteer.records.all()
    if year:
        records = records.filter(check_in__year=year)
    total = records.aggregate(total=Sum("hours"))["total"] or Decimal("0.0")
    # SQLite sums decimals as floats (6.70000000000000): every record is exact to 0.1, so quantizing is safe.
    return Decimal(total).quantize(Decimal("0.1"))


# Roster import ---------------------------------------------------------------


def import_volunteer(*, row, by, dry_run=False):
    """Create or update one roster row (keyed by phone) from a spreadsheet; active on import.

    ``row`` holds cleaned values (see ``spreadsheets``); ``by=None`` is a trusted operator (the command).
    Returns ("created"|"updated", volunteer).
    """
    team = row["team"]
    if by is not None and not access.teams_for(by).filter(pk=team.pk).exists():
        raise ValidationError(_("无权向队伍“%(team)s”导入。") % {"team": team.name})
    volunteer = Volunteer.objects.filter(phone=row["phone"]).first()
    action = "updated" if volunteer else "created"
    if volunteer is not None and by is not None and not access.volunteers_for(by).filter(pk=volunteer.pk).exists():
        raise ValidationError(_("该手机号已登记在其他队伍。"))
    if dry_run:
        return action, volunteer
    volunteer = volunteer or Volunteer(phone=row["phone"], status=Status.ACTIVE)
    for field in ("name", "gender", "birth_year", "team", "id_last4", "availability", "availability_note"):
        setattr(volunteer, field, row[field])
    volunteer.joined_on = row.get("joined_on") or volunteer.joined_on or timezone.localdate()
    volunteer.full_clean(exclude=["user", "skills"], validate_unique=False)
    volunteer.save()
    volunteer.skills.set(row["skills"])
    return action, volunteer
