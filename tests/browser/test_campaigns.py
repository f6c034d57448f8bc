"""Campaign publishing in a real browser: an editor writes and submits, an approver publishes.

Also phone and desktop screenshots of the home, campaign and drug-fact pages
(tests/artifacts/pages-*.png), which a person looks at after a change.
"""

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from accounts.demo import DEMO_PASSWORD
from campaigns.pages.models import CampaignIndexPage, CampaignPage
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]


class _Out:
    def step(self, text):
        pass

    def login(self, *args):
        pass


@pytest.fixture
def site(daphne_server):
    """The demo publicity site (accounts + pages seeders only), served by real Daphne."""
    from accounts import demo as accounts_demo
    from campaigns.pages import demo as pages_demo

    accounts_demo.seed(_Out())
    pages_demo.seed(_Out())
    return daphne_server


def serve_media(page):
    """Answer /media/ from MEDIA_ROOT: Daphne with DEBUG off serves no uploads (nginx does in production)."""
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT).resolve()

    def handle(route):
        file = (root / unquote(urlparse(route.request.url).path).removeprefix("/media/")).resolve()
        if file.is_file() and root in file.parents:
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404)

    page.route("**/media/**", handle)
    return page


def sign_in_admin(page, url, username):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(url + "/admin/")


def footer_action(page, selector):
    """Click an action in the edit form's footer menu (opening the "more actions" dropdown first)."""
    button = page.locator(selector)
    if not button.is_visible():
        page.locator("footer .w-dropdown__toggle").first.click()
    button.click()


def test_editor_submits_approver_publishes_home_shows_it(site, new_page):
    index = CampaignIndexPage.objects.get(slug="campaigns")
    editor = new_page()
    sign_in_admin(editor, site.url, "editor")
    editor.goto(f"{site.url}/admin/pages/add/pages/campaignpage/{index.pk}/")
    editor.fill("#id_title", "禁毒宣传进校园周")
    editor.fill("#id_theme", "青少年毒品预防")
    editor.fill("#id_summary", "校园禁毒宣传周：主题班会、知识竞答和禁毒手抄报。")
    editor.fill("#id_start_date", "2026-12-14")
    editor.keyboard.press("Escape")
    editor.check("input[name=six_intos][value=community]")
    screenshot(editor, "pages-admin-editor-writes")
    footer_action(editor, 'button[name="action-submit"]')
    editor.wait_for_url(f"{site.url}/admin/pages/{index.pk}/")
    page = CampaignPage.objects.get(title="禁毒宣传进校园周")
    assert not page.live
    assert page.current_workflow_state is not None
    screenshot(editor, "pages-admin-submitted")

    approver = new_page()
    sign_in_admin(approver, site.url, "approver")
    approver.goto(f"{site.url}/admin/pages/{page.pk}/edit/")
    footer_action(approver, 'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])')
    approver.wait_for_url(f"{site.url}/admin/**")
    page.refresh_from_db()
    assert page.live
    screenshot(approver, "pages-admin-approved")

    visitor = serve_media(new_page(phone=True))
    visitor.goto(site.url + "/")
    assert visitor.get_by_role("link", name="禁毒宣传进校园周").is_visible()


def test_screenshots_phone_and_desktop(site, new_page):
    for phone in (True, False):
        kind = "phone" if phone else "desktop"
        browser_page = serve_media(new_page(phone=phone))
        browser_page.goto(site.url + "/")
        assert browser_page.locator("h1").inner_text() == "珍爱生命，远离毒品"
        assert browser_page.locator(".counter").count() == 3
        screenshot(browser_page, f"pages-home-{kind}")

        browser_page.goto(site.url + "/campaigns/626-month/")
        assert "6·26" in browser_page.locator("h1").inner_text()
        assert browser_page.locator("picture img").first.evaluate("img => img.complete && img.naturalWidth > 0")
        screenshot(browser_page, f"pages-campaign-{kind}")

        browser_page.goto(site.url + "/drugs/methamphetamine/")
        assert browser_page.locator("h1").inner_text() == "冰毒"
        screenshot(browser_page, f"pages-drug-fact-{kind}")

    desktop = serve_media(new_page())
    desktop.goto(site.url + "/search/?q=禁毒")
    assert desktop.locator(".search-results li").count() > 0
    screenshot(desktop, "pages-search-desktop")
    desktop.goto(site.url + "/campaigns/?tag=venue")
    screenshot(desktop, "pages-campaign-index-desktop")
