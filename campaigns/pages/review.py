"""Who may write and who may publish: Wagtail's workflow and page permissions.

Editors (宣传编辑) add and change pages and submit them to the workflow
"宣传审核流程"; its one GroupApprovalTask belongs to 宣传审核, whose approval
publishes the page. Scheduled publishing needs nothing here: the editor sets
"上线时间"/"下线时间" (go_live_at / expire_at) on the page's settings tab, the
approved revision waits, and the ``publish_scheduled`` management command
(run it every minute from cron or a systemd timer) puts it live and takes
expired pages down.

A district's editors are a group of their own ("宣传编辑-冷水滩区") holding
add/change on that district's campaign index only, so Wagtail refuses them
every other page, including by direct edit URL.

:func:`grant_review` takes an app registry so the data migration (historical
models) and :func:`ensure_review_workflow` (tests, seed_demo after a flush)
share one definition.
"""

from accounts import roles

WORKFLOW_NAME = "宣传审核流程"
TASK_NAME = "宣传审核"
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
APPROVER_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Editors upload photos and leaflets; "choose" lets them pick ones others uploaded.
COLLECTION_PERMISSIONS = {
    ("wagtailimages", "image"): ("add_image", "change_image", "choose_image"),
    ("wagtaildocs", "document"): ("add_document", "change_document", "choose_document"),
}
DISTRICT_GROUP_PREFIX = f"{roles.PUBLICITY_EDITOR}-"


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        # On a fresh database this runs before post_migrate creates permissions; use Django's wording.
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {codename.rsplit('_', 1)[0]} {model}"},
    )
    return permission


def _grant_editing(apps, group, page, page_codenames):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")

    group.permissions.add(_permission(apps, "wagtailadmin", "admin", "access_admin"))
    for codename in page_codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page_id=page.pk, permission=_permission(apps, "wagtailcore", "page", codename)
        )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is None:
        return
    for (app_label, model), codenames in COLLECTION_PERMISSIONS.items():
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(apps, app_label, model, codename)
            )


def grant_review(apps, home):
    """Create the review workflow on ``home`` and the editor/approver permissions beneath it."""
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    editors, _ = Group.objects.get_or_create(name=roles.PUBLICITY_EDITOR)
    approvers, _ = Group.objects.get_or_create(name=roles.PUBLICITY_APPROVER)
    _grant_editing(apps, editors, home, EDITOR_PAGE_PERMISSIONS)
    _grant_editing(apps, approvers, home, APPROVER_PAGE_PERMISSIONS)

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=TASK_NAME, active=True, content_type=task_type)
    task.groups.add(approvers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    # On the home page, so campaigns, news and drug facts all pass the review;
    # the campaign indexes (and their district subtrees) inherit it.
    WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})
    return workflow


def ensure_review_workflow():
    """Runtime twin of the data migration (after a test flush, or on a damaged demo database)."""
    from django.apps import apps

    from .models import HomePage

    return grant_review(apps, HomePage.objects.get())


def ensure_district_editors(district, index_page):
    """The group "宣传编辑-<区县>" that may add and change pages under ``index_page`` only."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    group, _ = Group.objects.get_or_create(name=f"{DISTRICT_GROUP_PREFIX}{district.name}")
    _grant_editing(apps, group, index_page, EDITOR_PAGE_PERMISSIONS)
    return group
