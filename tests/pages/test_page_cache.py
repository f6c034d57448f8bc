"""The anonymous page cache (campaigns.pages.page_cache): a second visit skips the page tree; publishing,
unpublishing, moving and deleting show at once; signed-in users, messages and restricted pages are never cached;
languages never mix; every visitor gets their own CSRF token; the counters and challenge blocks stay live."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from campaigns.pages import page_cache
from campaigns.pages.models import CampaignPage, SiteSettings
from campaigns.schools.models import School
from tests.challenge.factories import make_challenge, make_org, register_student
from tests.factories import UserFactory

from .conftest import publish

HEADER = page_cache.HEADER
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def cache_on(settings, tree):
    """The cache on, in a generation of its own (earlier tests' pages stay behind with their rolled-back rows)."""
    # A site's first render creates its settings row, which (like any settings change) retires the cache.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.PAGE_CACHE_SECONDS = 300
    page_cache.invalidate()


def get(client, path, **headers):
    response = client.get(path, **headers)
    return response, response.headers.get(HEADER)


def test_second_anonymous_visit_is_served_without_the_page_tree(client, tree, django_assert_num_queries):
    tree.campaign(title="6·26 禁毒宣传月", slug="june")
    first, state = get(client, "/")
    assert (first.status_code, state) == (200, "miss")
    # Only the live counters are queried (players, participants, volunteers, schools); no page, no site.
    with django_assert_num_queries(4) as queries:
        second, state = get(client, "/")
    assert state == "hit"
    assert not any("wagtailcore" in query["sql"] for query in queries.captured_queries)
    assert "6·26 禁毒宣传月" in second.text and "珍爱生命，远离毒品" in second.text
    # Apart from the visitor's token the two responses are the same page.
    assert TOKEN.sub("", first.text) == TOKEN.sub("", second.text)


def test_campaign_page_and_index_filters_are_cached_per_query(client, tree):
    page = tree.campaign(title="进社区宣传", slug="community", six_intos=["community"])
    assert get(client, page.url)[1] == "miss"
    assert get(client, page.url)[1] == "hit"
    assert get(client, "/campaigns/?tag=community")[1] == "miss"
    response, state = get(client, "/campaigns/?tag=community")
    assert state == "hit" and "进社区宣传" in response.text
    assert get(client, "/campaigns/?tag=rural")[1] == "miss"
    # Any other query string is rendered for this request only, so made-up URLs cannot fill the cache.
    assert get(client, "/?from=singlemessage")[1] == "bypass"
    assert get(client, "/?from=singlemessage")[1] == "bypass"


def test_publishing_a_new_revision_shows_on_the_next_visit(client, tree):
    page = tree.campaign(title="旧标题", slug="june")
    get(client, "/")
    get(client, page.url)
    assert "旧标题" in get(client, page.url)[0].text
    page.title = "新标题"
    publish(page)
    response, state = get(client, page.url)
    assert state == "miss" and "新标题" in response.text and "旧标题" not in response.text
    assert "新标题" in get(client, "/")[0].text
    # A draft (a revision not yet published, the editor's autosave) changes nothing the public sees: still cached.
    page.title = "草稿标题"
    page.save_revision()
    response, state = get(client, page.url)
    assert state == "hit" and "新标题" in response.text and "草稿标题" not in response.text
    assert "草稿标题" not in get(client, "/")[0].text


def test_a_new_page_shows_on_the_cached_home_page(client, tree):
    assert "第一场活动" not in get(client, "/")[0].text
    tree.campaign(title="第一场活动", slug="first")
    assert "第一场活动" in get(client, "/")[0].text


def test_unpublishing_moving_and_deleting_show_on_the_next_visit(client, tree):
    page = tree.campaign(title="要下线的活动", slug="june")
    assert get(client, page.url)[0].status_code == 200
    assert "要下线的活动" in get(client, "/")[0].text
    page.unpublish()
    assert client.get(page.url).status_code == 404
    assert "要下线的活动" not in get(client, "/")[0].text

    publish(CampaignPage.objects.get(pk=page.pk))
    old_url = "/campaigns/june/"
    assert get(client, old_url)[0].status_code == 200
    CampaignPage.objects.get(pk=page.pk).move(tree.lst_index, pos="last-child")
    moved = client.get(old_url)  # no longer the cached page: Wagtail's redirect to where it went
    assert (moved.status_code, moved.headers["Location"]) == (301, "/campaigns/lengshuitan/june/")
    assert get(client, "/campaigns/lengshuitan/june/")[0].status_code == 200

    CampaignPage.objects.get(pk=page.pk).delete()
    assert client.get("/campaigns/lengshuitan/june/").status_code == 404


def test_a_render_racing_a_publish_is_retired_when_it_commits(client, tree, django_capture_on_commit_callbacks):
    """Inside the publishing transaction a render may still read the old rows: the commit retires it again."""
    page = tree.campaign(title="旧标题", slug="june")
    with django_capture_on_commit_callbacks(execute=True):
        page.title = "新标题"
        publish(page)
        get(client, page.url)
        assert get(client, page.url)[1] == "hit"
    assert get(client, page.url)[1] == "miss"


def test_signed_in_users_never_get_or_leave_a_cached_page(client, tree):
    user = UserFactory(username="editor_cache", display_name="王编辑")
    assert get(client, "/")[1] == "miss"
    assert get(client, "/")[1] == "hit"
    client.force_login(user)
    for _ in range(2):
        response, state = get(client, "/")
        assert state == "bypass" and "王编辑" in response.text and "退出" in response.text
    client.logout()
    anonymous = Client()
    response, state = get(anonymous, "/")
    assert state == "hit" and "王编辑" not in response.text and "登录" in response.text


def test_english_and_chinese_never_mix(client, tree):
    english, chinese = Client(), Client()
    for _ in range(2):
        response = english.get("/", HTTP_ACCEPT_LANGUAGE="en")
        assert '<html lang="en">' in response.text and "Anti-drug hotline" in response.text
        response = chinese.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
        assert '<html lang="zh-hans">' in response.text and "禁毒举报电话" in response.text
    assert response.headers[HEADER] == "hit"
    # The language cookie of the switch wins over the browser's language, cached or not.
    assert chinese.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    response, state = get(chinese, "/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert state == "hit" and '<html lang="en">' in response.text and response.headers["Content-Language"] == "en"


def test_every_visitor_gets_their_own_csrf_token(tree):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, state_one = get(first, "/")
    page_two, state_two = get(second, "/")
    assert (state_one, state_two) == ("miss", "hit")
    token_one, token_two = TOKEN.findall(page_one.text)[0], TOKEN.findall(page_two.text)[0]
    secret_one, secret_two = first.cookies["csrftoken"].value, second.cookies["csrftoken"].value
    assert secret_one != secret_two
    assert _unmask_cipher_token(token_one) == secret_one and _unmask_cipher_token(token_two) == secret_two
    assert not re.search(r"pc[0-9a-f]{16}", page_one.text + page_two.text)  # no placeholder left behind
    # Each visitor's form posts with their own token, and never with the other's.
    assert (
        second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token_one}).status_code
        == 403
    )
    assert (
        second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token_two}).status_code
        == 302
    )


