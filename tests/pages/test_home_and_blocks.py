"""The home page's sections and counters, and every StreamField block rendered."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from campaigns.pages import home as home_module
from campaigns.pages.blocks import BodyBlock
from campaigns.pages.models import CampaignEvent, HomeFeaturedCampaign
from tests.challenge.factories import make_challenge

from .conftest import make_image, publish


def test_home_lists_featured_first_then_newest_campaigns(client, tree):
    older = tree.campaign(title="精选的宣传月", slug="featured")
    newer = tree.campaign(title="最新的进社区活动", slug="newest")
    tree.home.featured_campaigns = [HomeFeaturedCampaign(campaign=older)]
    publish(tree.home)
    campaigns = client.get("/").context["campaigns"]
    assert [page.pk for page in campaigns] == [older.pk, newer.pk]


def test_home_shows_upcoming_events_only(client, tree):
    page = tree.campaign(title="宣传月", slug="june")
    now = timezone.now()
    CampaignEvent.objects.create(page=page, title="已结束的讲座", starts_at=now - datetime.timedelta(days=1))
    CampaignEvent.objects.create(
        page=page, title="下周的宣誓", starts_at=now + datetime.timedelta(days=7), place="广场"
    )
    html = client.get("/").text
    assert "下周的宣誓" in html and "已结束的讲座" not in html


def test_counters_tolerate_missing_apps(tree, monkeypatch):
    from campaigns.schools.models import School

    School.objects.create(district=tree.lst, name="梅湾小学")
    counters = {item["key"]: item["value"] for item in home_module.live_counters()}
    assert counters["schools"] == 1
    monkeypatch.setattr(home_module, "_model", lambda label: None)  # as if no app were installed
    assert [item["value"] for item in home_module.live_counters()] == [0, 0, 0]


def test_quiz_sections_placeholder_renders(client, tree):
    assert home_module.home_sections() == []
    html = client.get("/").text
    assert "近期暂无开放的挑战赛" in html
    assert 'action="/play/"' in html


def test_every_block_renders(tree):
    image = make_image("图集")
    document = Document(title="宣传折页")
    document.file.save("leaflet.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    document.save()
    challenge = make_challenge(slug="every-block")
    block = BodyBlock()
    value = block.to_python(
        [
            {"type": "heading", "value": {"text": "活动安排", "size": "h3"}},
            {"type": "paragraph", "value": "<p>正文段落</p>"},
            {"type": "image", "value": {"image": image.pk, "caption": "宣誓现场"}},
            {"type": "gallery", "value": {"title": "图集标题", "images": [{"image": image.pk, "caption": "一"}]}},
            {"type": "quote", "value": {"text": "珍爱生命", "attribution": "口号"}},
            {
                "type": "call_to_action",
                "value": {
                    "title": "认识毒品",
                    "text": "看清伪装",
                    "button_text": "去看看",
                    "page": None,
                    "url": "/drugs/",
                },
            },
            {
                "type": "schedule",
                "value": {
                    "title": "日程",
                    "items": [{"starts_at": "2026-06-26T09:00:00", "title": "宣誓", "place": "广场"}],
                },
            },
            {
                "type": "challenge",
                "value": {"challenge": challenge.pk, "title": "知识挑战赛", "description": "每天一次"},
            },
            {"type": "live_game", "value": {"title": "课堂竞答", "text": "输入 PIN"}},
            {"type": "statistics", "value": {"title": "成果", "items": [{"value": "3200", "label": "场活动"}]}},
            {"type": "document", "value": {"document": document.pk, "title": "折页下载"}},
        ]
    )
    html = block.render(value)
    for text in (
        "<h3>活动安排</h3>",
        "正文段落",
        "宣誓现场",
        "图集标题",
        "珍爱生命",
        'href="/drugs/"',
        "6月26日 09:00",
        'href="/quiz/challenge/every-block/"',
        'action="/play/"',
        "3200",
        "折页下载",
        "image/webp",
    ):
        assert text in html, text


def test_home_lists_open_challenges_only(db):
    from datetime import timedelta

    from django.utils import timezone

    from campaigns.pages.home import home_sections
    from quiz.models import Challenge

    now = timezone.now()
    Challenge.objects.create(
        title="全民禁毒知识挑战赛", slug="open-one", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=6),
        is_published=True,
    )  # fmt: skip
    Challenge.objects.create(
        title="已结束的挑战赛", slug="closed-one", starts_at=now - timedelta(days=9), ends_at=now - timedelta(days=1),
        is_published=True,
    )  # fmt: skip
    Challenge.objects.create(
        title="未发布", slug="draft-one", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=6)
    )
    sections = home_sections()
    assert [item["title"] for item in sections] == ["全民禁毒知识挑战赛"]
    assert sections[0]["url"] == "/quiz/challenge/open-one/"
