"""python manage.py import_questions FILE [--format …] [--category NAME] [--dry-run] [--skip-invalid]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quiz.bank_io.readers import FORMATS, guess_format, read_file
from quiz.bank_io.records import STATUS_LABELS, VALID
from quiz.services import import_questions


class Command(BaseCommand):
    help = "Import questions from xlsx, csv, Moodle GIFT or Aiken; atomic unless --skip-invalid."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS, help="default: guessed from the file's extension")
        parser.add_argument("--category", default="", help="category for questions whose file names none")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--skip-invalid", action="store_true", help="import the valid questions anyway")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        data = path.read_bytes()
        file_format = options["format"] or guess_format(path.name, data)
        report = import_questions(
            read_file(data, file_format),
            default_category=options["category"],
            dry_run=options["dry_run"],
            skip_invalid=options["skip_invalid"],
        )
        for row in report.rows:
            if row.status != VALID or options["verbosity"] > 1:
                reason = f"  {row.reason}" if row.reason else ""
                self.stdout.write(f"{row.line:>6}  {STATUS_LABELS[row.status]}  {row.label}{reason}")
        summary = ", ".join(f"{STATUS_LABELS[status]} {count}" for status, count in report.summary().items() if count)
        self.stdout.write(f"{path.name} ({file_format}): {summary or '0'}")
        if report.invalid and not options["skip_invalid"]:
            raise CommandError(f"{report.invalid} invalid question(s): nothing imported (use --skip-invalid)")
