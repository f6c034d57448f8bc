"""Model permissions the schools app grants to roles.

One definition shared by the data migration and :func:`ensure_role_permissions`
(tests after a transactional flush, seed_demo). Where a user may act (their
school or district) is decided by ``access.py``; these rows say what.
"""

from accounts import roles
from campaigns.role_permissions import RolePermissions

APP_LABEL = "schools"

ROLE_PERMISSIONS = {
    roles.SCHOOL_ADMIN: [
        "view_activityrecord",
        "review_activityrecord",
        "view_schoolclass",
        "add_schoolclass",
        "change_schoolclass",
        "view_teacherprofile",
        "add_teacherprofile",
        "change_teacherprofile",
        "view_fiveonesactivity",
    ],
    roles.DISTRICT_ADMIN: [
        "view_activityrecord",
        "review_activityrecord",
        "view_district",
        "view_school",
        "add_school",
        "change_school",
        "view_schoolclass",
        "add_schoolclass",
        "change_schoolclass",
        "view_teacherprofile",
        "add_teacherprofile",
        "change_teacherprofile",
        "view_fiveonesactivity",
        "add_fiveonesactivity",
        "change_fiveonesactivity",
    ],
}


# The data migration imports grant_role_permissions; tests and seed_demo call ensure_role_permissions.
_GRANTS = RolePermissions(APP_LABEL, ROLE_PERMISSIONS)
grant_role_permissions = _GRANTS.grant
ensure_role_permissions = _GRANTS.ensure
