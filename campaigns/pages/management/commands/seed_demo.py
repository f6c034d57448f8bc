"""Fill a fresh database with demo content; safe to run again.

Each app owns its demo data in a ``demo.py`` module with a ``seed(out)``
function (``out`` is a :class:`DemoOutput`); this command runs them in
dependency order and prints the logins at the end.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Order matters: later seeders use what earlier ones made.
DEMO_SEEDERS = [
    "accounts.demo",
    "campaigns.pages.demo",
    "campaigns.schools.demo",
    "quiz.demo",
    "campaigns.volunteers.demo",
]


class DemoOutput:
    """What seeders report back: progress lines and logins to print."""

    def __init__(self, command):
        self.command = command
        self.logins = []

    def step(self, text):
        self.command.stdout.write(f"  · {text}")

    def login(self, role, username, password):
        self.logins.append((role, username, password))


class Command(BaseCommand):
    help = "创建演示数据（可重复运行）。Create demo content; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (demo accounts have published passwords).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with published passwords; refusing with DEBUG off. "
                "Pass --allow-production if this really is a demo server."
            )
        out = DemoOutput(self)
        for dotted in DEMO_SEEDERS:
            self.stdout.write(f"{dotted} …")
            with transaction.atomic():
                import_module(dotted).seed(out)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 Demo content ready."))
        self.stdout.write("演示账号 Demo logins:")
        width = max((len(role) for role, _, _ in out.logins), default=0)
        for role, username, password in out.logins:
            self.stdout.write(f"  {role.ljust(width)}  {username} / {password}")
