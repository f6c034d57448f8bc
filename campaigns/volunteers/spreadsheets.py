"""Roster spreadsheets (openpyxl): import with a per-row report, and the hours report export.

Rows are read by their Chinese column headings, so offices can reorder columns.
Listings export through Wagtail's spreadsheet export (see ``wagtail_hooks``);
this module writes only the one report workbook that has no listing.
"""

import dataclasses
import datetime
import io
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from . import services
from .models import Skill, Team, Volunteer

HEADINGS = {
    "姓名": "name",
    "手机号": "phone",
    "性别": "gender",
    "出生年份": "birth_year",
    "队伍": "team",
    "技能": "skills",
    "可服务时间": "availability",
    "时间备注": "availability_note",
    "身份证后四位": "id_last4",
    "加入日期": "joined_on",
}
REQUIRED = ("name", "phone", "gender", "birth_year", "team")
SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclasses.dataclass
class RowResult:
    row: int
    name: str
    outcome: str  # "created" | "updated" | "error"
    message: str = ""

    @property
    def outcome_label(self):
        return {"created": _("新增"), "updated": _("更新"), "error": _("错误")}[self.outcome]


@dataclasses.dataclass
class ImportReport:
    rows: list
    dry_run: bool

    def count(self, outcome):
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def created(self):
        return self.count("created")

    @property
    def updated(self):
        return self.count("updated")

    @property
    def errors(self):
        return self.count("error")


def template_workbook() -> bytes:
    """An empty roster with the headings and one example row."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("志愿者名册")
    ws.append(list(HEADINGS))
    ws.append(
        [
            "张小红",
            "13800001234",
            "女",
            1985,
            "冷水滩区禁毒妈妈队",
            "宣讲、文艺",
            "周末、晚上",
            "",
            "123X",
            "2026-03-01",
        ]
    )
    for cell in ws[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _clean(raw, teams, skills):
    errors = []
    row = {}
    for key in REQUIRED:
        if raw.get(key) in (None, ""):
            errors.append(_("缺少“%(col)s”") % {"col": _heading(key)})
    if errors:
        raise ValidationError(errors)
    row["name"] = str(raw["name"]).strip()
    row["phone"] = re.sub(r"\D", "", str(raw["phone"]))
    if len(row["phone"]) != 11:
        errors.append(_("手机号应为 11 位"))
    gender = {"女": Volunteer.Gender.FEMALE, "男": Volunteer.Gender.MALE}.get(str(raw["gender"]).strip())
    if gender is None:
        errors.append(_("性别应为“男”或“女”"))
    row["gender"] = gender
    try:
        row["birth_year"] = int(str(raw["birth_year"]).strip()[:4])
    except ValueError:
        errors.append(_("出生年份应为四位数字"))
    team = teams.get(str(raw["team"]).strip())
    if team is None:
        errors.append(_("队伍“%(team)s”不存在") % {"team": raw["team"]})
    row["team"] = team
    names = [s for s in SPLIT.split(str(raw.get("skills") or "")) if s]
    unknown = [s for s in names if s not in skills]
    if unknown:
        errors.append(_("未知技能：%(names)s") % {"names": "、".join(unknown)})
    row["skills"] = [skills[s] for s in names if s in skills]
    by_label = {str(label): value for value, label in Volunteer.Availability.choices}
    by_label.update({"工作日": "weekday", "白天": "weekday"})
    slots = [s for s in SPLIT.split(str(raw.get("availability") or "")) if s]
    if any(s not in by_label for s in slots):
        errors.append(_("可服务时间应为 工作日白天、周末、晚上"))
    row["availability"] = sorted({by_label[s] for s in slots if s in by_label})
    row["availability_note"] = str(raw.get("availability_note") or "")[:200]
    row["id_last4"] = str(raw.get("id_last4") or "").strip().upper()
    joined = raw.get("joined_on")
    if isinstance(joined, datetime.datetime):
        joined = joined.date()
    elif joined:
        try:
            joined = datetime.date.fromisoformat(str(joined).strip()[:10])
        except ValueError:
            errors.append(_("加入日期格式应为 2026-03-01"))
            joined = None
    row["joined_on"] = joined or None
    if errors:
        raise ValidationError(errors)
    return row


def _heading(key):
    return next(h for h, k in HEADINGS.items() if k == key)


def import_roster(file, *, by=None, dry_run=False) -> ImportReport:
    """Import an xlsx roster; every row is checked and reported, valid rows are saved unless ``dry_run``.

    ``by`` limits teams and volunteers to the user's scope (None: a trusted operator at the command line).
    """
    wb = load_workbook(file, read_only=True, data_only=True)
    ws = wb.active
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    columns = {i: HEADINGS[str(h).strip()] for i, h in enumerate(header) if h and str(h).strip() in HEADINGS}
    missing = [h for h, k in HEADINGS.items() if k in REQUIRED and k not in columns.values()]
    if missing:
        raise ValidationError(_("表头缺少列：%(cols)s") % {"cols": "、".join(missing)})
    teams = {t.name: t for t in Team.objects.all()}
    skills = {s.name: s for s in Skill.objects.all()}
    results = []
    seen = set()
    for number, values in enumerate(rows, start=2):
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        if all(v in (None, "") for v in raw.values()):
            continue
        name = str(raw.get("name") or "")
        try:
            row = _clean(raw, teams, skills)
            if row["phone"] in seen:
                raise ValidationError(_("手机号与前面的行重复"))
            seen.add(row["phone"])
            with transaction.atomic():
                outcome, _volunteer = services.import_volunteer(row=row, by=by, dry_run=dry_run)
            results.append(RowResult(number, name, outcome))
        except ValidationError as exc:
            results.append(RowResult(number, name, "error", "；".join(exc.messages)))
    return ImportReport(rows=results, dry_run=dry_run)


def hours_workbook(year, teams, volunteers) -> bytes:
    """The annual hours report: one sheet of team totals, one of volunteer totals (phones as given)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("队伍服务时长")
    ws.append([_("%(year)s 年志愿服务时长（队伍）") % {"year": year}])
    ws.append([_("区县"), _("队伍"), _("类型"), _("服务人次"), _("服务人数"), _("服务时长（小时）")])
    for team in teams:
        ws.append(
            [
                team.district.name,
                team.name,
                team.get_kind_display(),
                team.year_records,
                team.year_volunteers,
                round(float(team.year_hours), 1),
            ]
        )
    sheet = wb.create_sheet(_("志愿者服务时长"))
    sheet.append([_("%(year)s 年志愿服务时长（志愿者）") % {"year": year}])
    sheet.append([_("姓名"), _("手机号"), _("队伍"), _("服务次数"), _("服务时长（小时）")])
    for volunteer, phone in volunteers:
        sheet.append(
            [volunteer.name, phone, volunteer.team.name, volunteer.year_events, round(float(volunteer.year_hours), 1)]
        )
    for sheet in wb.worksheets:
        sheet["A1"].font = Font(bold=True, size=14)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
