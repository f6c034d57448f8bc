"""Class accounts in Chromium against a real Daphne.

A teacher creates two student accounts from the desk by pasting names and
reads the printed slips; one student signs in on a phone with the slip's
username and password, lands on the challenges and registers without picking
a district, school or class.
"""

import pytest

from accounts import roles
from campaigns.schools.models import SchoolClass, TeacherProfile, current_school_year
from quiz.challenge_views import curl
from quiz.models import Participant
from tests.challenge.factories import make_bank, make_challenge, make_org
from tests.conftest import screenshot
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]

BASE_PATH = curl("index").rstrip("/")


def test_teacher_creates_accounts_and_a_student_registers_without_picking(daphne_server, new_page):
    from playwright.sync_api import expect

    base = daphne_server.url
    make_bank("小学", 6)
    challenge = make_challenge(question_count=4, seconds=600)
    _district, school, klass = make_org("冷水滩区", "梅湾小学", "五年级2班")
    SchoolClass.objects.filter(pk=klass.pk).update(school_year=current_school_year())
    make_org("零陵区", "柳子小学", "四年级2班")
    teacher = UserFactory(username="teacher", display_name="王丽华", roles=[roles.TEACHER])
    TeacherProfile.objects.create(user=teacher, school=school).classes.add(klass)

    # The teacher, on a desktop: desk -> the class's accounts -> paste two names (with a blank line).
    desk = new_page()
    desk.goto(f"{base}/accounts/login/?next=/schools/desk/")
    desk.fill("#id_username", "teacher")
    desk.fill("#id_password", PASSWORD)
    desk.click("main button[type=submit]")
    desk.wait_for_url(f"{base}/schools/desk/")
    desk.get_by_role("link", name="学生账号（0）").click()
    desk.wait_for_url(f"{base}/schools/desk/{klass.pk}/students/")
    desk.fill("#id_names", "张小明\n\n李思琪")
    screenshot(desk, "class-accounts-paste")
    desk.get_by_role("button", name="创建账号").click()
    expect(desk.locator(".slip")).to_have_count(2)
    expect(desk.locator(".once-warning")).to_contain_text("只显示这一次")
    expect(desk.locator("#accounts-xlsx")).to_have_attribute("download", "student-accounts.xlsx")
    screenshot(desk, "class-accounts-slips")
    desk.emulate_media(media="print")
    expect(desk.locator(".site-header")).to_be_hidden()
    screenshot(desk, "class-accounts-slips-print")
    desk.emulate_media(media="screen")
    slip = desk.locator(".slip", has_text="张小明")
    username = slip.locator(".slip-username").inner_text()
    password = slip.locator(".slip-password").inner_text()
    # Back on the class page: both accounts listed, no password anywhere.
    desk.goto(f"{base}/schools/desk/{klass.pk}/students/")
    expect(desk.locator(".students-table tbody tr")).to_have_count(2)
    assert password not in desk.content()
    screenshot(desk, "class-accounts-list")
    teacher_phone = new_page(phone=True)
    teacher_phone.context.add_cookies(desk.context.cookies())
    teacher_phone.goto(f"{base}/schools/desk/{klass.pk}/students/")
    expect(teacher_phone.locator(".students-table tbody tr")).to_have_count(2)
    screenshot(teacher_phone, "class-accounts-list-phone")

    # The student, on a phone: the normal sign-in page, then the challenges.
    phone = new_page(phone=True)
    phone.goto(f"{base}/accounts/login/")
    phone.fill("#id_username", username)
    phone.fill("#id_password", password)
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{base}{BASE_PATH}/")
    phone.goto(f"{base}{BASE_PATH}/{challenge.slug}/")
    phone.click("#chal-register")
    expect(phone.locator("#id_name")).to_have_value("张小明")
    expect(phone.locator("#chal-own-class")).to_have_text("冷水滩区 · 梅湾小学 · 五年级2班")
    expect(phone.locator("#id_school_class")).to_be_hidden()
    phone.select_option("#id_group", label="小学")
    expect(phone.locator(".chal-guardian")).to_be_hidden()
    phone.check("#id_is_under_14")
    expect(phone.locator(".chal-guardian")).to_be_visible()
    phone.fill("#id_guardian_name", "张大山")
    phone.check("#id_guardian_consent")
    screenshot(phone, "class-accounts-register-phone")
    phone.get_by_role("button", name="提交报名").click()
    phone.wait_for_url(f"{base}{BASE_PATH}/{challenge.slug}/")
    expect(phone.locator("#chal-start")).to_be_visible()
    screenshot(phone, "class-accounts-registered-phone")

    participant = Participant.objects.get()
    assert participant.user.username == username
    assert participant.school_class_id == klass.pk and participant.name == "张小明"
