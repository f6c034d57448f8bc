"""City-challenge benchmark: participants taking timed papers over HTTP on two Daphne processes, PostgreSQL + Redis.

    python -m bench.challenge --participants 200 --duration 30 --json bench/results/challenge.json

Prepares the database named by ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/cs_chal_bench):
creates and migrates it and loads the seed question bank if empty, then creates a fresh challenge (社会组, 20
questions in 10 minutes, no practical daily limit) with N registered participants, each with a session made
directly in the database (no sign-in round trips). Two Daphne processes run the production settings with
``REDIS_URL`` (channel layer, cache, Redis leaderboards).

Each participant is a client thread on a keep-alive connection to one of the processes (alternating): it starts a
paper (``POST …/start/``), answers every question as a JSON POST (the ack time is what ``ack_p50_s`` and
``ack_p99_s`` measure), submits, and starts again until ``--duration`` has passed. Afterwards the database is
asked for every acknowledged answer (``answers_lost`` counts acks without a stored row) and the Redis boards are
compared with the SQL order at every level (``leaderboard_matches_db``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import string
import sys
import threading
import time
from urllib.parse import urlparse

from bench._harness import DEFAULT_REDIS_URL, ROOT, DaphneServer, machine, percentile, raise_fd_limit, write_json
from bench.pages import OVERRIDE_DIR, create_database, server_env

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cs_chal_bench"


def pooled_settings(max_size: int) -> str:
    """Production settings with psycopg's connection pool (Django >= 5.1), as a generated, git-ignored module.

    Under ASGI each request runs in its own thread: persistent connections pile up and CONN_MAX_AGE=0 pays a new
    PostgreSQL backend per request; a pool bounds the connections and reuses them.
    """
    OVERRIDE_DIR.mkdir(parents=True, exist_ok=True)
    (OVERRIDE_DIR / "bench_challenge_settings.py").write_text(
        "from config.settings.production import *  # noqa: F403\n"
        'DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405\n'
        'DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405\n'
        'DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405\n'
        f'DATABASES["default"]["OPTIONS"]["pool"] = {{"min_size": 2, "max_size": {max_size}}}  # noqa: F405\n'
    )
    return "bench_challenge_settings"


def setup_django(database_url: str, redis_url: str):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="bench-only-secret-key-not-for-production",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(participants: int) -> tuple[int, str, list[tuple[int, str]]]:
    """Migrate, load the bank if empty, create a challenge and its participants with sessions."""
    import datetime
    from importlib import import_module

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", "--noinput", verbosity=0)
    from quiz.bank_io.jsonbank import read_bank_json
    from quiz.demo import SEED_BANK
    from quiz.models import Challenge, ChallengeGroup, Question
    from quiz.services import challenge as svc
    from quiz.services import import_questions

    if not Question.objects.exists():
        import_questions(read_bank_json(SEED_BANK))
    now = timezone.now()
    slug = f"bench-{int(time.time())}-{secrets.token_hex(2)}"
    challenge = Challenge.objects.create(
        title="压测挑战赛",
        slug=slug,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(days=1),
        attempts_per_day=10_000,
        is_published=True,
    )
    group = ChallengeGroup.objects.create(challenge=challenge, name="社会", band="社会", question_count=20, seconds=600)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    people = []
    for n in range(participants):
        p = svc.register(
            challenge,
            svc.Registration(name=f"压测{n:05d}", group=group, phone="13800000000", work_unit="压测单位"),
        )
        session = store_class()
        session["challenge_participants"] = [p.pk]
        session.create()
        people.append((p.pk, session.session_key))
    return challenge.pk, slug, people


class Client:
    """One participant on one keep-alive connection, with its session and CSRF cookie."""

    def __init__(self, base_url: str, session_key: str):
        parsed = urlparse(base_url)
        self.host, self.port = parsed.hostname, parsed.port
        self.csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))
        self.headers = {
            "Host": "localhost",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.csrf,
            "Referer": "http://localhost/",
            "Cookie": f"sessionid={session_key}; csrftoken={self.csrf}",
        }
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def get(self, path: str) -> dict:
        try:
            self.conn.request("GET", path, headers=self.headers)
            response = self.conn.getresponse()
            return json.loads(response.read())
        except (OSError, http.client.HTTPException, ValueError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            return {}

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        try:
            self.conn.request("POST", path, body=json.dumps(body), headers=self.headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            return 0, {}
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, {}


def run_participant(client: Client, slug: str, prefix: str, stop_at: float, stats: dict, lock: threading.Lock):
    acks, errors, acked, rng = [], 0, set(), random.Random()
    attempts = 0
    while time.monotonic() < stop_at:
        status, started = client.post(f"{prefix}/{slug}/start/", {})
        if status != 200 or not started.get("ok"):
            errors += 1
            continue
        attempt_id = started["attempt_id"]
        attempts += 1
        # The paper's choice ids come from the state endpoint (as the page's JSON does).
        paper = client.get(f"{prefix}/attempt/{attempt_id}/state/")
        if not paper.get("ok"):
            errors += 1
            continue
        for question in paper.get("questions", []):
            if time.monotonic() >= stop_at:
                break
            choice = rng.choice(question["choices"])["id"]
            t0 = time.perf_counter()
            status, body = client.post(
                f"{prefix}/attempt/{attempt_id}/answer/", {"index": question["index"], "choice_ids": [choice]}
            )
            if status == 200 and body.get("ok"):
                acks.append(time.perf_counter() - t0)
                acked.add((attempt_id, question["index"]))
            else:
                errors += 1
        status, _body = client.post(f"{prefix}/attempt/{attempt_id}/submit/", {})
        if status != 200:
            errors += 1
    with lock:
        stats["acks"].extend(acks)
        stats["errors"] += errors
        stats["acked"] |= acked
        stats["attempts"] += attempts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of answering")
    parser.add_argument("--processes", type=int, default=2, help="Daphne processes")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=0,
        help="CONN_MAX_AGE for the servers (default 0: under ASGI every request runs in its own thread, so "
        "persistent connections pile up until PostgreSQL refuses more; -1 = the production settings as shipped)",
    )
    parser.add_argument(
        "--pool", type=int, default=0, help="use psycopg's connection pool of this size per process (0 = off)"
    )
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    raise_fd_limit()

    create_database(args.database_url)
    setup_django(args.database_url, args.redis_url)
    challenge_id, slug, people = prepare(args.participants)
    from django.db import connection

    connection.close()  # the servers need the connections more than this idle process

    conn_max_age = None if args.conn_max_age < 0 else args.conn_max_age
    env = {**server_env(args.database_url, conn_max_age=conn_max_age), "REDIS_URL": args.redis_url}
    if args.pool:
        env["DJANGO_SETTINGS_MODULE"] = pooled_settings(args.pool)
    servers = [DaphneServer(env, ROOT / "bench" / "results" / "logs").start() for _ in range(args.processes)]
    prefix = "/quiz/challenge"
    stats = {"acks": [], "errors": 0, "acked": set(), "attempts": 0}
    lock = threading.Lock()
    try:
        stop_at = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=run_participant,
                args=(Client(servers[i % len(servers)].url, key), slug, prefix, stop_at, stats, lock),
                daemon=True,
            )
            for i, (_pid, key) in enumerate(people)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.duration + 120)
        elapsed = time.perf_counter() - started
        time.sleep(0.5)  # let the last on-commit board updates land
    finally:
        for server in servers:
            server.stop()

    from quiz import challenge_board
    from quiz.models import AttemptAnswer

    stored = set(
        AttemptAnswer.objects.filter(attempt__participant__challenge_id=challenge_id).values_list("attempt_id", "index")
    )
    result = {
        "benchmark": "challenge",
        "machine": machine(),
        "processes": args.processes,
        "conn_max_age": "as shipped (60)" if conn_max_age is None else conn_max_age,
        "pool": args.pool or None,
        "participants": args.participants,
        "duration_s": args.duration,
        "attempts": stats["attempts"],
        "answers": len(stats["acks"]),
        "answers_per_s": round(len(stats["acks"]) / elapsed, 1) if elapsed else 0,
        "ack_p50_s": round(percentile(stats["acks"], 50), 4) if stats["acks"] else None,
        "ack_p99_s": round(percentile(stats["acks"], 99), 4) if stats["acks"] else None,
        "errors": stats["errors"],
        "answers_lost": len(stats["acked"] - stored),
        "leaderboard_matches_db": challenge_board.matches_database(challenge_id),
    }
    write_json(args.json_path, result)


if __name__ == "__main__":
    main()
