"""Import districts, schools, classes and head teachers from the office's xlsx (one row per class).

Reading and checking cells lives here; the writes go through
``services.import_class_row``. Every row gets a line in the report, and a
bad row never stops the good ones.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill

from . import services

# Header text -> key. Headers are matched after stripping spaces and "*".
COLUMNS = [
    ("区县", "district", True),
    ("区县代码", "district_code", False),
    ("学校", "school", True),
    ("学段", "level", True),
    ("示范学校", "demonstration", False),
    ("学年", "school_year", True),
    ("年级", "grade", True),
    ("班级", "class_name", True),
    ("学生人数", "student_count", True),
    ("班主任姓名", "teacher_name", False),
    ("班主任账号", "teacher_username", False),
    ("班主任手机", "teacher_phone", False),
    ("初始密码", "teacher_password", False),
]
EXAMPLE = [
    "冷水滩区",
    "431103",
    "冷水滩区梅湾小学",
    "小学",
    "市级",
    "2026-2027",
    5,
    "五年级2班",
    40,
    "王丽华",
    "wanglihua",
    "13800001111",
    "",
]


@dataclass
class RowResult:
    row: int
    ok: bool
    message: str


@dataclass
class ImportReport:
    rows: list
    dry_run: bool

    @property
    def ok_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


def template_workbook() -> bytes:
    """The xlsx staff fill in: headers (required ones starred) and one example row."""
    import io

    wb = Workbook()
    ws = wb.active
    ws.title = _("班级")
    ws.append([f"{label}*" if required else label for label, _key, required in COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F1FB")
    ws.append(EXAMPLE)
    for column, width in zip("ABCDEFGHIJKLM", [10, 10, 22, 8, 10, 11, 6, 12, 9, 11, 14, 14, 12], strict=True):
        ws.column_dimensions[column].width = width
    notes = wb.create_sheet(_("说明"))
    for line in [
        _("每行一个班级；同一学校的多个班级重复填写学校信息。"),
        _("学段：小学、初中、高中、中职、大学。示范学校：市级、省级、国家级或留空。"),
        _("学年格式 2026-2027；年级为数字 1-12。"),
        _("新区县需填写区县代码；班主任账号不存在时会新建教师账号（填写初始密码后即可登录）。"),
    ]:
        notes.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header_map(header_row) -> dict:
    labels = {label: key for label, key, _required in COLUMNS}
    found = {}
    for index, cell in enumerate(header_row):
        text = str(cell or "").replace("*", "").strip()
        if text in labels:
            found[labels[text]] = index
    missing = [label for label, key, required in COLUMNS if required and key not in found]
    if missing:
        raise ValidationError(_("表头缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
    return found


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def import_workbook(file, *, user=None, dry_run=False) -> ImportReport:
    """Read the first sheet and import row by row; with ``dry_run`` everything is rolled back."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many exception types for non-xlsx input
        raise ValidationError(_("无法读取文件，请上传 .xlsx 格式的表格。")) from exc
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("表格是空的。"))
    columns = _header_map(header)
    results = []
    with transaction.atomic():
        for number, values in enumerate(rows, start=2):
            if not any(_cell(v) for v in values):
                continue
            data = {key: _cell(values[index]) if index < len(values) else "" for key, index in columns.items()}
            try:
                with transaction.atomic():
                    message = services.import_class_row(data, user=user)
                results.append(RowResult(number, True, message))
            except ValidationError as exc:
                results.append(RowResult(number, False, "；".join(exc.messages)))
        if dry_run:
            transaction.set_rollback(True)
    return ImportReport(rows=results, dry_run=dry_run)
