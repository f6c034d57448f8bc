"""Load a known list of five-ones activity types for a school year."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from campaigns.schools import services
from campaigns.schools.activity_sets import SETS


class Command(BaseCommand):
    help = "载入某学年的五个一活动类型（2021 全国版、2015 版或六个一）。"

    def add_arguments(self, parser):
        parser.add_argument("--school-year", required=True, help="如 2026-2027")
        parser.add_argument("--set", dest="set_name", choices=sorted(SETS), default="2021")

    def handle(self, *args, school_year, set_name, **options):
        try:
            loaded = services.load_activity_set(school_year, set_name)
        except (ValidationError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for activity in loaded:
            self.stdout.write(f"  · {activity.order:>3} {activity.name}")
        self.stdout.write(self.style.SUCCESS(f"{school_year}: {len(loaded)} 项活动类型已载入"))
