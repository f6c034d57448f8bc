"""Model permissions the volunteers app grants to roles.

One definition shared by the data migration and :func:`ensure_role_permissions`
(tests after a transactional flush, seed_demo). Where a user may act (their team
or district) is decided by ``access.py``; these rows say what.
"""

from accounts import roles
from campaigns.role_permissions import RolePermissions

APP_LABEL = "volunteers"

ROLE_PERMISSIONS = {
    roles.TEAM_LEADER: [
        "view_team",
        "view_skill",
        "view_volunteer",
        "add_volunteer",
        "change_volunteer",
        "view_serviceevent",
        "add_serviceevent",
        "change_serviceevent",
        "view_assignment",
        "view_servicerecord",
    ],
    roles.DISTRICT_ADMIN: [
        "view_team",
        "add_team",
        "change_team",
        "view_skill",
        "add_skill",
        "change_skill",
        "view_volunteer",
        "add_volunteer",
        "change_volunteer",
        "view_serviceevent",
        "add_serviceevent",
        "change_serviceevent",
        "delete_serviceevent",
        "view_assignment",
        "view_servicerecord",
    ],
}


# The data migration imports grant_role_permissions; tests and seed_demo call ensure_role_permissions.
_GRANTS = RolePermissions(APP_LABEL, ROLE_PERMISSIONS)
grant_role_permissions = _GRANTS.grant
ensure_role_permissions = _GRANTS.ensure
