"""Where a user may look and act in the volunteer rosters: the one place that scopes querysets.

- superusers and city-wide office staff (禁毒办管理员 with a DistrictStaff row without district): everything;
- district office staff (禁毒办管理员 placed in a district by ``schools.DistrictStaff``): their district
  (who is city or district staff is decided once, in ``campaigns.schools.access``);
- team leaders (志愿者队长 set as ``Team.leader``): their teams, their volunteers, events their team organises.

Admin viewsets, admin views and exports all filter through these functions, so a
direct URL to another team's volunteer finds nothing (404).
"""

from django.db.models import Q

from accounts import roles
from campaigns.schools.access import is_city_staff, staff_district_id

from .models import Assignment, ServiceEvent, ServiceRecord, Team, Volunteer


def is_leader(user) -> bool:
    return user.is_authenticated and roles.has_role(user, roles.TEAM_LEADER)


def can_manage(user) -> bool:
    """May use the volunteer admin at all (scope still applies)."""
    return is_city_staff(user) or staff_district_id(user) is not None or is_leader(user)


def teams_for(user):
    if not user.is_authenticated:
        return Team.objects.none()
    if is_city_staff(user):
        return Team.objects.all()
    query = Q(pk__in=[])
    district_id = staff_district_id(user)
    if district_id:
        query |= Q(district_id=district_id)
    if is_leader(user):
        query |= Q(leader=user)
    return Team.objects.filter(query)


def districts_for(user):
    from campaigns.schools.models import District

    if is_city_staff(user):
        return District.objects.all()
    district_id = staff_district_id(user)
    query = Q(pk=district_id) if district_id else Q(pk__in=[])
    if is_leader(user):
        query |= Q(volunteer_teams__leader=user)
    return District.objects.filter(query).distinct()


def volunteers_for(user):
    if is_city_staff(user):
        return Volunteer.objects.all()
    return Volunteer.objects.filter(team__in=teams_for(user))


def events_for(user):
    if not user.is_authenticated:
        return ServiceEvent.objects.none()
    if is_city_staff(user):
        return ServiceEvent.objects.all()
    query = Q(pk__in=[])
    district_id = staff_district_id(user)
    if district_id:
        query |= Q(district_id=district_id)
    if is_leader(user):
        query |= Q(team__leader=user)
    return ServiceEvent.objects.filter(query)


def assignments_for(user):
    return Assignment.objects.filter(role__event__in=events_for(user))


def records_for(user):
    """Service records of the user's volunteers or of events they manage."""
    if is_city_staff(user):
        return ServiceRecord.objects.all()
    return ServiceRecord.objects.filter(Q(volunteer__in=volunteers_for(user)) | Q(event__in=events_for(user)))


def can_see_phone(user, volunteer) -> bool:
    """Full phone numbers: the volunteer's own team leader and office staff over the team's district."""
    if not user.is_authenticated:
        return False
    if is_city_staff(user):
        return True
    team = volunteer.team
    if team.leader_id == user.pk and is_leader(user):
        return True
    district_id = staff_district_id(user)
    return district_id is not None and district_id == team.district_id


def phone_for(user, volunteer) -> str:
    """The phone as this user may see it: full for leader/staff, masked (138****5678) otherwise."""
    return volunteer.phone if can_see_phone(user, volunteer) else volunteer.masked_phone
