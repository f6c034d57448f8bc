"""District subtrees: a district's editors edit their district's campaigns and nothing else."""

from django.urls import reverse
from wagtail.models import Page

from campaigns.pages.models import CampaignPage


def test_district_editor_edits_own_district(client, tree, lst_editor):
    own = tree.campaign(tree.lst_index, title="冷水滩区进社区", slug="lst-community")
    client.force_login(lst_editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=(own.pk,)))
    assert response.status_code == 200
    assert "冷水滩区进社区" in response.text
    add = reverse("wagtailadmin_pages:add", args=("pages", "campaignpage", tree.lst_index.pk))
    assert client.get(add).status_code == 200


def test_district_editor_cannot_edit_other_district_by_direct_url(client, tree, lst_editor):
    other = tree.campaign(tree.ll_index, title="零陵区开学第一课", slug="ll-lesson")
    city = tree.campaign(tree.campaigns, title="全市宣传月", slug="city-june")
    client.force_login(lst_editor)
    for page in (other, city):
        response = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code in (302, 403)
        assert 'name="title"' not in response.text  # never the edit form
        response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), {"title": "被篡改"})
        assert response.status_code in (302, 403)
        page.refresh_from_db()
        assert page.title != "被篡改" and page.get_latest_revision().content["title"] != "被篡改"
    add = reverse("wagtailadmin_pages:add", args=("pages", "campaignpage", tree.ll_index.pk))
    assert client.get(add).status_code in (302, 403)


def test_district_editor_sees_only_own_subtree_in_explorer(client, tree, lst_editor):
    tree.campaign(tree.ll_index, title="零陵区开学第一课", slug="ll-lesson")
    client.force_login(lst_editor)
    response = client.get(reverse("wagtailadmin_explore", args=(tree.ll_index.pk,)))
    assert response.status_code in (302, 403) or "零陵区开学第一课" not in response.text


def test_editor_has_no_publish_permission_and_approver_has(tree, editor, approver):
    page = tree.campaign(title="宣传月", slug="june-perm")
    assert page.permissions_for_user(editor).can_edit()
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(approver).can_publish()


def test_review_workflow_covers_campaigns_news_and_facts(tree):
    for parent in (tree.campaigns, tree.lst_index, tree.news, tree.drugs):
        workflow = Page.objects.get(pk=parent.pk).get_workflow()
        assert workflow is not None and workflow.name == "宣传审核流程"
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["宣传审核"]
    assert CampaignPage.objects.count() == 0
