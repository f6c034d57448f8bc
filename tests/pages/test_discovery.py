"""Search with two-character Chinese queries, filters, pagination, feeds, sitemap, Open Graph."""

import datetime

import pytest
from django.utils import timezone

from campaigns.pages.models import ArticlePage, CampaignPage, DrugFactPage
from campaigns.pages.search import search_pages

from .conftest import make_image, publish


@pytest.fixture
def content(tree):
    june = tree.campaign(
        title="全民禁毒宣传月",
        slug="june",
        summary="六月集中开展宣誓和展览。",
        districts=[],
        six_intos=["community", "venue"],
        hero_image=make_image("宣传月头图"),
        body=[{"type": "paragraph", "value": "<p>在市文化广场举行宣誓仪式。</p>"}],
    )
    june.districts.set([tree.lst])
    publish(june)
    lesson = tree.campaign(tree.ll_index, title="开学第一课", slug="lesson", six_intos=["family"], summary="进课堂")
    lesson.districts.set([tree.ll])
    publish(lesson)
    meth = DrugFactPage(
        title="甲基苯丙胺",
        slug="meth",
        other_names="冰毒、溜冰",
        category="synthetic",
        summary="人工合成的兴奋剂。",
        effects="<p>导致幻觉。</p>",
    )
    tree.drugs.add_child(instance=meth)
    publish(meth)
    draft = CampaignPage(title="未发布的禁毒草稿", slug="draft", start_date=datetime.date(2026, 1, 1), live=False)
    tree.campaigns.add_child(instance=draft)
    return {"june": june, "lesson": lesson, "meth": meth, "draft": draft}


def titles(response):
    return [page.title for page in response.context["results"]]


def test_two_character_chinese_query_finds_a_campaign(client, content):
    response = client.get("/search/", {"q": "禁毒"})
    assert response.status_code == 200
    assert "全民禁毒宣传月" in titles(response)
    assert "未发布的禁毒草稿" not in titles(response)  # live pages only


def test_search_finds_words_inside_body_and_other_names(client, content):
    assert "甲基苯丙胺" in titles(client.get("/search/", {"q": "冰毒"}))  # other names
    assert "全民禁毒宣传月" in titles(client.get("/search/", {"q": "宣誓"}))  # StreamField body
    assert titles(client.get("/search/", {"q": "课堂"})) == ["开学第一课"]  # summary


def test_search_without_hits_and_without_query(client, content):
    response = client.get("/search/", {"q": "无此内容"})
    assert "没有找到" in response.text
    assert client.get("/search/").context["results"] is None
    assert search_pages("   ") == []


def test_campaign_index_filters_by_six_intos_and_district(client, content, tree):
    url = tree.campaigns.url
    assert {p.title for p in client.get(url).context["campaigns"]} == {"全民禁毒宣传月", "开学第一课"}
    assert [p.title for p in client.get(url, {"tag": "family"}).context["campaigns"]] == ["开学第一课"]
    assert [p.title for p in client.get(url, {"district": "431103"}).context["campaigns"]] == ["全民禁毒宣传月"]
    # A district's own index lists only its subtree.
    assert [p.title for p in client.get(tree.ll_index.url).context["campaigns"]] == ["开学第一课"]


def test_campaign_index_paginates(client, tree):
    for number in range(11):
        tree.campaign(title=f"活动{number}", slug=f"c{number}")
    first = client.get(tree.campaigns.url)
    assert len(first.context["campaigns"]) == 9
    second = client.get(tree.campaigns.url, {"page": 2})
    assert len(second.context["campaigns"]) == 2
    assert "第 2 / 2 页" in second.text


def test_news_feeds(client, tree):
    article = ArticlePage(title="宣传月启动", slug="launch", intro="五百人参加宣誓。", date=datetime.date(2026, 6, 1))
    tree.news.add_child(instance=article)
    publish(article)
    rss = client.get("/feeds/news/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml")
    assert "宣传月启动" in rss.text and "/news/launch/" in rss.text
    atom = client.get("/feeds/news/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml") and "五百人参加宣誓" in atom.text


def test_sitemap_lists_live_pages(client, content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "/campaigns/june/" in response.text and "/drugs/meth/" in response.text
    assert "/campaigns/draft/" not in response.text


def test_open_graph_tags(client, content):
    html = client.get(content["june"].url).text
    assert '<meta property="og:title" content="全民禁毒宣传月">' in html
    assert '<meta property="og:description" content="六月集中开展宣誓和展览。">' in html
    assert 'property="og:image" content="http://testserver/' in html
    assert '<meta property="og:type" content="article">' in html


def test_future_go_live_is_not_live(tree, client):
    page = CampaignPage(title="明年宣传月", slug="next-year", start_date=datetime.date(2027, 6, 1), live=False)
    tree.campaigns.add_child(instance=page)
    page.go_live_at = timezone.now() + datetime.timedelta(days=30)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision().approved_go_live_at is not None
    assert client.get("/campaigns/next-year/").status_code == 404
    assert "明年宣传月" not in [p.title for p in search_pages("宣传月")]


def test_expired_page_goes_down_with_publish_scheduled(tree, client):
    from django.core.management import call_command

    page = tree.campaign(title="过期活动", slug="expired")
    page.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    page.save()
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired


def test_unpublished_draft_text_is_not_searchable(content):
    june = CampaignPage.objects.get(pk=content["june"].pk)
    june.summary = "尚未发布的秘密措辞"
    june.save_revision()
    assert search_pages("秘密措辞") == []
    june.get_latest_revision().publish()
    assert [page.title for page in search_pages("秘密措辞")] == ["全民禁毒宣传月"]
