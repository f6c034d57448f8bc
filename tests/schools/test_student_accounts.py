"""Student class accounts on the teacher desk: paste names, passwords shown once, reset, deactivate, scope."""

import base64
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts import roles
from accounts.models import User
from campaigns.schools import services
from campaigns.schools.models import StudentProfile
from tests.factories import PASSWORD, UserFactory

from .factories import (
    DistrictFactory,
    SchoolClassFactory,
    SchoolFactory,
    make_district_admin,
    make_school_admin,
    make_teacher,
)

pytestmark = pytest.mark.django_db
AMBIGUOUS = set("0O1lI")
# Usernames may use the digits 0 and 1: they contain no letter that could be read as one.
LETTERS_LIKE_DIGITS = set("oOlIi")


@pytest.fixture
def world():
    district = DistrictFactory(name="冷水滩区")
    school = SchoolFactory(district=district, name="梅湾小学")
    klass = SchoolClassFactory(school=school, name="五年级2班")
    colleague_class = SchoolClassFactory(school=school, name="五年级3班")
    other_school_class = SchoolClassFactory(name="六年级1班")  # another school, another district
    teacher = make_teacher(school, [klass], username="teacher")
    colleague = make_teacher(school, [colleague_class], username="colleague")
    return {
        "district": district,
        "school": school,
        "klass": klass,
        "colleague_class": colleague_class,
        "other": other_school_class,
        "teacher": teacher,
        "colleague": colleague,
    }


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def page_url(klass):
    return reverse("schools:class_students", args=[klass.pk])


def slips(html):
    """(name, username, password) of each printed slip."""
    names = re.findall(r'<h2 class="slip-name">([^<]+)</h2>', html)
    usernames = re.findall(r'<dd class="slip-code slip-username">([^<]+)</dd>', html)
    passwords = re.findall(r'<dd class="slip-code slip-password">([^<]+)</dd>', html)
    return list(zip(names, usernames, passwords, strict=True))


def test_paste_creates_accounts_shown_once_that_sign_in(world):
    client = signed_in(world["teacher"])
    response = client.post(page_url(world["klass"]), {"names": "张小明\n\n  李 华  \n欧阳娜娜\n"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.text
    created = slips(html)
    assert [name for name, _u, _p in created] == ["张小明", "李 华", "欧阳娜娜"]
    usernames = [u for _n, u, _p in created]
    assert len(set(usernames)) == 3
    prefix = services.student_username_prefix(world["klass"])
    assert usernames == [f"{prefix}-01", f"{prefix}-02", f"{prefix}-03"]
    for _name, username, password in created:
        assert not set(password) & AMBIGUOUS
        assert username.isascii() and username == username.lower() and not set(username) & LETTERS_LIKE_DIGITS
        assert len(password) == services.PASSWORD_LENGTH
        user = authenticate(username=username, password=password)
        assert user is not None and roles.has_role(user, roles.STUDENT)
        assert user.student_profile.school_class == world["klass"]
        assert user.student_profile.created_by == world["teacher"]
        assert password not in user.password  # only the hash is kept
    # The xlsx in the page carries the same rows.
    data = re.search(r'href="data:[^;]+;base64,([^"]+)"', html).group(1)
    sheet = load_workbook(io.BytesIO(base64.b64decode(data))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[3], r[4], r[5]) for r in rows] == created
    # Shown once: the class page lists the accounts, never a password.
    listing = client.get(page_url(world["klass"])).text
    assert all(u in listing for u in usernames)
    assert not any(p in listing for _n, _u, p in created)
    # More students continue the numbering, skipping nothing already used.
    more = slips(client.post(page_url(world["klass"]), {"names": "王浩然"}).text)
    assert more[0][1] == f"{prefix}-04"


def test_student_signs_in_on_the_login_page_and_lands_on_the_challenges(world):
    (account,) = services.create_student_accounts(user=world["teacher"], school_class=world["klass"], names=["张小明"])
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": account.username, "password": account.password})
    assert response.status_code == 302 and response["Location"] == reverse("quiz:challenge:index")
    # A teacher still lands on the home page.
    response = Client().post(reverse("accounts:login"), {"username": "teacher", "password": PASSWORD})
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "请至少填写一个姓名"),
        ("\n  \n", "请至少填写一个姓名"),
        ("张小明\n李华\n张小明", "第 3 行：“张小明”与第 1 行重复"),
        ("张" * 21, "超过 20 个字"),
        ("张小明2", "含有数字或符号"),
        ("\n".join(f"学生{chr(0x4E00 + n)}" for n in range(61)), "一次最多添加 60 名学生"),
    ],
)
def test_bad_paste_is_refused_with_the_text_kept(world, text, message):
    client = signed_in(world["teacher"])
    response = client.post(page_url(world["klass"]), {"names": text})
    assert response.status_code == 200
    html = response.text
    assert message in html
    assert not StudentProfile.objects.exists()
    if text.strip():
        first_line = text.splitlines()[0]
        assert first_line in html  # nothing lost: the textarea keeps what was pasted


