"""The data migration grants the volunteer admin to team leaders and district staff, and to no one else."""

import pytest
from django.contrib.auth.models import Group

from accounts import roles
from campaigns.volunteers.permissions import ROLE_PERMISSIONS, ensure_role_permissions

pytestmark = pytest.mark.django_db


def codenames(role):
    group = Group.objects.get(name=role)
    return set(group.permissions.filter(content_type__app_label="volunteers").values_list("codename", flat=True))


def test_leaders_manage_volunteers_and_events_but_not_teams():
    granted = codenames(roles.TEAM_LEADER)
    assert {"view_volunteer", "add_volunteer", "change_volunteer", "add_serviceevent", "change_serviceevent"} <= granted
    assert not {"add_team", "change_team", "delete_volunteer", "change_servicerecord"} & granted


def test_district_staff_also_manage_teams_and_skills():
    granted = codenames(roles.DISTRICT_ADMIN)
    assert {"add_team", "change_team", "add_skill", "view_servicerecord", "delete_serviceevent"} <= granted
    assert "change_servicerecord" not in granted  # records change only through the attendance screen


@pytest.mark.parametrize("role", [roles.STUDENT, roles.TEACHER, roles.SCHOOL_ADMIN, roles.PUBLICITY_EDITOR])
def test_other_roles_get_nothing(role):
    assert codenames(role) == set()


def test_ensure_role_permissions_grants_again_after_the_rows_are_gone():
    Group.objects.filter(name=roles.TEAM_LEADER).delete()  # as a transactional flush would
    Group.objects.get(name=roles.DISTRICT_ADMIN).permissions.clear()
    ensure_role_permissions()
    assert {role: codenames(role) for role in ROLE_PERMISSIONS} == {
        role: set(names) for role, names in ROLE_PERMISSIONS.items()
    }
