"""Headless Chromium: a district office opens the challenge statistics on a desktop and on a 375 px phone;
every chart is drawn, no label is cut off or overlaps its neighbour, and the page does not scroll sideways."""

import datetime

import pytest
from django.utils import timezone

from accounts import roles
from campaigns.schools.models import DistrictStaff
from quiz.challenge_views import curl
from quiz.services import challenge as svc
from tests.challenge.factories import correct_choice, make_bank, make_challenge, make_org, register_student
from tests.conftest import screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]

LONG_NAME = "冷水滩区梅湾街道第一中心小学附属实验学校分校区（南校区）"

# For every chart: visible texts that stick out of their SVG, and pairs of visible texts on one line that overlap.
LAYOUT_PROBLEMS = """
() => {
  const problems = [];
  for (const svg of document.querySelectorAll("svg.chal-svg")) {
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll("text")]
      .filter((t) => getComputedStyle(t).display !== "none" && t.textContent.trim())
      .map((t) => ({ text: t.textContent.trim(), r: t.getBoundingClientRect() }));
    for (const t of texts) {
      const r = t.r;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        problems.push(`${svg.id}: "${t.text}" sticks out`);
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r, b = texts[j].r;
        const sameLine = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > Math.min(a.height, b.height) / 2;
        if (sameLine && a.left < b.right - 1 && b.left < a.right - 1) {
          problems.push(`${svg.id}: "${texts[i].text}" overlaps "${texts[j].text}"`);
        }
      }
    }
    // A value printed inside its bar must fit in it.
    for (const t of svg.querySelectorAll("text.is-inside")) {
      const bar = t.previousElementSibling.getBoundingClientRect(), r = t.getBoundingClientRect();
      if (r.left < bar.left) problems.push(`${svg.id}: "${t.textContent}" is wider than its bar`);
    }
  }
  return problems;
}
"""


def take_paper(participant, when, right):
    attempt, _ = svc.start_attempt(participant, now=when)
    for index, item in enumerate(attempt.paper[:right]):
        svc.save_answer(attempt.pk, index, [correct_choice(item["question_id"])], now=when)
    svc.submit(attempt.pk, now=when)
    return attempt


def seed():
    now = timezone.now()
    make_bank("小学", 8)
    make_bank("社会", 6)
    challenge = make_challenge(question_count=6, attempts_per_day=2, starts=now - datetime.timedelta(days=12))
    district = make_org("冷水滩区", "阳光小学", "五年级1班")[0]
    classes = [make_org("冷水滩区", name, "六年级1班")[2] for name in ("阳光小学", "向阳中学", "梅湾小学", LONG_NAME)]
    classes += [make_org("冷水滩区", f"第{n}实验小学", "四年级3班")[2] for n in range(1, 10)]
    other = make_org("零陵区", "希望小学", "三年级2班")[2]
    student = 0
    # Eleven days from the first result to today: some busy, some quiet, two with none; every third student tries
    # twice the same day (more attempts than people); the long-named school does best, so it is in the chart.
    for days_ago, count in ((10, 2), (9, 5), (8, 9), (7, 4), (5, 12), (4, 7), (3, 15), (2, 6), (0, 3)):
        # Local noon: a second try 20 minutes later is on the same day whenever the test runs.
        day = timezone.localdate() - datetime.timedelta(days=days_ago)
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        for _n in range(count):
            student += 1
            klass = classes[(student * 7) % len(classes)]
            participant = register_student(challenge, f"学生{student}", klass)
            right = 6 if klass.school.name == LONG_NAME else (student + klass.pk) % 7
            take_paper(participant, when, right)
            if student % 3 == 0:
                take_paper(participant, when + datetime.timedelta(minutes=20), min(6, right + 2))
    take_paper(register_student(challenge, "外区同学", other), now, 6)
    office = UserFactory(username="office-lst", display_name="冷水滩禁毒办", roles=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.create(user=office, district=district)
    return challenge


def test_stats_charts_on_desktop_and_phone(daphne_server, new_page):
    from playwright.sync_api import expect

    base = daphne_server.url
    challenge = seed()
    stats = curl("stats", challenge.slug)
    for phone, name in ((False, "challenge-stats-charts-desktop"), (True, "challenge-stats-charts-phone")):
        page = new_page(phone=phone)
        if phone:
            page.set_viewport_size({"width": 375, "height": 812})
        page.goto(f"{base}/accounts/login/?next={stats}")
        page.fill("#id_username", "office-lst")
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{base}{stats}")
        screenshot(page, name)

        for chart in ("district", "school", "daily", "questions"):
            expect(page.locator(f"#chal-chart-{chart}")).to_be_visible()
        expect(page.get_by_role("img", name="各学校参与率、合格率、优秀率和平均分")).to_be_visible()
        school_chart = page.locator("#chal-chart-school")
        expect(school_chart.locator("g.chal-group")).to_have_count(10)
        assert "希望小学" not in page.content() and "零陵区" not in page.content()
        # Nine results days from the first to the last, with the quiet day drawn as a zero.
        expect(page.locator("#chal-chart-daily g.chal-day")).to_have_count(11)
        assert page.evaluate(LAYOUT_PROBLEMS) == []
        # Chart text stays legible: never drawn below 10 CSS px, whatever the width.
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('svg.chal-svg text')]
                   .filter((t) => getComputedStyle(t).display !== 'none')
                   .map((t) => t.getBoundingClientRect().height))"""
        )
        assert smallest >= 10
        # Wide tables scroll inside their cards; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
        if phone:
            long_label = school_chart.locator("text.chal-narrow", has_text="梅湾街道")
            expect(long_label).to_be_visible()
            assert long_label.text_content().endswith("…")
        else:
            expect(school_chart.locator("text.chal-wide", has_text=LONG_NAME)).to_be_visible()
            # Printed on A4 (about 794 px wide): no filter form, charts whole.
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 794, "height": 1123})
            expect(page.locator(".chal-filter")).to_be_hidden()
            assert page.evaluate(LAYOUT_PROBLEMS) == []
            screenshot(page, "challenge-stats-charts-print")

    # On the phone still: one day (a single labelled point), then a group without results (the empty state).
    page.goto(f"{base}{stats}?date_from={timezone.localdate().isoformat()}")
    expect(page.locator("#chal-chart-daily g.chal-day")).to_have_count(1)
    expect(page.locator("#chal-chart-daily text.chal-single")).to_have_text("3人 / 4次")
    assert page.evaluate(LAYOUT_PROBLEMS) == []
    page.locator("#chal-stats-daily").scroll_into_view_if_needed()
    screenshot(page, "challenge-stats-charts-phone-one-day", full_page=False)
    social = challenge.groups.get(name="社会")
    page.goto(f"{base}{stats}?group={social.pk}")
    expect(page.locator("#chal-daily-empty")).to_be_visible()
    expect(page.locator("svg.chal-svg")).to_have_count(0)
    screenshot(page, "challenge-stats-charts-phone-empty")