def test_duplicates_of_existing_accounts_are_refused_and_a_reload_does_not_double(world):
    client = signed_in(world["teacher"])
    client.post(page_url(world["klass"]), {"names": "张小明\n李华"})
    again = client.post(page_url(world["klass"]), {"names": "张小明\n李华"})
    assert "本班已有学生账号“张小明”" in again.text and "如 张伟（大）" in again.text
    assert StudentProfile.objects.count() == 2


def test_reset_password_shows_a_new_one_once_and_the_old_one_stops_working(world):
    (account,) = services.create_student_accounts(user=world["teacher"], school_class=world["klass"], names=["张小明"])
    student = User.objects.get(username=account.username)
    client = signed_in(world["teacher"])
    response = client.post(reverse("schools:student_reset", args=[world["klass"].pk, student.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    ((_name, username, new_password),) = slips(response.text)
    assert username == account.username and new_password != account.password
    assert authenticate(username=username, password=account.password) is None
    assert authenticate(username=username, password=new_password) is not None
    assert client.get(reverse("schools:student_reset", args=[world["klass"].pk, student.pk])).status_code == 405


def test_deactivate_blocks_sign_in_and_reactivate_restores_it(world):
    (account,) = services.create_student_accounts(user=world["teacher"], school_class=world["klass"], names=["张小明"])
    student = User.objects.get(username=account.username)
    client = signed_in(world["teacher"])
    url = reverse("schools:student_active", args=[world["klass"].pk, student.pk])
    response = client.post(url, {"active": "0"}, follow=True)
    assert "已停用" in response.text
    assert authenticate(username=account.username, password=account.password) is None
    # A new account of the same name is allowed once the old one is off, and then the old one stays off.
    services.create_student_accounts(user=world["teacher"], school_class=world["klass"], names=["张小明"])
    response = client.post(url, {"active": "1"}, follow=True)
    assert "本班已有同名的在用账号" in response.text
    student.refresh_from_db()
    assert not student.is_active


def test_teacher_cannot_manage_another_teachers_class(world):
    services.create_student_accounts(user=world["colleague"], school_class=world["colleague_class"], names=["赵六"])
    student = User.objects.get(display_name="赵六")
    client = signed_in(world["teacher"])
    target = world["colleague_class"]
    assert client.get(page_url(target)).status_code == 404
    assert client.post(page_url(target), {"names": "混进来"}).status_code == 404
    assert client.post(reverse("schools:student_reset", args=[target.pk, student.pk])).status_code == 404
    assert (
        client.post(reverse("schools:student_active", args=[target.pk, student.pk]), {"active": "0"}).status_code == 404
    )
    # Nor reach that student through their own class's URL.
    assert client.post(reverse("schools:student_reset", args=[world["klass"].pk, student.pk])).status_code == 404
    student.refresh_from_db()
    assert student.is_active and not User.objects.filter(display_name="混进来").exists()
    with pytest.raises(services.PermissionDenied):
        services.create_student_accounts(user=world["teacher"], school_class=target, names=["混进来"])


def test_school_admin_manages_their_school_only_and_district_staff_their_district(world):
    admin = make_school_admin(world["school"], "schooladmin")
    client = signed_in(admin)
    assert client.get(page_url(world["klass"])).status_code == 200
    assert client.get(page_url(world["colleague_class"])).status_code == 200
    assert client.get(page_url(world["other"])).status_code == 404
    office = make_district_admin(world["district"], "office")
    client = signed_in(office)
    assert client.get(page_url(world["klass"])).status_code == 200
    assert client.get(page_url(world["other"])).status_code == 404


@pytest.mark.parametrize("role", [None, roles.STUDENT])
def test_students_and_strangers_get_404(world, role):
    user = UserFactory(username=f"u-{role}", roles=[role] if role else [])
    assert signed_in(user).get(page_url(world["klass"])).status_code == 404


def test_anonymous_is_sent_to_login(world):
    for url in [
        page_url(world["klass"]),
        reverse("schools:import_students"),
        reverse("schools:import_students_template"),
    ]:
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_desk_links_each_class_to_its_accounts(world):
    services.create_student_accounts(user=world["teacher"], school_class=world["klass"], names=["张小明", "李华"])
    html = signed_in(world["teacher"]).get(reverse("schools:desk")).text
    assert page_url(world["klass"]) in html and "学生账号（2）" in html
