"""Grant the team leader and district admin roles their volunteer permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from campaigns.volunteers.permissions import grant_role_permissions


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make them now.
    app_config = apps.get_app_config("volunteers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("accounts", "0002_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
