"""xlsx import of schools, classes and head teachers: per-row report, dry run, scope."""

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from accounts.models import User
from campaigns.schools.imports import COLUMNS, EXAMPLE, import_workbook, template_workbook
from campaigns.schools.models import District, School, SchoolClass, TeacherProfile

from .factories import DistrictFactory, make_district_admin

pytestmark = pytest.mark.django_db
HEADER = [label for label, _key, _required in COLUMNS]


def sheet(*rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


GOOD = EXAMPLE
SECOND = [
    "冷水滩区",
    "",
    "冷水滩区梅湾小学",
    "小学",
    "市级",
    "2026-2027",
    6,
    "六年级1班",
    44,
    "李明",
    "liming",
    "",
    "pw-123456",
]
BAD_LEVEL = ["冷水滩区", "", "某学校", "幼儿园", "", "2026-2027", 1, "一班", 30, "", "", "", ""]
BAD_DISTRICT = ["不存在区", "", "某学校", "小学", "", "2026-2027", 1, "一班", 30, "", "", "", ""]


def test_template_has_every_column_and_the_example():
    ws = load_workbook(io.BytesIO(template_workbook())).active
    header = [c.value.replace("*", "") for c in ws[1]]
    assert header == HEADER
    assert [c.value for c in ws[2]][:3] == EXAMPLE[:3]


def test_import_creates_rows_and_reports_each_line():
    report = import_workbook(sheet(GOOD, SECOND, BAD_LEVEL, BAD_DISTRICT))
    assert [r.ok for r in report.rows] == [True, True, False, False]
    assert [r.row for r in report.rows] == [2, 3, 4, 5]
    assert "学段" in report.rows[2].message and "区县代码" in report.rows[3].message
    school = School.objects.get(name="冷水滩区梅湾小学")
    assert school.get_demonstration_display() == "市级" and school.district.code == "431103"
    assert set(school.classes.values_list("name", flat=True)) == {"五年级2班", "六年级1班"}
    liming = User.objects.get(username="liming")
    assert liming.check_password("pw-123456") and liming.teacher_profile.school == school
    assert SchoolClass.objects.get(name="六年级1班").head_teacher == liming
    assert not User.objects.get(username="wanglihua").has_usable_password()
    # Importing again updates instead of duplicating.
    import_workbook(sheet(GOOD, SECOND))
    assert SchoolClass.objects.count() == 2 and TeacherProfile.objects.count() == 2


def test_dry_run_writes_nothing():
    report = import_workbook(sheet(GOOD, SECOND), dry_run=True)
    assert report.ok_count == 2
    assert not School.objects.exists() and not District.objects.exists() and not User.objects.exists()


def test_district_office_imports_only_into_its_district():
    other = DistrictFactory(name="零陵区", code="431102")
    office = make_district_admin(DistrictFactory(name="冷水滩区", code="431103"), "office")
    row_other = ["零陵区", "", "零陵区柳子小学", "小学", "", "2026-2027", 4, "四年级2班", 38, "", "", "", ""]
    report = import_workbook(sheet(GOOD, row_other), user=office)
    assert [r.ok for r in report.rows] == [True, False]
    assert "不在您的管理范围内" in report.rows[1].message
    assert not other.schools.exists()


def test_command_with_dry_run_and_template(tmp_path, capsys):
    path = tmp_path / "schools.xlsx"
    path.write_bytes(sheet(GOOD, BAD_LEVEL).getvalue())
    call_command("import_schools", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "第 2 行 ✓" in out and "第 3 行 ✗" in out and "试运行" in out
    assert not School.objects.exists()
    call_command("import_schools", "--template", str(tmp_path / "t.xlsx"))
    assert (tmp_path / "t.xlsx").stat().st_size > 0


def test_admin_upload_view_scoped_and_reports(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import PASSWORD

    from .factories import SchoolFactory, make_school_admin, make_teacher

    office = make_district_admin(DistrictFactory(name="冷水滩区", code="431103"), "office")
    school = SchoolFactory()
    for user in (make_teacher(school, username="t"), make_school_admin(school, "sa")):
        client.login(username=user.username, password=PASSWORD)
        assert client.get("/admin/fiveones_import/").status_code in (302, 403)
        assert client.get("/admin/fiveones_import/template.xlsx").status_code in (302, 403)
    client.login(username=office.username, password=PASSWORD)
    assert client.get("/admin/fiveones_import/template.xlsx").status_code == 200
    upload = SimpleUploadedFile("s.xlsx", sheet(GOOD, BAD_LEVEL).getvalue())
    response = client.post("/admin/fiveones_import/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert "1 行成功，1 行有错误" in response.text and "学段" in response.text
    assert not School.objects.filter(name="冷水滩区梅湾小学").exists()
    upload = SimpleUploadedFile("s.xlsx", sheet(GOOD).getvalue())
    client.post("/admin/fiveones_import/", {"file": upload})
    assert School.objects.filter(name="冷水滩区梅湾小学").exists()
    bad = client.post("/admin/fiveones_import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")})
    assert "无法读取文件" in bad.text
