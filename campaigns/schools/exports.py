"""Spreadsheets (openpyxl): the office layout district offices submit upward, and new student accounts."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import rates


def office_workbook(schools, school_year: str, term: int | None = None) -> bytes:
    """One row per school, one column per activity type with "completed classes / classes", plus totals."""
    activities = list(rates.required_activities(school_year))
    school_rows = list(rates.schools_with_rates(schools, school_year, term).order_by("district__order", "name"))
    table = rates.completed_classes_by_school_and_type(schools, school_year, term)
    wb = Workbook()
    ws = wb.active
    ws.title = _("五个一完成情况")
    term_label = {1: _("第一学期"), 2: _("第二学期")}.get(term, _("全学年"))
    ws.append([_("%(year)s 学年 %(term)s 五个一活动完成情况") % {"year": school_year, "term": term_label}])
    ws["A1"].font = Font(bold=True, size=14)
    header = [_("序号"), _("区县"), _("学校"), _("学段"), _("班级数")]
    header += [a.name for a in activities]
    header += [_("全部完成班级"), _("完成率")]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F1FB")
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    totals_by_type = dict.fromkeys((a.pk for a in activities), 0)
    total_classes = total_full = total_done = 0
    for number, school in enumerate(school_rows, 1):
        row = [number, school.district.name, school.name, school.get_level_display(), school.class_count]
        for activity in activities:
            n = table.get((school.pk, activity.pk), 0)
            totals_by_type[activity.pk] += n
            row.append(f"{n}/{school.class_count}")
        required_pairs = school.class_count * school.required
        row += [f"{school.full_classes}/{school.class_count}", f"{rates.rate(school.done_pairs, required_pairs):.0%}"]
        ws.append(row)
        total_classes += school.class_count
        total_full += school.full_classes
        total_done += school.done_pairs
    total_row = ["", _("合计"), _("%(n)s 所学校") % {"n": len(school_rows)}, "", total_classes]
    total_row += [f"{totals_by_type[a.pk]}/{total_classes}" for a in activities]
    total_row += [f"{total_full}/{total_classes}", f"{rates.rate(total_done, total_classes * len(activities)):.0%}"]
    ws.append(total_row)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 24
    for index in range(6, len(header) + 1):
        ws.column_dimensions[get_column_letter(index)].width = 14
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = "D3"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def student_accounts_workbook(accounts) -> bytes:
    """New class accounts with their initial passwords, one row each, ready to print and cut into slips."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("学生账号")
    ws.append([_("序号"), _("学校"), _("班级"), _("姓名"), _("用户名"), _("初始密码")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8F1FB")
    for number, account in enumerate(accounts, 1):
        klass = account.school_class
        ws.append([number, klass.school.name, klass.name, account.name, account.username, account.password])
    for column, width in zip("ABCDEF", [6, 24, 14, 12, 16, 12], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
