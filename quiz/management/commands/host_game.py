"""Run a live game without a teacher at the console: kiosk rounds at education bases, and the benchmark.

    python manage.py host_game "6·26 知识竞答" --auto-advance 5 --pin-file var/pin.txt
    python manage.py host_game --draw 10 --band 初中 --wait-players 40

Players connect to the Daphne processes; this command reaches them through
Redis (each event is one PUBLISH), so it needs ``REDIS_URL``.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from accounts.models import User
from quiz import fanout
from quiz.models import BANDS, Game, Player, QuizSet
from quiz.services import live

POLL_S = 0.2
GRACE_S = 0.25  # let answers received just before the deadline finish their transaction first


class Command(BaseCommand):
    help = "主持一场无人值守的课堂竞答。Host a live game on a timer."

    def add_arguments(self, parser):
        parser.add_argument("quiz", nargs="?", help="question set id or title (omit with --draw)")
        parser.add_argument("--draw", type=int, metavar="N", help="draw N questions from the bank instead")
        parser.add_argument("--band", choices=BANDS, help="audience band for --draw")
        parser.add_argument("--title", default="", help="game title (default: the set's title)")
        parser.add_argument("--seconds", type=int, default=20, help="seconds per question (default 20)")
        parser.add_argument("--auto-advance", type=float, default=5.0, metavar="SECONDS", help="pause after a reveal")
        parser.add_argument("--wait-players", type=int, default=1, help="start once this many players joined")
        parser.add_argument("--start-after", type=float, default=60.0, help="start after this many seconds anyway")
        parser.add_argument("--pin-file", type=Path, help="write the PIN (and game id) here")
        parser.add_argument("--host", default="", help="username shown as host (default: first superuser)")
        parser.add_argument("--no-speed", action="store_true", help="fixed points instead of speed points")
        parser.add_argument("--streak", action="store_true", help="streak bonus on")

    def handle(self, *args, **options):
        if not settings.REDIS_URL:
            raise CommandError("host_game reaches players through Redis: set REDIS_URL (as the Daphne processes do).")
        host = self._host(options["host"])
        quiz_set = None
        if options["draw"]:
            paper = live.build_paper(band=options["band"], count=options["draw"])
            title = options["title"] or f"知识竞答（{options['draw']} 题）"
        else:
            if not options["quiz"]:
                raise CommandError("name a question set, or use --draw N")
            quiz_set = self._quiz_set(options["quiz"])
            paper = live.build_paper(quiz_set=quiz_set)
            title = options["title"] or quiz_set.title
        game = live.create_game(
            host,
            title=title,
            paper=paper,
            quiz_set=quiz_set,
            seconds_per_question=options["seconds"],
            speed_points=not options["no_speed"],
            streak_bonus=options["streak"],
        )
        self.stdout.write(self.style.SUCCESS(f"PIN {game.pin}  (game {game.pk}, {game.question_count} questions)"))
        if options["pin_file"]:
            options["pin_file"].parent.mkdir(parents=True, exist_ok=True)
            options["pin_file"].write_text(f"{game.pin} {game.pk}\n")
        fanout.warm_up()
        self._wait_for_players(game, options["wait_players"], options["start_after"])
        try:
            self._run(game, options["auto_advance"])
        except KeyboardInterrupt:
            live.finish_early(game.pk, live.server_now())
            raise
        game.refresh_from_db()
        podium = live.top_players(game, live.PODIUM_SIZE)
        self.stdout.write("Podium: " + ", ".join(f"{p['rank']}. {p['nickname']} {p['score']}" for p in podium))

    def _host(self, username):
        users = User.objects.filter(username=username) if username else User.objects.filter(is_superuser=True)
        host = users.order_by("pk").first()
        if host is None:
            raise CommandError("no host user: pass --host USERNAME or create a superuser")
        return host

    def _quiz_set(self, name):
        query = Q(title=name) | (Q(pk=int(name)) if name.isdigit() else Q())
        quiz_set = QuizSet.objects.filter(query).first()
        if quiz_set is None:
            raise CommandError(f"no question set {name!r}")
        return quiz_set

    def _wait_for_players(self, game, wanted, start_after):
        deadline = time.monotonic() + start_after
        count = 0
        while time.monotonic() < deadline:
            count = Player.objects.filter(game=game, kicked=False).count()
            if count >= wanted:
                break
            time.sleep(POLL_S)
        self.stdout.write(f"starting with {count} players")

    def _run(self, game, pause):
        game = live.advance(game.pk, live.server_now())
        while True:
            index = game.question_index
            # Reveal when everyone answered or the time is up, whichever comes first.
            while not (
                live.close_if_all_answered(game.pk, index, live.server_now())
                or live.close_if_due(game.pk, index, live.server_now() - GRACE_S)
            ):
                time.sleep(POLL_S)
            self.stdout.write(f"question {index + 1}/{game.question_count} revealed")
            time.sleep(pause)
            game = live.advance(game.pk, live.server_now())
            if game.phase == Game.Phase.FINISHED:
                return
