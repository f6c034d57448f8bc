"""Review before publishing: the 宣传审核流程 workflow and the publicity groups' page permissions."""

from django.db import migrations


def create_review(apps, schema_editor):
    from campaigns.pages.review import grant_review

    home = apps.get_model("pages", "HomePage").objects.order_by("pk").first()
    if home is not None:
        grant_review(apps, home)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_campaign_pages"),
        ("accounts", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_review, migrations.RunPython.noop)]
