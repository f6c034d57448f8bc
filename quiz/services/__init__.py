"""The only place that changes quiz state.

Question bank: :func:`import_questions` is the single path by which questions
are written from files, the admin upload page and the seed bank.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..bank_io.records import (
    DUPLICATE,
    IMPORTED,
    INVALID,
    NOT_IMPORTED,
    SKIPPED,
    VALID,
    ParsedItem,
    QuestionRecord,
    excerpt,
)
from ..models import BANDS, DEFAULT_CATEGORIES, AudienceBand, Category, Choice, Question
from ..validation import choice_errors

DEFAULT_DIFFICULTY = 3


def ensure_bank_lookups():
    """Create the default categories and the audience bands if missing (fresh or flushed database)."""
    for order, name in enumerate(BANDS):
        AudienceBand.objects.get_or_create(name=name, defaults={"order": order})
    for order, name in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"order": order})


def normalize_stem(stem: str) -> str:
    """The form of a stem used to detect duplicates: whitespace collapsed, ends trimmed."""
    return " ".join((stem or "").split())


@dataclass
class ReportRow:
    line: int
    status: str
    reason: str = ""
    label: str = ""


@dataclass
class ImportReport:
    """What an import did (or, on a dry run or an atomic refusal, would have done), row by row."""

    rows: list[ReportRow] = field(default_factory=list)
    dry_run: bool = False

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def imported(self) -> int:
        return self.count(IMPORTED)

    @property
    def invalid(self) -> int:
        return self.count(INVALID)

    def summary(self) -> dict:
        return {status: self.count(status) for status in (IMPORTED, VALID, INVALID, DUPLICATE, SKIPPED, NOT_IMPORTED)}

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "rows": [
                {"line": row.line, "status": row.status, "reason": str(row.reason), "label": row.label}
                for row in self.rows
            ],
        }


def _clean_record(record: QuestionRecord, default_category: str) -> tuple[QuestionRecord | None, list[str]]:
    """Check one record against the bank's rules; return it tidied, or the reasons it fails."""
    errors = []
    stem = (record.stem or "").strip()
    if not stem:
        errors.append(_("题干不能为空。"))
    if record.type not in Question.Type.values:
        errors.append(_("未知题型：%(type)s。") % {"type": record.type})
    else:
        errors.extend(str(message) for message in choice_errors(record.type, record.choices))
    if any(len((text or "").strip()) > Choice._meta.get_field("text").max_length for text, _c in record.choices):
        errors.append(_("选项内容不能超过 255 个字符。"))
    category = (record.category or default_category or "").strip()
    if not category:
        errors.append(_("缺少分类。"))
    elif len(category) > Category._meta.get_field("name").max_length:
        errors.append(_("分类名称过长。"))
    difficulty = record.difficulty if record.difficulty is not None else DEFAULT_DIFFICULTY
    if not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
        errors.append(_("难度必须是 1 到 5 的整数。"))
    unknown = [band for band in record.bands if band not in BANDS]
    if unknown:
        errors.append(
            _("未知学段：%(bands)s（可用：%(known)s）。") % {"bands": "、".join(unknown), "known": "、".join(BANDS)}
        )
    if len(record.source or "") > Question._meta.get_field("source").max_length:
        errors.append(_("出处不能超过 255 个字符。"))
    if errors:
        return None, errors
    bands = [band for band in BANDS if band in record.bands]  # canonical order, no repeats
    return (
        QuestionRecord(
            type=record.type,
            stem=stem,
            choices=[(text.strip(), bool(correct)) for text, correct in record.choices],
            explanation=(record.explanation or "").strip(),
            source=(record.source or "").strip(),
            category=category,
            difficulty=difficulty,
            bands=bands,
            tags=list(record.tags),
        ),
        [],
    )


