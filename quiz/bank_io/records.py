"""What every parser produces: one item per question (or per line it could not use)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Status of a row in an import report.
IMPORTED = "imported"
VALID = "valid"  # a dry run would import it
INVALID = "invalid"
DUPLICATE = "duplicate"
SKIPPED = "skipped"  # a question type ClearSky does not support
NOT_IMPORTED = "not_imported"  # valid, but the file had invalid rows and the import was atomic

STATUS_LABELS = {
    IMPORTED: _("已导入"),
    VALID: _("可导入"),
    INVALID: _("错误"),
    DUPLICATE: _("重复"),
    SKIPPED: _("已跳过"),
    NOT_IMPORTED: _("未导入"),
}


@dataclass
class QuestionRecord:
    """A question as read from a file, before validation."""

    type: str
    stem: str
    choices: list[tuple[str, bool]]
    explanation: str = ""
    source: str = ""
    category: str = ""
    difficulty: int | None = None
    bands: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


@dataclass
class ParsedItem:
    """One question or one unusable block of a file.

    ``line`` is the spreadsheet row or the text line where the item starts;
    exactly one of ``record``, ``error`` (malformed) and ``skip_reason``
    (well-formed but unsupported) is set.
    """

    line: int
    record: QuestionRecord | None = None
    error: str = ""
    skip_reason: str = ""
    label: str = ""  # a short excerpt for the report


def excerpt(text: str, size: int = 30) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= size else text[: size - 1] + "…"
