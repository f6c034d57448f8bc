"""Rebuild the challenges' Redis leaderboards from the database (each board: new key, then RENAME)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quiz import challenge_board
from quiz.models import Challenge
from quiz.services import challenge as challenge_service


class Command(BaseCommand):
    help = (
        "Submit overdue papers, then rebuild the Redis leaderboards of every challenge (or one, with --challenge ID)"
        " from the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--challenge", type=int, help="only this challenge's id")

    def handle(self, *args, challenge=None, **options):
        # Abandoned papers past their deadline are scored first, so the boards include them.
        expired = challenge_service.expire_overdue(challenge)
        if expired:
            self.stdout.write(f"submitted {expired} overdue papers")
        if not settings.REDIS_URL:
            self.stdout.write("REDIS_URL is not set: the database backend has nothing to rebuild.")
            return
        challenges = Challenge.objects.all()
        if challenge is not None:
            challenges = challenges.filter(pk=challenge)
            if not challenges.exists():
                raise CommandError(f"no challenge with id {challenge}")
        for item in challenges:
            count = challenge_board.rebuild(item.pk)
            ok = challenge_board.matches_database(item.pk)
            self.stdout.write(f"{item.pk} {item.title}: {count} results, matches database: {ok}")
