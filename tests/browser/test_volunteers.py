"""The volunteer loop in Chromium against a real Daphne.

A person applies on a phone; the team leader approves in the Wagtail admin and
passes on the one-time password shown there; the new volunteer signs in on the
phone and claims a slot for the 6·26 event; after the event the district office
records attendance in the one-screen view; the volunteer downloads the PNG
certificate and its verification page confirms it.
"""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from accounts import roles
from campaigns.schools.models import District, DistrictStaff
from campaigns.volunteers.models import EventRole, ServiceEvent, ServiceRecord, Skill, Team, Volunteer
from campaigns.volunteers.permissions import ensure_role_permissions
from tests.conftest import ARTIFACTS, screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def aware(day, hh_mm):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(hh_mm)))


@pytest.fixture
def world(daphne_server):
    ensure_role_permissions()  # the transactional flush removed the data migration's grants
    district = District.objects.create(name="冷水滩区", code="431103")
    leader = UserFactory(username="leader", display_name="陈队长", roles=[roles.TEAM_LEADER])
    office = UserFactory(username="office", display_name="赵主任", roles=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.create(user=office, district=district)
    team = Team.objects.create(name="冷水滩区禁毒妈妈队", kind=Team.Kind.MOTHERS, district=district, leader=leader)
    Team.objects.create(name="冷水滩区禁毒讲师团", kind=Team.Kind.LECTURERS, district=district)
    for i, name in enumerate(["宣讲", "文艺", "摄影", "心理咨询", "法律"]):
        Skill.objects.create(name=name, order=i)
    today = timezone.localdate()
    day = datetime.date(today.year + (today >= datetime.date(today.year, 6, 26)), 6, 26)
    event = ServiceEvent.objects.create(
        title="“6·26”国际禁毒日集中宣传",
        district=district,
        team=team,
        place="潇湘广场",
        starts_at=aware(day, "09:00"),
        ends_at=aware(day, "12:00"),
        description="禁毒知识展板讲解、互动答题、禁毒宣誓签名。",
    )
    EventRole.objects.create(event=event, name="宣讲员", slots=2, sort_order=0)
    EventRole.objects.create(event=event, name="引导", slots=4, sort_order=1)
    return {"base": daphne_server.url, "event": event, "team": team}


def site_login(page, base, username, password, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")


def admin_login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def test_apply_approve_claim_attend_certify(new_page, world):
    base, event = world["base"], world["event"]

    # 1. A person applies on a phone; the consent checkbox is required.
    phone = new_page(phone=True)
    phone.goto(f"{base}/volunteers/apply/")
    phone.fill("#id_name", "刘海燕")
    phone.fill("#id_phone", "13912345678")
    phone.check("input[name=gender][value=female]")
    phone.fill("#id_birth_year", "1982")
    phone.select_option("#id_team", label="冷水滩区禁毒妈妈队（禁毒妈妈）")
    phone.get_by_label("宣讲").check()
    phone.get_by_label("周末").check()
    phone.click("main button[type=submit]")
    assert phone.locator(".field-error .error").first.inner_text() == "请阅读并勾选同意个人信息保护说明后再提交。"
    screenshot(phone, "volunteers-01-apply-consent-missing")
    phone.check("#id_consent")
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{base}/volunteers/apply/done/")
    assert "申请已提交" in phone.inner_text("main")
    screenshot(phone, "volunteers-02-applied")
    assert Volunteer.objects.get(phone="13912345678").status == Volunteer.Status.APPLIED

    # 2. The leader approves in the admin and reads the one-time password.
    desk = new_page()
    admin_login(desk, base, "leader")
    desk.goto(f"{base}/admin/volunteers_desk/applications/")
    assert "刘海燕" in desk.inner_text("main")
    screenshot(desk, "volunteers-03-applications")
    desk.click("button[value=approve]")
    assert desk.locator(".vol-username").inner_text() == "13912345678"
    password = desk.locator(".vol-password").inner_text()
    screenshot(desk, "volunteers-04-approved")

    # 3. The volunteer signs in on the phone and claims a slot for the 6·26 event.
    site_login(phone, base, "13912345678", password, "/volunteers/events/")
    assert "6·26" in phone.inner_text("main")
    screenshot(phone, "volunteers-05-events")
    phone.click(f"a[href='/volunteers/events/{event.pk}/'] >> nth=0")
    phone.locator(".vol-role", has_text="宣讲员").get_by_role("button", name="认领此岗位").click()
    assert "认领成功" in phone.inner_text(".messages")
    screenshot(phone, "volunteers-06-claimed")

    # 4. The event takes place (moved into the past), then the office records attendance in one screen.
    day = timezone.localdate() - datetime.timedelta(days=1)
    ServiceEvent.objects.filter(pk=event.pk).update(starts_at=aware(day, "09:00"), ends_at=aware(day, "12:00"))
    office = new_page()
    admin_login(office, base, "office")
    office.goto(f"{base}/admin/volunteers_events/")
    office.get_by_role("link", name="签到与时长").first.click()
    row = office.locator("tr", has_text="刘海燕")
    assert row.locator("input[type=time]").first.input_value() == "09:00"
    row.locator("input[name^=out-]").fill("11:15")
    screenshot(office, "volunteers-07-attendance")
    office.get_by_role("button", name="保存出勤与服务时长").click()
    assert "1 条服务记录" in office.inner_text(".messages")
    assert "2.2 h" in office.locator("tr", has_text="刘海燕").inner_text()
    screenshot(office, "volunteers-08-attendance-saved")
    record = ServiceRecord.objects.get(volunteer__phone="13912345678")
    assert str(record.hours) == "2.2"

    # 5. The volunteer downloads the certificate (PNG) and checks it on the verification page.
    phone.goto(f"{base}/volunteers/me/")
    assert "2.2" in phone.inner_text(".vol-hours")
    screenshot(phone, "volunteers-09-me")
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name="下载图片").click()
    target = ARTIFACTS / "volunteers-10-certificate.png"
    download_info.value.save_as(target)
    assert Image.open(io.BytesIO(target.read_bytes())).size == (1600, 1130)
    phone.goto(f"{base}/volunteers/verify/{record.certificate_number}/")
    text = phone.inner_text("main")
    assert "真实有效" in text and "刘*燕" in text and "2.2" in text
    assert "刘海燕" not in text and "13912345678" not in text
    screenshot(phone, "volunteers-11-verified")
