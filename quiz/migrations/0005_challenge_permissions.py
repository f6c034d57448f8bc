"""Publicity staff set up challenges in the Wagtail admin: grant them the challenge models."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Role group names as in accounts.roles (PUBLICITY_EDITOR, PUBLICITY_APPROVER); frozen here like any migration.
CHALLENGE_ROLES = ("宣传编辑", "宣传审核")
CHALLENGE_MODELS = ("challenge", "challengegroup")
ACTIONS = ("add", "change", "delete", "view")


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("quiz")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(
        content_type__app_label="quiz",
        codename__in=[f"{action}_{model}" for model in CHALLENGE_MODELS for action in ACTIONS],
    )
    for name in CHALLENGE_ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0004_challenges"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
