"""Each page type, created in the admin by a non-superuser editor, then reviewed and published."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from campaigns.pages.models import ArticlePage, CampaignIndexPage, CampaignPage, DrugFactPage, StandardPage
from campaigns.pages.review import WORKFLOW_NAME
from campaigns.schools.models import District
from tests.challenge.factories import make_challenge

from .conftest import make_image


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))


def submit_for_review(client, model, parent, data):
    """POST the admin's add form with "submit to workflow"; return the new draft page."""
    # Multiple-choice fields post one key several times; nested_form_data would number them.
    multi = {name: data.pop(name) for name in ("districts", "six_intos") if name in data}
    data = nested_form_data({"comments": inline_formset([]), **data})
    data.update(multi)
    data["action-submit"] = "Submit"
    response = client.post(add_url(model, parent), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    page = model.objects.get(slug=data["slug"])
    assert not page.live
    assert page.current_workflow_state.workflow.name == WORKFLOW_NAME
    return page


def approve(client, page):
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    response = client.post(url, {"comment": ""})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    return page


def review_and_publish(client, editor, approver, model, parent, data):
    client.force_login(editor)
    page = submit_for_review(client, model, parent, data)
    client.force_login(approver)
    page = approve(client, page)
    assert page.live, "the approver's approval publishes the page"
    client.logout()
    response = client.get(page.url)
    assert response.status_code == 200
    return page, response.text


def test_editor_cannot_publish_directly(client, tree, editor):
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "直接发布的尝试",
            "slug": "direct",
            "start_date": "2026-06-01",
            "body": streamfield([]),
            "events": inline_formset([]),
            "gallery_images": inline_formset([]),
            "materials": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["action-publish"] = "Publish"
    client.post(add_url(CampaignPage, tree.campaigns), data)
    page = CampaignPage.objects.get(slug="direct")
    assert not page.live


def test_campaign_page_through_the_admin(client, tree, editor, approver):
    image = make_image("头图")
    challenge = make_challenge(slug="admin-626")
    page, html = review_and_publish(
        client,
        editor,
        approver,
        CampaignPage,
        tree.campaigns,
        {
            "title": "开学第一课",
            "slug": "first-lesson",
            "theme": "青少年毒品预防教育",
            "summary": "新学期第一周开展毒品预防教育。",
            "start_date": "2026-09-01",
            "end_date": "2026-09-30",
            "districts": [tree.lst.pk, tree.ll.pk],
            "six_intos": ["family", "community"],
            "hero_image": image.pk,
            "body": streamfield(
                [
                    ("heading", {"text": "第一周安排", "size": "h2"}),
                    ("paragraph", rich_text("<p>每学年毒品预防教育不少于两课时。</p>")),
                    ("quote", {"text": "珍爱生命，远离毒品", "attribution": "宣传口号"}),
                    (
                        "challenge",
                        {
                            "challenge": challenge.pk,
                            "title": "全市禁毒知识挑战赛",
                            "description": "每天一次",
                            "show_board": True,
                            "rows": 5,
                        },
                    ),
                    ("live_game", {"title": "课堂竞答", "text": "输入 PIN"}),
                ]
            ),
            "events": inline_formset([{"title": "家长讲座", "starts_at": "2026-09-12 19:00", "place": "活动中心"}]),
            "related_challenge_url": "/quiz/",
            "gallery_images": inline_formset([{"image": image.pk, "caption": "现场"}]),
            "materials": inline_formset([]),
        },
    )
    assert set(page.districts.values_list("code", flat=True)) == {"431103", "431102"}
    assert page.six_intos == ["family", "community"]
    assert page.events.get().place == "活动中心"
    for text in (
        "开学第一课",
        "第一周安排",
        "每学年毒品预防教育不少于两课时",
        "进家庭",
        "进社区",
        "冷水滩区",
        "家长讲座",
        "全市禁毒知识挑战赛",
        'href="/quiz/challenge/admin-626/"',
    ):
        assert text in html
    assert 'action="/play/"' in html and 'name="pin"' in html  # the live-game join box
    assert "<picture>" in html and "image/webp" in html and "srcset=" in html


def test_campaign_end_before_start_is_refused(client, tree, editor):
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "日期错误",
            "slug": "bad-dates",
            "start_date": "2026-09-30",
            "end_date": "2026-09-01",
            "body": streamfield([]),
            "events": inline_formset([]),
            "gallery_images": inline_formset([]),
            "materials": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["action-submit"] = "Submit"
    response = client.post(add_url(CampaignPage, tree.campaigns), data)
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.text
    assert not CampaignPage.objects.filter(slug="bad-dates").exists()


def test_article_page_through_the_admin(client, tree, editor, approver):
    _page, html = review_and_publish(
        client,
        editor,
        approver,
        ArticlePage,
        tree.news,
        {
            "title": "全市启动禁毒宣传月",
            "slug": "launch",
            "date": "2026-06-01",
            "intro": "500 余名干部群众参加禁毒宣誓。",
            "body": streamfield([("paragraph", rich_text("<p>禁毒工作坚持预防为主。</p>"))]),
            "source": "市禁毒办",
        },
    )
    assert "全市启动禁毒宣传月" in html and "禁毒工作坚持预防为主" in html
    assert "市禁毒办" in html


def test_drug_fact_page_through_the_admin(client, tree, editor, approver):
    image = make_image("冰毒示意图")
    page, html = review_and_publish(
        client,
        editor,
        approver,
        DrugFactPage,
        tree.drugs,
        {
            "title": "冰毒",
            "slug": "meth",
            "other_names": "甲基苯丙胺",
            "category": "synthetic",
            "summary": "人工合成的中枢神经兴奋剂。",
            "appearance": "无色透明结晶体。",
            "photos": inline_formset([{"image": image.pk, "caption": "示意图"}]),
            "effects": rich_text("<ul><li>导致幻觉和被害妄想</li></ul>"),
            "legal_status": rich_text("<p>禁毒法第二条将甲基苯丙胺列为毒品。</p>"),
            "source": "禁毒法",
        },
    )
    assert page.photos.count() == 1
    for text in ("冰毒", "甲基苯丙胺", "合成毒品", "导致幻觉和被害妄想", "禁毒法第二条"):
        assert text in html


def test_standard_page_through_the_admin(client, tree, editor, approver):
    _page, html = review_and_publish(
        client,
        editor,
        approver,
        StandardPage,
        tree.home,
        {
            "title": "关于我们",
            "slug": "about",
            "intro": "市禁毒办主办。",
            "body": streamfield([("paragraph", rich_text("<p>预防为主，综合治理。</p>"))]),
        },
    )
    assert "预防为主，综合治理" in html


@pytest.mark.parametrize("model", [CampaignPage, ArticlePage, DrugFactPage])
def test_page_types_only_where_they_belong(tree, model):
    allowed = set(model.allowed_parent_page_models())
    assert allowed and Page not in allowed
    assert all(parent.__module__ == "campaigns.pages.models" for parent in allowed)


def test_campaign_index_page_through_the_admin(client, tree, editor, approver):
    dongan = District.objects.create(name="东安县", code="431122")
    page, html = review_and_publish(
        client,
        editor,
        approver,
        CampaignIndexPage,
        tree.campaigns,
        {
            "title": "东安县",
            "slug": "dongan",
            "intro": rich_text("<p>东安县禁毒办的宣传活动。</p>"),
            "district": dongan.pk,
        },
    )
    assert page.district == dongan
    assert "东安县禁毒办的宣传活动" in html and 'name="tag"' in html and 'name="district"' in html
