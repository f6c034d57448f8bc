"""Headless Chromium against a real Daphne: a student reads a campaign page on a 375 px phone, sees the embedded
challenge board (masked names only), and the board follows live over the socket when someone else finishes."""

import re

import pytest
from django.conf import settings

from campaigns.pages.models import CampaignIndexPage, CampaignPage
from quiz.services import challenge as svc
from tests.challenge.factories import correct_choice, make_bank, make_challenge, make_org, register_student
from tests.conftest import ARTIFACTS, screenshot, service_unavailable

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PHONE_375 = {"width": 375, "height": 812}


def finish(participant, right=True):
    """A whole paper through the services, as the paper's views would take it."""
    attempt, _resumed = svc.start_attempt(participant)
    for index, item in enumerate(attempt.paper):
        choice = correct_choice(item["question_id"]) if right else item["choice_ids"][-1]
        svc.save_answer(attempt.pk, index, [choice])
    return svc.submit(attempt.pk)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_campaign_page_board_follows_live_on_a_phone(base_data, redis_url, daphne_factory, new_page):
    from playwright.sync_api import expect

    # Another process (Daphne) must hear this process's board frames: through Redis.
    if redis_url != settings.REDIS_URL:
        service_unavailable("the suite's REDIS_URL must be the test Redis for board frames to reach Daphne")
    server = daphne_factory(redis_url=redis_url)

    make_bank("小学", 6)
    make_bank("社会", 6)
    challenge = make_challenge(question_count=4)
    _district, _school, klass = make_org("冷水滩区", "阳光小学", "五年级1班")
    finish(
        register_student(challenge, "张小明", klass, is_under_14=True, guardian_name="张大山", guardian_consent=True)
    )

    index = base_data.add_child(instance=CampaignIndexPage(title="宣传活动", slug="campaigns"))
    index.save_revision().publish()
    page = CampaignPage(
        title="6·26 国际禁毒日 · 全民禁毒宣传月",
        slug="626-month",
        start_date="2026-06-01",
        summary="六月是全民禁毒宣传月。",
        body=[
            {"type": "paragraph", "value": "<p>全市开展宣誓、展览、知识竞答和“六进”宣传。</p>"},
            {
                "type": "challenge",
                "value": {
                    "challenge": challenge.pk,
                    "title": "",
                    "description": "每天一次计分机会，取最好成绩，按区县和学校排名。",
                    "show_board": True,
                    "rows": 5,
                },
            },
        ],
    )
    index.add_child(instance=page)
    page.save_revision().publish()

    phone = new_page(phone=True)
    phone.set_viewport_size(PHONE_375)
    phone.goto(f"{server.url}/campaigns/626-month/")
    block = phone.locator(".chal-embed")
    expect(block).to_be_visible()
    expect(block.locator(".chal-embed-title")).to_have_text("6·26 全民禁毒知识挑战赛")
    expect(block.locator("[data-role=status]")).to_have_text("进行中")
    expect(block.locator("[data-role=countdown]")).to_have_text(re.compile(r"距结束还有 (9|10) 天"))
    expect(block.locator("[data-role=live]")).to_have_text("实时")
    expect(block.locator("[data-role=participants]")).to_have_text("1")
    people = block.locator("ol.chal-embed-people:visible")
    expect(people).to_contain_text("张*明")
    assert "张小明" not in phone.content()
    assert no_horizontal_scroll(phone), "the page scrolls sideways at 375 px"
    screenshot(phone, "challenge-block-phone")

    # Someone else (the public group) finishes a paper while the page is open: the board follows over the socket.
    public = challenge.groups.get(name="社会")
    other = svc.register(
        challenge,
        svc.Registration(name="欧阳娜娜", group=public, phone="13812345678", work_unit="市第一人民医院"),
    )
    finish(other)
    expect(block.locator("[data-role=participants]")).to_have_text("2")
    expect(block.locator("[data-role=finished]")).to_have_text("2")
    block.locator(".chal-embed-tabs button", has_text="社会").click()
    expect(block.locator("ol.chal-embed-people:visible")).to_contain_text("欧**娜")
    assert "欧阳娜娜" not in phone.content() and "张小明" not in phone.content()
    assert no_horizontal_scroll(phone)
    screenshot(phone, "challenge-block-phone-live")
    block.screenshot(path=str(ARTIFACTS / "challenge-block-phone-card.png"))

    # Back to the first group: still the masked student, and the way in leads to the challenge.
    block.locator(".chal-embed-tabs button", has_text="小学").click()
    expect(block.locator("ol.chal-embed-people:visible")).to_contain_text("张*明")
    block.locator("[data-role=join]").click()
    phone.wait_for_url(f"{server.url}/quiz/challenge/{challenge.slug}/")
