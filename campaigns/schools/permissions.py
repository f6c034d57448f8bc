"""Model permissions the schools app grants to roles.

One definition shared by the data migration and :func:`ensure_role_permissions`
(tests after a transactional flush, seed_demo). Where a user may act (their
school or district) is decided by ``access.py``; these rows say what.
"""

from accounts import roles

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


def grant_role_permissions(Group, Permission):
    """Add this app's permissions to the role groups (creating a missing group)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label=APP_LABEL, codename__in=codenames)
        group.permissions.add(*perms)


def ensure_role_permissions():
    from django.contrib.auth.models import Group, Permission

    grant_role_permissions(Group, Permission)
