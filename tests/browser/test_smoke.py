"""Headless Chromium against a real Daphne: the home page and the admin login."""

import pytest
from django.core.management import call_command

from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def site(daphne_server):
    call_command("seed_demo", "--allow-production", verbosity=0)
    return daphne_server


def test_home_page_on_phone_and_desktop(site, new_page):
    phone = new_page(phone=True)
    phone.goto(site.url + "/")
    assert phone.locator("h1").inner_text() == "珍爱生命，远离毒品"
    assert phone.locator(".hotline").is_visible()
    screenshot(phone, "foundation-home-phone")
    phone.locator(".nav-toggle").click()
    assert phone.get_by_role("link", name="登录").is_visible()
    screenshot(phone, "foundation-home-phone-menu", full_page=False)

    desktop = new_page()
    desktop.goto(site.url + "/")
    assert desktop.get_by_role("link", name="登录").is_visible()  # no burger menu on desktop
    screenshot(desktop, "foundation-home-desktop")
    desktop.get_by_role("button", name="English").click()
    desktop.wait_for_load_state()
    assert "Anti-drug hotline" in desktop.locator("footer").inner_text()


def test_admin_login_in_chinese_with_printed_credentials(site, new_page):
    page = new_page()
    page.goto(site.url + "/admin/")
    assert "/admin/login/" in page.url
    screenshot(page, "foundation-admin-login")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "clearsky-admin")
    page.click("main button[type=submit]")
    page.wait_for_url(site.url + "/admin/")
    screenshot(page, "foundation-admin-dashboard")
    assert "控制面板" in page.title()  # the Wagtail admin speaks Chinese


def test_site_sign_in_page(site, new_page):
    page = new_page(phone=True)
    page.goto(site.url + "/accounts/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "wrong-password")
    page.click("main button[type=submit]")
    assert page.locator(".form-errors").is_visible()
    screenshot(page, "foundation-login-error-phone")
    page.fill("#id_password", "clearsky-demo")
    page.click("main button[type=submit]")
    page.wait_for_url(site.url + "/")
    page.locator(".nav-toggle").click()
    assert page.get_by_role("link", name="王编辑").is_visible()
