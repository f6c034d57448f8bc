"""Import from the office's xlsx: classes (one row per class) and student class accounts (one row per student).

Reading and checking cells lives here; the writes go through
``services.import_class_row`` and ``services.import_student_row``. Every row
gets a line in the report, and a bad row never stops the good ones.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

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


# Student class accounts: one row per student; 区县 only tells apart schools of the same name.
STUDENT_COLUMNS = [
    ("区县", "district", False),
    ("学校", "school", True),
    ("班级", "class_name", True),
    ("姓名", "name", True),
]
STUDENT_EXAMPLE = ["冷水滩区", "冷水滩区梅湾小学", "五年级2班", "张小明"]
MAX_STUDENT_ROWS = 500


@dataclass
class RowResult:
    row: int
    ok: bool
    message: str


@dataclass
class ImportReport:
    rows: list
    dry_run: bool
    accounts: list = field(default_factory=list)

    @property
    def ok_count(self) -> int:
        return sum(1 for r in self.rows if r.ok)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if not r.ok)


def _workbook(title, columns, example, widths, notes) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append([f"{label}*" if required else label for label, _key, required in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F1FB")
    ws.append(example)
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    sheet = wb.create_sheet(_("说明"))
    for line in notes:
        sheet.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The xlsx staff fill in: headers (required ones starred) and one example row."""
    return _workbook(
        _("班级"),
        COLUMNS,
        EXAMPLE,
        [10, 10, 22, 8, 10, 11, 6, 12, 9, 11, 14, 14, 12],
        [
            _("每行一个班级；同一学校的多个班级重复填写学校信息。"),
            _("学段：小学、初中、高中、中职、大学。示范学校：市级、省级、国家级或留空。"),
            _("学年格式 2026-2027；年级为数字 1-12。"),
            _("新区县需填写区县代码；班主任账号不存在时会新建教师账号（填写初始密码后即可登录）。"),
        ],
    )


def student_template_workbook() -> bytes:
    """The students' xlsx: 区县 (optional), 学校, 班级, 姓名, with one example row."""
    return _workbook(
        _("学生"),
        STUDENT_COLUMNS,
        STUDENT_EXAMPLE,
        [12, 24, 14, 12],
        [
            _("每行一名学生；学校和班级须已在平台登记（本学年的班级）。"),
            _("区县可以留空，只有两所学校同名时才需要填写。"),
            _("账号和初始密码由平台生成，导入完成后只显示一次，请当场下载或打印。"),
            _("每个文件最多 %(n)s 行。") % {"n": MAX_STUDENT_ROWS},
        ],
    )


def _header_map(header_row, columns=COLUMNS) -> dict:
    labels = {label: key for label, key, _required in columns}
    found = {}
    for index, cell in enumerate(header_row):
        text = str(cell or "").replace("*", "").strip()
        if text in labels:
            found[labels[text]] = index
    missing = [label for label, key, required in columns if required and key not in found]
    if missing:
        raise ValidationError(_("表头缺少必填列：%(cols)s") % {"cols": "、".join(missing)})
    return found


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(file, columns):
    """(row number, {key: text}) for each non-empty row of the first sheet, headers mapped through ``columns``."""
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many exception types for non-xlsx input
        raise ValidationError(_("无法读取文件，请上传 .xlsx 格式的表格。")) from exc
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationError(_("表格是空的。"))
    mapped = _header_map(header, columns)
    for number, values in enumerate(rows, start=2):
        if not any(_cell(v) for v in values):
            continue
        yield number, {key: _cell(values[index]) if index < len(values) else "" for key, index in mapped.items()}


def import_workbook(file, *, user=None, dry_run=False) -> ImportReport:
    """Read the first sheet and import row by row; with ``dry_run`` everything is rolled back."""
    rows = _rows(file, COLUMNS)
    results = []
    with transaction.atomic():
        for number, data in rows:
            try:
                with transaction.atomic():
                    message = services.import_class_row(data, user=user)
                results.append(RowResult(number, True, message))
            except ValidationError as exc:
                results.append(RowResult(number, False, "；".join(exc.messages)))
        if dry_run:
            transaction.set_rollback(True)
    return ImportReport(rows=results, dry_run=dry_run)


def import_students(file, *, user, dry_run=False) -> ImportReport:
    """Create student class accounts row by row in ``user``'s scope; a dry run checks every row and writes nothing.

    The report's ``accounts`` carry the initial passwords (real run only): show them once, never store them.
    """
    rows = list(_rows(file, STUDENT_COLUMNS))
    if len(rows) > MAX_STUDENT_ROWS:
        raise ValidationError(
            _("一个文件最多 %(max)s 名学生，本文件有 %(n)s 行，请拆分后分批导入。")
            % {"max": MAX_STUDENT_ROWS, "n": len(rows)}
        )
    if not rows:
        raise ValidationError(_("表格中没有学生。"))
    results, accounts = [], []
    with transaction.atomic():
        for number, data in rows:
            try:
                with transaction.atomic():
                    message, account = services.import_student_row(data, user=user, dry_run=dry_run)
                results.append(RowResult(number, True, message))
                if account is not None:
                    accounts.append(account)
            except ValidationError as exc:
                results.append(RowResult(number, False, "；".join(exc.messages)))
        if dry_run:
            transaction.set_rollback(True)
    return ImportReport(rows=results, dry_run=dry_run, accounts=accounts)
