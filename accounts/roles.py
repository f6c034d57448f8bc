"""The product's roles, as Django groups created by a data migration.

Group names are stored in Chinese (what staff see in the Wagtail admin);
code refers to them through these constants only.
"""

from django.utils.translation import gettext_lazy as _

STUDENT = "学生"
TEACHER = "教师"
SCHOOL_ADMIN = "学校管理员"
PUBLICITY_EDITOR = "宣传编辑"
PUBLICITY_APPROVER = "宣传审核"
DISTRICT_ADMIN = "禁毒办管理员"
TEAM_LEADER = "志愿者队长"

ROLE_LABELS = {
    STUDENT: _("学生 Student"),
    TEACHER: _("教师 Teacher"),
    SCHOOL_ADMIN: _("学校管理员 School admin"),
    PUBLICITY_EDITOR: _("宣传编辑 Publicity editor"),
    PUBLICITY_APPROVER: _("宣传审核 Publicity approver"),
    DISTRICT_ADMIN: _("禁毒办管理员 District admin"),
    TEAM_LEADER: _("志愿者队长 Team leader"),
}
ALL_ROLES = tuple(ROLE_LABELS)
# Roles whose members work in the Wagtail admin.
ADMIN_ROLES = (SCHOOL_ADMIN, PUBLICITY_EDITOR, PUBLICITY_APPROVER, DISTRICT_ADMIN, TEAM_LEADER)


def has_role(user, role: str) -> bool:
    """True if ``user`` is in the role's group (superusers hold every role)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return role in _group_names(user)


def _group_names(user) -> frozenset:
    # Cached on the user instance: templates and permission checks ask often.
    cached = getattr(user, "_clearsky_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._clearsky_groups = cached
    return cached


def create_role_groups(Group, Permission, ContentType):
    """Create every role group; admin roles may enter the Wagtail admin.

    Takes the model classes so the data migration (historical models) and
    :func:`ensure_role_groups` (tests, seed_demo) share one definition.
    """
    admin_ct, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_ct, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for name in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_ROLES:
            group.permissions.add(access_admin)


def ensure_role_groups():
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    create_role_groups(Group, Permission, ContentType)
