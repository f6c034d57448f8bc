import pytest
from django.core.management import call_command
from wagtail.models import Page, Site

from campaigns.pages.models import HomePage


@pytest.fixture
def seeded(db):
    call_command("seed_demo", "--allow-production", verbosity=0)


def test_seed_demo_is_idempotent(seeded):
    call_command("seed_demo", "--allow-production", verbosity=0)
    assert HomePage.objects.count() == 1
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    # Wagtail's placeholder page is gone, nothing else sits beside the home page.
    assert Page.objects.filter(depth=2).count() == 1


def test_seed_demo_refuses_with_debug_off_without_flag(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)


def test_home_page_renders_chinese_first(seeded, client):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.text
    assert "珍爱生命，远离毒品" in response.text
    assert "禁毒举报电话" in response.text


def test_language_switch_to_english(seeded, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/")
    assert '<html lang="en">' in english.text
    assert "Anti-drug hotline" in english.text
    assert "中文" in english.text  # the switch back


def test_404_page_in_site_look(seeded, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.text and "site-header" in response.text


def test_500_page_is_static_and_bilingual(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "服务器开小差了" in html and "Something went wrong" in html


def test_wagtail_admin_is_chinese(seeded, client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert "登录" in response.text


def test_403_page_in_site_look_with_the_reason(seeded, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="plain-user"))
    response = client.get("/schools/dashboard/")
    assert response.status_code == 403
    assert "没有访问权限" in response.text and "site-header" in response.text
