"""python manage.py export_questions --format xlsx|gift --output FILE [--category NAME …]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quiz.bank_io.exporters import export_queryset, write_questions
from quiz.models import Category


class Command(BaseCommand):
    help = "Export the question bank as xlsx or Moodle GIFT, in the layout import_questions reads back."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("xlsx", "gift"), required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--category", action="append", default=[], help="only these categories (repeatable)")
        parser.add_argument("--inactive", action="store_true", help="include inactive questions")

    def handle(self, *args, **options):
        names = options["category"]
        unknown = sorted(set(names) - set(Category.objects.filter(name__in=names).values_list("name", flat=True)))
        if unknown:
            raise CommandError(f"unknown category: {', '.join(unknown)}")
        questions = export_queryset(categories=names, include_inactive=options["inactive"])
        path = Path(options["output"])
        with path.open("wb") as stream:
            write_questions(questions, options["format"], stream)
        self.stdout.write(f"{len(questions)} question(s) → {path}")
