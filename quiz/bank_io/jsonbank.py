"""The JSON shape of ``quiz/data/seed_bank.json``: a list of questions with their choices."""

import json
from pathlib import Path

from .records import ParsedItem, QuestionRecord, excerpt


def read_bank_json(path: Path) -> list[ParsedItem]:
    """One item per question; ``line`` is the question's position in the list (1-based)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = []
    for number, entry in enumerate(data, start=1):
        record = QuestionRecord(
            type=entry.get("type", ""),
            stem=entry.get("stem", ""),
            choices=[(choice.get("text", ""), bool(choice.get("correct"))) for choice in entry.get("choices", [])],
            explanation=entry.get("explanation", ""),
            source=entry.get("source", ""),
            category=entry.get("category", ""),
            difficulty=entry.get("difficulty"),
            bands=list(entry.get("bands", [])),
            tags=list(entry.get("tags", [])),
        )
        items.append(ParsedItem(line=number, record=record, label=excerpt(record.stem)))
    return items
