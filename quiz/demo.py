"""Demo content: the seed question bank (quiz/data/seed_bank.json, 399 questions)."""

from pathlib import Path

from .bank_io.jsonbank import read_bank_json
from .services import import_questions

SEED_BANK = Path(__file__).resolve().parent / "data" / "seed_bank.json"


def seed(out):
    # Through the importer, so duplicates (stem + category) are skipped: safe to run again.
    report = import_questions(read_bank_json(SEED_BANK))
    if report.invalid:
        bad = "; ".join(f"#{row.line}: {row.reason}" for row in report.rows if row.status == "invalid")
        raise RuntimeError(f"seed bank has invalid questions: {bad}")
    out.step(f"quiz: question bank ({report.imported} new, {report.summary()['duplicate']} already present)")
