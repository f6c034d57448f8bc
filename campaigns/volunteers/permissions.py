"""Model permissions the volunteers app grants to roles.

One definition shared by the data migration and :func:`ensure_role_permissions`
(tests after a transactional flush, seed_demo). Where a user may act (their team
or district) is decided by ``access.py``; these rows say what.
"""

from accounts import roles

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


def grant_role_permissions(Group, Permission):
    """Add this app's permissions to the role groups (creating a missing group)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label=APP_LABEL, codename__in=codenames)
        group.permissions.add(*perms)


def ensure_role_permissions():
    from django.contrib.auth.models import Group, Permission

    grant_role_permissions(Group, Permission)
