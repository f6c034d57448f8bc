"""Demo accounts: one administrator and one person per role."""

from django.contrib.auth.models import Group

from . import roles
from .models import User

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "clearsky-admin"  # noqa: S105 - printed by seed_demo on purpose
DEMO_PASSWORD = "clearsky-demo"  # noqa: S105

ROLE_USERS = [
    ("editor", "王编辑", roles.PUBLICITY_EDITOR),
    ("approver", "李审核", roles.PUBLICITY_APPROVER),
    ("office", "赵主任", roles.DISTRICT_ADMIN),
    ("leader", "陈队长", roles.TEAM_LEADER),
]


def ensure_user(username, password, *, display_name="", groups=(), **fields):
    """Create or update a demo user so that the printed password always works."""
    user, _ = User.objects.get_or_create(username=username, defaults={"display_name": display_name, **fields})
    for name, value in {"display_name": display_name, **fields}.items():
        setattr(user, name, value)
    user.set_password(password)
    user.save()
    if groups:
        user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def seed(out):
    roles.ensure_role_groups()
    ensure_user(ADMIN_USERNAME, ADMIN_PASSWORD, display_name="平台管理员", is_staff=True, is_superuser=True)
    out.login("管理员 Admin", ADMIN_USERNAME, ADMIN_PASSWORD)
    for username, name, role in ROLE_USERS:
        ensure_user(username, DEMO_PASSWORD, display_name=name, groups=[role])
        out.login(str(roles.ROLE_LABELS[role]), username, DEMO_PASSWORD)
    out.step("accounts: admin + one user per staff role")