def import_questions(items, *, default_category="", dry_run=False, skip_invalid=False, progress=None):
    """Validate parsed items and write the good questions to the bank.

    ``items`` are :class:`ParsedItem` from a parser. The import is atomic: if
    any item is invalid nothing is written unless ``skip_invalid``. Questions
    whose stem already exists in the same category (in the database or earlier
    in the file) are reported as duplicates and not written; unsupported types
    are reported as skipped. Both leave the rest of the import alone.
    ``progress(done, total)`` is called as rows are checked and written.
    Returns an :class:`ImportReport` with one row per item.
    """
    items = list(items)
    total = len(items)
    report = ImportReport(dry_run=dry_run)
    ensure_bank_lookups()
    existing = set()
    cleaned: list[tuple[ReportRow, QuestionRecord | None]] = []
    for item in items:
        if item.record is not None:
            existing.add((item.record.category or default_category or "").strip())
    existing_keys = {
        (name, normalize_stem(stem))
        for name, stem in Question.objects.filter(category__name__in=existing).values_list("category__name", "stem")
    }
    seen = {}
    for index, item in enumerate(items):
        row = _check_item(item, default_category, existing_keys, seen)
        report.rows.append(row[0])
        cleaned.append(row)
        if progress and index % 20 == 0:
            progress(index, total * 2)

    blocked = report.invalid and not skip_invalid
    to_write = [(row, record) for row, record in cleaned if record is not None]
    if blocked or dry_run:
        for row, _record in to_write:
            row.status = NOT_IMPORTED if blocked else VALID
        if progress:
            progress(total * 2, total * 2)
        return report

    with transaction.atomic():
        bands = {band.name: band for band in AudienceBand.objects.all()}
        categories = {}
        for index, (row, record) in enumerate(to_write):
            category = categories.get(record.category)
            if category is None:
                category, _created = Category.objects.get_or_create(
                    name=record.category, defaults={"order": Category.objects.count()}
                )
                categories[record.category] = category
            _write_question(record, category, bands)
            row.status = IMPORTED
            if progress and index % 10 == 0:
                progress(total + index * total // max(len(to_write), 1), total * 2)
    if progress:
        progress(total * 2, total * 2)
    return report


def _check_item(item: ParsedItem, default_category, existing_keys, seen):
    label = item.label or (excerpt(item.record.stem) if item.record else "")
    if item.skip_reason:
        return ReportRow(item.line, SKIPPED, str(item.skip_reason), label), None
    if item.error or item.record is None:
        return ReportRow(item.line, INVALID, str(item.error or _("无法识别的内容。")), label), None
    record, errors = _clean_record(item.record, default_category)
    if errors:
        return ReportRow(item.line, INVALID, "".join(errors), label), None
    key = (record.category, normalize_stem(record.stem))
    if key in existing_keys:
        return ReportRow(
            item.line, DUPLICATE, _("题库中「%(category)s」分类已有相同题干。") % {"category": record.category}, label
        ), None
    if key in seen:
        return ReportRow(item.line, DUPLICATE, _("与本文件第 %(line)s 行题干重复。") % {"line": seen[key]}, label), None
    seen[key] = item.line
    return ReportRow(item.line, VALID, "", label), record


def _write_question(record: QuestionRecord, category: Category, bands: dict) -> Question:
    question = Question(
        category=category,
        type=record.type,
        stem=record.stem,
        explanation=record.explanation,
        source=record.source,
        difficulty=record.difficulty,
    )
    question.pending_choices = record.choices
    try:
        question.full_clean()
    except ValidationError as exc:  # the record was checked already; this guards model-level rules
        raise ValueError(f"{record.stem}: {exc.messages}") from exc
    # Children, bands and tags are held in memory by modelcluster and written by the one save().
    question.choices = [
        Choice(text=text, is_correct=correct, order=order) for order, (text, correct) in enumerate(record.choices)
    ]
    question.bands = [bands[name] for name in record.bands]
    if record.tags:
        question.tags.add(*record.tags)
    question.save()
    return question
