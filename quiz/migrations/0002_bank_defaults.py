"""Default categories, audience bands, and the bank permissions of the publicity roles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from quiz.models import BANDS, DEFAULT_CATEGORIES
from quiz.permissions import grant_bank_permissions


def forwards(apps, schema_editor):
    AudienceBand = apps.get_model("quiz", "AudienceBand")
    Category = apps.get_model("quiz", "Category")
    for order, name in enumerate(BANDS):
        AudienceBand.objects.get_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"order": order})
    # Permissions are normally created after migrate; create them now so they can be granted.
    app_config = apps.get_app_config("quiz")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant_bank_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0001_initial"),
        ("accounts", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
