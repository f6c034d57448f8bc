"""Pick the parser for a file: by the format asked for, else by extension, else by content."""

from pathlib import Path

from django.utils.translation import gettext as _

from .aiken import parse_aiken
from .gift import parse_gift
from .records import ParsedItem
from .tabular import read_csv, read_xlsx

FORMATS = ("xlsx", "csv", "gift", "aiken")
EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv", ".gift": "gift", ".aiken": "aiken"}


def guess_format(filename: str, data: bytes) -> str:
    """The format named by the extension; for .txt (either text format) look for GIFT braces."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if data[:2] == b"PK":
        return "xlsx"
    text = data.decode("utf-8", errors="replace")
    return "gift" if "{" in text else "aiken"


def read_file(data: bytes, file_format: str) -> list[ParsedItem]:
    """Parse ``data`` as ``file_format`` (one of :data:`FORMATS`)."""
    if file_format == "xlsx":
        return read_xlsx(data)
    if file_format == "csv":
        return read_csv(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [ParsedItem(line=1, error=_("文本文件应为 UTF-8 编码。"))]
    if file_format == "gift":
        return parse_gift(text)
    if file_format == "aiken":
        return parse_aiken(text)
    raise ValueError(f"unknown format {file_format!r}")
