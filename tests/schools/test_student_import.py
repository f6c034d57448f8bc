"""xlsx import of student class accounts: template, dry run with per-row errors, confirm, scope."""

import base64
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.models import User
from campaigns.schools.imports import STUDENT_COLUMNS, import_students, student_template_workbook
from campaigns.schools.models import StudentProfile, current_school_year
from tests.factories import PASSWORD

from .factories import (
    DistrictFactory,
    SchoolClassFactory,
    SchoolFactory,
    make_district_admin,
    make_school_admin,
    make_teacher,
)

pytestmark = pytest.mark.django_db
HEADER = ["学校", "班级", "姓名"]


@pytest.fixture
def world():
    year = current_school_year()
    district = DistrictFactory(name="冷水滩区")
    school = SchoolFactory(district=district, name="梅湾小学")
    klass = SchoolClassFactory(school=school, school_year=year, name="五年级2班")
    sister = SchoolFactory(district=district, name="京华中学")
    sister_class = SchoolClassFactory(school=sister, school_year=year, name="七年级3班")
    far = SchoolFactory(name="柳子小学")  # another district
    SchoolClassFactory(school=far, school_year=year, name="四年级2班")
    return {"district": district, "school": school, "klass": klass, "sister_class": sister_class}


def sheet(*rows, header=HEADER) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "students.xlsx"
    return buffer


ROWS = [
    ["梅湾小学", "五年级2班", "张小明"],
    ["梅湾小学", "五年级2班", "李华"],
    ["梅湾小学", "九年级9班", "王五"],  # no such class
    ["柳子小学", "四年级2班", "赵六"],  # outside a school admin's scope
    ["梅湾小学", "五年级2班", "张小明"],  # the same name twice in the file
    ["梅湾小学", "五年级2班", ""],  # no name
]


def test_template_has_the_columns_and_an_example():
    ws = load_workbook(io.BytesIO(student_template_workbook())).active
    assert [c.value.replace("*", "") for c in ws[1]] == [label for label, _k, _r in STUDENT_COLUMNS]
    assert [c.value for c in ws[2]][1:] == ["冷水滩区梅湾小学", "五年级2班", "张小明"]


def test_dry_run_reports_every_row_and_writes_nothing(world):
    admin = make_school_admin(world["school"], "schooladmin")
    report = import_students(sheet(*ROWS), user=admin, dry_run=True)
    assert [(r.row, r.ok) for r in report.rows] == [
        (2, True),
        (3, True),
        (4, False),
        (5, False),
        (6, False),
        (7, False),
    ]
    messages = {r.row: r.message for r in report.rows}
    assert "没有班级“九年级9班”" in messages[4]
    assert "不存在或不在您的管理范围内" in messages[5]
    assert "已有学生账号“张小明”" in messages[6]
    assert "缺少：姓名" in messages[7]
    assert report.accounts == []
    assert not StudentProfile.objects.exists() and not User.objects.filter(display_name="张小明").exists()


def test_commit_creates_accounts_whose_passwords_work(world):
    admin = make_school_admin(world["school"], "schooladmin")
    report = import_students(sheet(*ROWS), user=admin)
    assert report.ok_count == 2 and report.error_count == 4
    assert [a.name for a in report.accounts] == ["张小明", "李华"]
    for account in report.accounts:
        user = authenticate(username=account.username, password=account.password)
        assert user.student_profile.school_class == world["klass"]
        assert user.student_profile.created_by == admin


def test_header_errors_and_size_limits():
    admin_school = SchoolFactory()
    admin = make_school_admin(admin_school, "schooladmin")
    with pytest.raises(Exception, match="表头缺少必填列：姓名"):
        import_students(sheet(["梅湾小学", "五年级2班"], header=["学校", "班级"]), user=admin)
    with pytest.raises(Exception, match="无法读取文件"):
        import_students(io.BytesIO(b"not a spreadsheet"), user=admin)
    with pytest.raises(Exception, match="最多 500 名学生"):
        import_students(sheet(*[["梅湾小学", "五年级2班", "张三"]] * 501), user=admin)


def test_district_column_tells_apart_schools_of_the_same_name(world):
    other_district = DistrictFactory(name="零陵区")
    twin = SchoolFactory(district=other_district, name="梅湾小学")
    SchoolClassFactory(school=twin, school_year=current_school_year(), name="五年级2班")
    city = make_district_admin(None, "city")
    report = import_students(sheet(["梅湾小学", "五年级2班", "张小明"]), user=city, dry_run=True)
    assert "请填写区县列" in report.rows[0].message
    header = ["区县", "学校", "班级", "姓名"]
    report = import_students(sheet(["零陵区", "梅湾小学", "五年级2班", "张小明"], header=header), user=city)
    assert report.ok_count == 1 and report.accounts[0].school_class.school == twin


def test_upload_preview_confirm_over_http(world):
    make_district_admin(world["district"], "office")
    client = Client()
    assert client.login(username="office", password=PASSWORD)
    url = reverse("schools:import_students")
    assert client.get(url).status_code == 200
    template = client.get(reverse("schools:import_students_template"))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")

    rows = [
        ["梅湾小学", "五年级2班", "张小明"],
        ["京华中学", "七年级3班", "李华"],
        ["梅湾小学", "五年级2班", "张小明2"],
    ]
    preview = client.post(url, {"file": sheet(*rows)})
    assert preview.status_code == 200
    html = preview.text
    assert "检查结果（尚未导入）" in html and "2 行可以导入，1 行有错误" in html and "含有数字或符号" in html
    assert not StudentProfile.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)

    done = client.post(url, {"token": token})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    assert "2 行成功，1 行有错误" in done.text
    assert StudentProfile.objects.count() == 2
    data = re.search(r'href="data:[^;]+;base64,([^"]+)"', done.text).group(1)
    rows_out = list(load_workbook(io.BytesIO(base64.b64decode(data))).active.iter_rows(min_row=2, values_only=True))
    assert {(r[1], r[2], r[3]) for r in rows_out} == {
        ("梅湾小学", "五年级2班", "张小明"),
        ("京华中学", "七年级3班", "李华"),
    }
    for row in rows_out:
        assert authenticate(username=row[4], password=row[5]) is not None
    # The token is spent: posting it again imports nothing twice.
    again = client.post(url, {"token": token}, follow=True)
    assert "预览已过期或已导入" in again.text
    assert StudentProfile.objects.count() == 2


def test_teachers_and_students_cannot_import(world):
    teacher = make_teacher(world["school"], [world["klass"]], username="teacher")
    client = Client()
    assert client.login(username=teacher.username, password=PASSWORD)
    assert client.get(reverse("schools:import_students")).status_code == 403
    assert client.get(reverse("schools:import_students_template")).status_code == 403
    assert client.post(reverse("schools:import_students"), {"file": sheet(*ROWS[:1])}).status_code == 403
    assert not StudentProfile.objects.exists()
