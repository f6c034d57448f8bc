"""Headless Chromium against a real Daphne: a student takes the city challenge on a phone, reloads mid-paper,
finishes, downloads the certificate that the public page verifies, while the big screen follows live."""

import re

import pytest

from accounts import roles
from campaigns.schools.models import DistrictStaff
from quiz.challenge_views import curl
from quiz.models import Certificate, ChallengeAttempt
from tests.challenge.factories import make_bank, make_challenge, make_org
from tests.conftest import screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]

# /quiz/challenge now; wherever the integrator includes quiz.challenge_urls later.
BASE_PATH = curl("index").rstrip("/")


def clock_seconds(page) -> int:
    minutes, seconds = page.locator("#chal-clock").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def answer_current(page, text="甲"):
    page.locator("#chal-choices button", has_text=text).click()


def test_student_takes_the_challenge_on_a_phone(daphne_server, new_page):
    from playwright.sync_api import expect

    base = daphne_server.url
    make_bank("小学", 6)
    make_bank("社会", 6)
    challenge = make_challenge(question_count=4, seconds=600)
    district = make_org("冷水滩区", "阳光小学", "五年级1班")[0]
    make_org("零陵区", "希望小学", "三年级2班")
    UserFactory(username="stu-zhang", display_name="张小明", roles=[roles.STUDENT])

    # The big screen is up before anyone finishes.
    screen = new_page()
    screen.goto(f"{base}{BASE_PATH}/{challenge.slug}/screen/")
    expect(screen.locator("#chal-live")).to_have_text("实时")
    expect(screen.locator("#chal-finished")).to_have_text("0")

    # The student signs in and registers on a phone: district -> school -> class, under 14 with consent.
    phone = new_page(phone=True)
    landing = f"{BASE_PATH}/{challenge.slug}/"
    phone.goto(f"{base}/accounts/login/?next={landing}")
    phone.fill("#id_username", "stu-zhang")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{base}{landing}")
    screenshot(phone, "challenge-landing-new")
    phone.click("#chal-register")
    expect(phone.locator("#id_name")).to_have_value("张小明")
    phone.select_option("#id_group", label="小学")
    phone.select_option("#id_district", label="冷水滩区")
    # The school picker only offers the district's schools.
    expect(phone.locator("#id_school option", has_text="希望小学")).to_be_hidden()
    phone.select_option("#id_school", label="阳光小学")
    phone.select_option("#id_school_class", label="五年级1班")
    phone.check("#id_is_under_14")
    phone.fill("#id_guardian_name", "张大山")
    screenshot(phone, "challenge-register")
    phone.get_by_role("button", name="提交报名").click()
    expect(phone.locator("#chal-guardian-error, .form-errors")).to_contain_text("监护人")
    phone.check("#id_guardian_consent")
    phone.get_by_role("button", name="提交报名").click()
    phone.wait_for_url(f"{base}{landing}")
    expect(phone.locator("#chal-today")).to_contain_text("还可答 1 次")
    screenshot(phone, "challenge-landing-registered")

    # The paper: one question at a time, answers saved as given.
    phone.click("#chal-start")
    phone.wait_for_url(re.compile(r".*/attempt/\d+/$"))
    paper_url = phone.url
    # Answers travel on the paper's socket; the HTTP endpoint is only the fallback.
    http_answers = []
    phone.on("request", lambda r: r.method == "POST" and r.url.endswith("/answer/") and http_answers.append(r.url))
    expect(phone.locator("#chal-counter")).to_have_text("第 1 / 4 题")
    answer_current(phone)
    expect(phone.locator("#chal-counter")).to_have_text("第 2 / 4 题")
    answer_current(phone, "乙")  # a wrong answer, changed below before submission
    expect(phone.locator("#chal-counter")).to_have_text("第 3 / 4 题")
    phone.click("#chal-prev")
    answer_current(phone)
    expect(phone.locator("#chal-saved")).to_have_text("已保存")
    expect(phone.locator("#chal-counter")).to_have_text("第 3 / 4 题")
    screenshot(phone, "challenge-paper")

    # A reload resumes the same paper, question and answers, with the same remaining time.
    before = clock_seconds(phone)
    phone.reload()
    assert phone.url == paper_url
    expect(phone.locator("#chal-counter")).to_have_text("第 3 / 4 题")
    expect(phone.locator("#chal-dots .is-done")).to_have_count(2)
    after = clock_seconds(phone)
    assert before - 5 <= after <= before
    assert 590 <= after <= 600
    assert ChallengeAttempt.objects.count() == 1

    answer_current(phone)
    expect(phone.locator("#chal-counter")).to_have_text("第 4 / 4 题")
    answer_current(phone)
    expect(phone.locator("#chal-dots .is-done")).to_have_count(4)
    expect(phone.locator("#chal-saved")).to_have_text("已保存")
    assert http_answers == []
    phone.click("#chal-submit")
    phone.wait_for_url(re.compile(r".*/result/$"))
    expect(phone.locator("#chal-score")).to_contain_text("100")
    expect(phone.locator("#chal-level")).to_have_text("优秀")
    expect(phone.locator("#chal-ranks")).to_contain_text("全市排名")
    expect(phone.locator("#chal-ranks dd").first).to_have_text("1")
    screenshot(phone, "challenge-result")

    with phone.expect_download() as download_info:
        phone.click("#chal-cert-png")
    download = download_info.value
    path = download.path()
    with open(path, "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    certificate = Certificate.objects.get()
    assert certificate.number in download.suggested_filename

    # The big screen shows the masked name, never the full one.
    expect(screen.locator("#chal-finished")).to_have_text("1")
    expect(screen.locator("#chal-groups")).to_contain_text("张*明")
    assert "张小明" not in screen.content()
    screenshot(screen, "challenge-screen-one")

    # Anyone can verify the certificate (e.g. from its QR code): genuine, masked name, no other personal data.
    verifier = new_page(phone=True)
    verifier.goto(f"{base}{BASE_PATH}/verify/{certificate.number}/")
    expect(verifier.locator("#chal-verify")).to_contain_text("真实有效")
    expect(verifier.locator("#chal-verify")).to_contain_text("张*明")
    assert "张小明" not in verifier.content() and "阳光小学" not in verifier.content()
    screenshot(verifier, "challenge-verify")

    # Another participant (the public group) finishes on another phone: the big screen follows.
    other = new_page(phone=True)
    other.goto(f"{base}{landing}")
    other.click("#chal-register")
    other.fill("#id_name", "欧阳娜娜")
    other.select_option("#id_group", label="社会")
    other.fill("#id_phone", "13812345678")
    other.fill("#id_work_unit", "市第一人民医院")
    other.get_by_role("button", name="提交报名").click()
    other.wait_for_url(f"{base}{landing}")
    other.click("#chal-start")
    other.wait_for_url(re.compile(r".*/attempt/\d+/$"))
    answer_current(other)
    other.click("#chal-submit")
    other.click("#chal-submit")  # confirm with unanswered questions
    other.wait_for_url(re.compile(r".*/result/$"))
    expect(screen.locator("#chal-finished")).to_have_text("2")
    expect(screen.locator("#chal-participants")).to_have_text("2")
    expect(screen.locator("#chal-groups")).to_contain_text("欧**娜")
    assert "欧阳娜娜" not in screen.content()
    screenshot(screen, "challenge-screen-two")

    # The public board on a phone: masked names only.
    other.goto(f"{base}{BASE_PATH}/{challenge.slug}/board/")
    expect(other.locator("#chal-board")).to_contain_text("张*明")
    assert "张小明" not in other.content()
    screenshot(other, "challenge-board")

    # The district office's statistics (its own district only), with the spreadsheet of every table.
    office = UserFactory(username="office-lst", display_name="冷水滩禁毒办", roles=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.create(user=office, district=district)
    desk = new_page()
    stats = f"{BASE_PATH}/{challenge.slug}/stats/"
    desk.goto(f"{base}/accounts/login/?next={stats}")
    desk.fill("#id_username", "office-lst")
    desk.fill("#id_password", PASSWORD)
    desk.click("main button[type=submit]")
    desk.wait_for_url(f"{base}{stats}")
    expect(desk.locator("main")).to_contain_text("阳光小学")
    screenshot(desk, "challenge-stats")
    with desk.expect_download() as xlsx:
        desk.click("#chal-export")
    assert xlsx.value.suggested_filename.endswith(".xlsx")