def test_a_page_that_uses_a_real_csrf_token_is_not_stored(client, tree, monkeypatch):
    from django.middleware.csrf import get_token

    page = tree.campaign(slug="form")
    original = CampaignPage.get_context

    def with_token(self, request, *args, **kwargs):
        context = original(self, request, *args, **kwargs)
        context["form_token"] = get_token(request)  # as a form page of its own would
        return context

    monkeypatch.setattr(CampaignPage, "get_context", with_token)
    assert get(client, page.url)[1] == "miss"
    assert get(client, page.url)[1] == "miss"


def test_messages_are_shown_and_never_cached(tree):
    factory = RequestFactory()

    def anonymous_request(message=None):
        request = factory.get("/")
        request.session = SessionStore()
        request.user = AnonymousUser()
        request._messages = FallbackStorage(request)
        if message:
            add_message(request, constants.SUCCESS, message)
        return request

    response = page_cache.serve(anonymous_request("报名成功"), "").render()
    assert response[HEADER] == "bypass" and "报名成功" in response.content.decode()
    assert page_cache.serve(anonymous_request(), "")[HEADER] == "miss"
    response = page_cache.serve(anonymous_request(), "")
    assert response[HEADER] == "hit" and "报名成功" not in response.content.decode()


def test_restricted_pages_are_never_stored(client, tree):
    page = tree.campaign(title="内部活动", slug="internal")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="626")
    for _ in range(2):
        response, state = get(client, page.url)
        assert state == "miss" and "内部活动" not in response.text
        assert 'name="password"' in response.text
        assert _unmask_cipher_token(TOKEN.findall(response.text)[-1]) == client.cookies["csrftoken"].value


def test_error_pages_render_without_placeholders(client, tree):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    token = TOKEN.findall(response.text)[0]
    assert _unmask_cipher_token(token) == client.cookies["csrftoken"].value


def test_home_counters_stay_live_on_a_cached_page(client, tree):
    get(client, "/")
    School.objects.create(district=tree.lst, name="梅湾小学")
    School.objects.create(district=tree.lst, name="珠山小学")
    response, state = get(client, "/")
    assert state == "hit"
    assert re.search(r"<strong>2</strong>\s*<span>参与学校</span>", response.text)


def test_challenge_block_stays_live_on_a_cached_page(client, tree):
    challenge = make_challenge()
    _district, _school, klass = make_org("东安县", "阳光小学", "五年级1班")
    page = tree.campaign(
        slug="with-challenge",
        body=[{"type": "challenge", "value": {"challenge": challenge.pk, "title": "", "description": ""}}],
    )
    first, _state = get(client, page.url)
    assert 'data-role="participants">0<' in first.text
    register_student(challenge, "张小明", klass)
    before = time.time()
    response, state = get(client, page.url)
    assert state == "hit"
    assert 'data-role="participants">1<' in response.text
    # The block's clock is this response's, not the stored page's: its script counts down from it.
    now = float(re.search(r'data-now="([\d.]+)"', response.text).group(1))
    assert now >= before - 1


def test_open_challenges_leave_the_cached_home_page_when_they_close(client, tree):
    now = timezone.now()
    make_challenge(slug="closing", starts=now - datetime.timedelta(days=1), ends=now + datetime.timedelta(seconds=3))
    response, state = get(client, "/")
    assert state == "miss" and "6·26 全民禁毒知识挑战赛" in response.text
    time.sleep(max(0.0, (now + datetime.timedelta(seconds=3.5) - timezone.now()).total_seconds()))
    response, _state = get(client, "/")
    assert "6·26 全民禁毒知识挑战赛" not in response.text and "近期暂无开放的挑战赛" in response.text


def test_cache_off_renders_every_time(client, tree, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert get(client, "/")[1] == "bypass"
    assert get(client, "/")[1] == "bypass"


def test_a_deploy_with_other_templates_starts_afresh(client, monkeypatch):
    get(client, "/")
    assert get(client, "/")[1] == "hit"
    monkeypatch.setattr(page_cache, "render_version", lambda: "next-deploy")
    assert get(client, "/")[1] == "miss"
