"""The five-ones loop in Chromium against a real Daphne.

A teacher on a phone logs an activity with two photos (the draft survives a
reload); the school admin returns it with a reason in the Wagtail admin; the
teacher sees the reason, fixes and resubmits; once approved, the district
office's dashboard shows the completion rate go up.
"""

import datetime
import io

import pytest
from PIL import Image

from accounts import roles
from campaigns.schools import services
from campaigns.schools.models import (
    ActivityRecord,
    District,
    DistrictStaff,
    School,
    SchoolClass,
    TeacherProfile,
    current_school_year,
    school_year_bounds,
)
from campaigns.schools.permissions import ensure_role_permissions
from tests.conftest import screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def world(daphne_server):
    ensure_role_permissions()  # the transactional flush removed the data migration's grants
    year = current_school_year()
    services.load_activity_set(year, "2021")
    district = District.objects.create(name="冷水滩区", code="431103")
    school = School.objects.create(district=district, name="梅湾小学", level=School.Level.PRIMARY)
    klass = SchoolClass.objects.create(school=school, school_year=year, grade=5, name="五年级2班", student_count=40)
    teacher = UserFactory(username="teacher", display_name="王丽华", roles=[roles.TEACHER])
    TeacherProfile.objects.create(user=teacher, school=school).classes.add(klass)
    admin = UserFactory(username="schooladmin", display_name="李校长", roles=[roles.TEACHER, roles.SCHOOL_ADMIN])
    TeacherProfile.objects.create(user=admin, school=school)
    office = UserFactory(username="office", display_name="赵主任", roles=[roles.DISTRICT_ADMIN])
    DistrictStaff.objects.create(user=office, district=district)
    start, _end = school_year_bounds(year)
    day = max(start, datetime.date.today() - datetime.timedelta(days=3))
    return {"server": daphne_server, "class": klass, "day": day}


def make_photo(path, colour, size=(1600, 1200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def site_login(page, base, username, next_url):
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}{next_url}")


def admin_login(page, base, username):
    page.goto(f"{base}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/admin/")


def overall_rate(page, base):
    page.goto(f"{base}/schools/dashboard/")
    return page.locator(".overall-rate").get_attribute("data-rate")


def test_log_return_resubmit_approve(world, new_page, tmp_path):
    base = world["server"].url
    photos = [make_photo(tmp_path / "a.jpg", (11, 79, 138)), make_photo(tmp_path / "b.jpg", (31, 138, 91))]

    office = new_page()
    admin_login(office, base, "office")
    assert overall_rate(office, base) == "0"

    # Teacher on a phone: the desk, then the one-form log.
    phone = new_page(phone=True)
    site_login(phone, base, "teacher", "/schools/desk/")
    assert phone.locator(".class-card h2").inner_text() == "五年级2班"
    assert phone.locator(".activity-item").count() == 5
    screenshot(phone, "fiveones-desk-phone")
    phone.locator(".activity-item", has_text="参观一次禁毒展览").get_by_role("link", name="登记").click()
    phone.wait_for_url("**/log/?activity=*")
    assert phone.locator("#id_activity option:checked").inner_text() == "参观一次禁毒展览"
    phone.fill("#id_date", world["day"].isoformat())
    phone.fill("#id_participants", "52")
    phone.fill("#id_description", "组织全班参观市禁毒教育基地")
    # The connection drops and the page reloads: the typed text comes back from the phone's storage.
    phone.reload()
    assert phone.locator("#id_description").input_value() == "组织全班参观市禁毒教育基地"
    assert phone.locator(".draft-note").is_visible()
    phone.set_input_files("#id_photos", photos)
    assert phone.locator(".photo-previews img").count() == 2
    screenshot(phone, "fiveones-log-phone")
    phone.click("#log-form button[type=submit]")
    # 52 > 40 students: the server refuses and keeps the form.
    assert "不能超过班级人数" in phone.locator(".field-participants").inner_text()
    phone.fill("#id_participants", "38")
    phone.set_input_files("#id_photos", photos)
    phone.click("#log-form button[type=submit]")
    phone.wait_for_url(f"{base}/schools/desk/?saved={world['class'].pk}")
    item = phone.locator(".activity-item", has_text="参观一次禁毒展览")
    assert "待审核" in item.inner_text()
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('fiveones-draft')).length") == 0
    record = ActivityRecord.objects.get()
    assert record.photos.count() == 2 and record.participants == 38

    # School admin reviews in the Wagtail admin and returns it with a reason.
    admin = new_page()
    admin_login(admin, base, "schooladmin")
    admin.goto(f"{base}/admin/fiveones_review/")
    admin.get_by_role("link", name="审核", exact=True).first.click()
    admin.wait_for_selector(".fiveones-review")
    assert admin.locator(".admin-photos img").count() == 2
    assert admin.locator(".admin-photos img").first.evaluate("img => img.naturalWidth") > 0
    admin.fill("textarea[name=reason]", "请补充一张学生在展板前的合影。")
    screenshot(admin, "fiveones-admin-review")
    admin.get_by_role("button", name="退回").click()
    admin.wait_for_url(f"{base}/admin/fiveones_review/")
    assert overall_rate(office, base) == "0"

    # The teacher sees the reason, fixes and resubmits on the same record.
    phone.goto(f"{base}/schools/desk/")
    item = phone.locator(".activity-item", has_text="参观一次禁毒展览")
    assert "请补充一张学生在展板前的合影。" in item.inner_text() and "已退回" in item.inner_text()
    screenshot(phone, "fiveones-returned-phone")
    item.get_by_role("link", name="修改后重新提交").click()
    phone.wait_for_selector(".existing-photos")
    assert "请补充一张学生在展板前的合影。" in phone.locator(".return-reason").inner_text()
    assert phone.locator(".existing-photos img").count() == 2
    phone.set_input_files("#id_photos", [make_photo(tmp_path / "c.jpg", (217, 142, 4))])
    phone.fill("#id_description", "组织全班参观市禁毒教育基地，补充展板前合影")
    phone.click("#log-form button[type=submit]")
    phone.wait_for_url(f"{base}/schools/desk/?saved={world['class'].pk}")
    assert "待审核" in phone.locator(".activity-item", has_text="参观一次禁毒展览").inner_text()
    record.refresh_from_db()
    assert record.status == ActivityRecord.Status.SUBMITTED and record.photos.count() == 3

    # Approved: the district dashboard's rate moves from 0% to 1 of 5 activities = 20%.
    admin.goto(f"{base}/admin/fiveones_review/")
    admin.get_by_role("link", name="审核", exact=True).first.click()
    admin.wait_for_selector(".fiveones-review")
    admin.get_by_role("button", name="通过").click()
    admin.wait_for_url(f"{base}/admin/fiveones_review/")
    assert overall_rate(office, base) == "20"
    screenshot(office, "fiveones-dashboard")
    admin.goto(f"{base}/admin/fiveones_records/?status=approved")
    thumbs = admin.locator("img[src*='/schools/photo/']")
    assert thumbs.count() == 3 and thumbs.first.evaluate("img => img.naturalWidth") > 0
    screenshot(admin, "fiveones-admin-listing")
    phone.goto(f"{base}/schools/desk/")
    assert "已通过" in phone.locator(".activity-item", has_text="参观一次禁毒展览").inner_text()
