"""Headless Chromium against a real Daphne: the bank listing, the upload page, its progress bar and report."""

from pathlib import Path

import pytest

from accounts.demo import ADMIN_PASSWORD, ADMIN_USERNAME, ensure_user
from quiz import demo
from quiz.models import Category
from tests.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

FILES = Path(__file__).resolve().parent.parent / "quiz" / "files"


class Out:
    def step(self, text):
        pass

    def login(self, *args):
        pass


@pytest.fixture
def site(daphne_server):
    ensure_user(ADMIN_USERNAME, ADMIN_PASSWORD, display_name="平台管理员", is_staff=True, is_superuser=True)
    demo.seed(Out())
    return daphne_server


def sign_in(page, site):
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", ADMIN_USERNAME)
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(site.url + "/admin/")


def test_listing_upload_progress_and_report(site, new_page):
    page = new_page()
    sign_in(page, site)

    laws = Category.objects.get(name="禁毒法律法规")
    page.goto(f"{site.url}/admin/questions/?category={laws.pk}&type=single")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() > 0
    assert "禁毒法律法规" in page.locator("table.listing tbody").inner_text()
    assert "禁毒历史" not in page.locator("table.listing tbody").inner_text()
    # The sidebar shows the bank group with its three entries.
    page.get_by_role("button", name="题库").click()
    for label in ("题目", "分类", "批量导入"):
        assert page.locator(".sidebar-menu-item__link", has_text=label).first.is_visible()
    page.get_by_role("button", name="题库").click()  # close the flyout again
    # The filter drawer offers category, type, band, difficulty and active.
    page.locator("#filters-drilldown .w-slim-header-action-button").click()
    menu = page.locator("#filters-drilldown [data-w-drilldown-target=menu]")
    for label in ("分类", "题型", "适用学段", "难度", "启用"):
        assert menu.get_by_role("button", name=label).is_visible()
    screenshot(page, "bank-listing", full_page=False)

    # The edit form: choices inline, at most six.
    question = Category.objects.get(name="毒品知识").questions.filter(type="multiple").first()
    page.goto(f"{site.url}/admin/questions/edit/{question.pk}/")
    assert page.locator("input[name^=choices-][name$=-text]").count() == question.choices.count()
    screenshot(page, "bank-edit")

    page.goto(site.url + "/admin/question-import/")
    assert page.get_by_role("link", name="下载 Excel 模板").is_visible()
    page.set_input_files("#id_file", str(FILES / "with_bad_row.csv"))
    page.check("#id_skip_invalid")
    screenshot(page, "bank-upload")
    page.get_by_role("button", name="上传并导入").click()

    page.wait_for_url("**/admin/question-import/*/")
    assert page.locator(".quiz-progress__track[role=progressbar]").is_visible()
    screenshot(page, "bank-progress", full_page=False)
    page.locator(".quiz-report__table").wait_for()
    assert page.locator(".quiz-progress__track").get_attribute("aria-valuenow") == "100"
    table = page.locator(".quiz-report__table tbody").inner_text()
    assert "答案 C 没有对应的选项" in table
    assert "与本文件第 2 行题干重复" in table
    assert page.locator(".quiz-status--imported").count() >= 3
    screenshot(page, "bank-report")
