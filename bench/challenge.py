"""City-challenge benchmark: participants taking timed papers on two Daphne processes, PostgreSQL + Redis.

    python -m bench.challenge --participants 400 --duration 30 --json bench/results/challenge.json
    python -m bench.challenge --mode exam --participants 2000 --ramp 90 --duration 10 --think 1

Prepares the database named by ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/cs_chal_bench):
creates and migrates it and loads the seed question bank if empty, then creates a fresh challenge (社会组, 20
questions in 10 minutes, no practical daily limit) with N registered participants, each with a session made
directly in the database (no sign-in round trips). The Daphne processes run the production settings with
``REDIS_URL`` (channel layer, cache, sessions, Redis leaderboards); the clients run in ``--clients`` separate
processes (asyncio, the ``websockets`` library, keep-alive HTTP).

A participant does what the paper page does: ``POST …/<slug>/start/``, opens ``/ws/paper/<attempt>/`` (its first
frame is the paper), answers one question at a time 0..``--think`` seconds after the previous acknowledgement
(``ack_*`` is the time from sending an answer to its ``saved``), and submits on the socket. Participants arrive
spread over ``--ramp`` seconds, which are not measured; the figures cover the ``--duration`` window after it.

- ``--mode cycle`` (default): paper after paper, so the window holds starts and submissions in the proportion a
  real contest has (one of each per 20 answers): the whole load of a day of the challenge.
- ``--mode exam``: every participant opens a paper during the ramp and answers from the bell (a school sitting the
  paper together); submissions follow the window and are timed separately. This isolates the answer path.

Afterwards the database is the referee: every acknowledged answer must be stored with the acknowledged choice
(``answers_lost`` counts those that are not), and the Redis boards are compared with the SQL order at every level
(``leaderboard_matches_db``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import random
import secrets
import sys
import time

from bench._harness import (
    DEFAULT_REDIS_URL,
    ROOT,
    DaphneServer,
    free_port,
    machine,
    percentile,
    raise_fd_limit,
    write_json,
)
from bench.live_game import _from
from bench.pages import create_database, server_env

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cs_chal_bench"


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
    # A Redis shared with another database (the test suite's, an earlier bench database) may hold boards under
    # this challenge's id: start from the database's (empty) truth.
    from quiz import challenge_board

    challenge_board.rebuild(challenge.pk)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    people = []
    for n in range(participants):
        p = svc.register(
            challenge,
            svc.Registration(name=f"压测{n:05d}", group=group, phone="13800000000", work_unit="压测单位"),
        )
        session = store_class()
        session[svc.SESSION_KEY] = [p.pk]
        session.create()
        people.append((p.pk, session.session_key))
    return challenge.pk, slug, people


async def _http(reader, writer, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, dict]:
    """One HTTP/1.1 request on a keep-alive connection (Content-Length or chunked replies)."""
    lines = [f"{method} {path} HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items()), f"Content-Length: {len(body)}"]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if chunked:
        data = b""
        while size := int((await reader.readline()).strip(), 16):
            data += await reader.readexactly(size)
            await reader.readline()
        await reader.readline()
    else:
        data = await reader.readexactly(length)
    try:
        return status, json.loads(data)
    except ValueError:
        return status, {}


async def _participants(targets, slug, mode, think, ramp, start_at, stop_at, out, bare=False):
    """Run this client process's participants; put their figures on ``out``."""
    import websockets

    stats = {"ack": [], "submit": [], "start": [], "connect": [], "errors": [], "acked": [], "attempts": 0}
    measured_from = start_at + ramp

    def measured(t: float) -> bool:
        return measured_from <= t < stop_at

    async def participant(n, http_host, http_port, ws_base, session_key):
        rng = random.Random()
        csrf = secrets.token_hex(16)
        cookie = f"sessionid={session_key}; csrftoken={csrf}"
        headers = {
            "Host": "localhost",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": csrf,
            "Referer": "http://localhost/",
            "Cookie": cookie,
        }
        reader = writer = None
        phase = "arrive"

        async def open_paper():
            """POST …/start/, then the paper's socket and its first frame; None if refused."""
            if bare:  # the baseline server needs no start
                started = {"attempt_id": n}
            else:
                nonlocal reader, writer
                if writer is None:
                    reader, writer = await asyncio.open_connection(http_host, http_port)
                t0, begun = time.perf_counter(), time.time()
                status, started = await _http(reader, writer, "POST", f"/quiz/challenge/{slug}/start/", headers, b"{}")
                if status != 200 or not started.get("ok"):
                    stats["errors"].append(f"start {status} {started.get('error')}")
                    await asyncio.sleep(1)
                    return None
                if measured(begun):
                    stats["start"].append(time.perf_counter() - t0)
            stats["attempts"] += 1
            t0, begun = time.perf_counter(), time.time()
            ws = await websockets.connect(
                f"{ws_base}/ws/paper/{started['attempt_id']}/",
                origin="http://localhost",
                additional_headers={"Cookie": cookie},
                open_timeout=120,
                ping_interval=None,
                max_queue=None,
            )
            paper = json.loads(await ws.recv())
            if paper.get("type") != "paper":
                stats["errors"].append(f"paper {paper.get('code')}")
                await ws.close()
                return None
            if measured(begun):
                stats["connect"].append(time.perf_counter() - t0)
            return ws, paper

        async def answer_all(ws, paper):
            for seq, question in enumerate(q for q in paper["questions"] if not q["answer"]):
                await asyncio.sleep(rng.uniform(0, think))
                if time.time() >= stop_at:
                    return
                choice = rng.choice(question["choices"])["id"]
                t0, begun = time.perf_counter(), time.time()
                await ws.send(json.dumps({"type": "answer", "index": question["index"],
                                          "choice_ids": [choice], "seq": seq}))  # fmt: skip
                reply = json.loads(await ws.recv())
                if reply.get("type") == "saved" and reply.get("seq") == seq:
                    if measured(begun):
                        stats["ack"].append(time.perf_counter() - t0)
                    stats["acked"].append((paper["attempt_id"], question["index"], choice))
                else:
                    stats["errors"].append(f"answer {reply.get('code')}")

        async def submit(ws, timed):
            t0 = time.perf_counter()
            await ws.send('{"type":"submit"}')
            reply = json.loads(await ws.recv())
            if reply.get("type") != "submitted":
                stats["errors"].append(f"submit {reply.get('code')}")
            elif timed:
                stats["submit"].append(time.perf_counter() - t0)
            await ws.close()

        try:
            # Participants arrive spread over the ramp (a whole school does not tap 开始 in the same millisecond);
            # figures count only what happens after it.
            await asyncio.sleep(max(0.0, start_at - time.time()) + ramp * n / len(targets))
            phase = "open"
            if mode == "exam":
                # Everyone opens the paper during the ramp and starts answering at the bell; submissions come
                # after the window (timed, but not part of it).
                opened = None
                while opened is None and time.time() < measured_from:
                    opened = await open_paper()
                if opened is None:
                    return
                phase = "wait"
                await asyncio.sleep(max(0.0, measured_from - time.time()))
                phase = "answer"
                await answer_all(*opened)
                phase = "wait"
                await asyncio.sleep(max(0.0, stop_at - time.time()))
                phase = "submit"
                await submit(opened[0], timed=True)
            else:
                # Paper after paper: start, answer every question, submit, start again.
                while time.time() < stop_at:
                    phase = "open"
                    opened = await open_paper()
                    if opened is not None:
                        phase = "answer"
                        await answer_all(*opened)
                        phase = "submit"
                        await submit(opened[0], timed=measured(time.time()))
        except Exception as exc:  # noqa: BLE001 - counted, the run goes on
            stats["errors"].append(f"{phase}: {type(exc).__name__}: {exc}"[:200])
        finally:
            if writer is not None:
                writer.close()

    await asyncio.gather(*(participant(n, *target) for n, target in enumerate(targets)))
    out.put(stats)


def _client_process(targets, slug, mode, think, ramp, start_at, stop_at, out, bare=False):
    raise_fd_limit()
    asyncio.run(_participants(targets, slug, mode, think, ramp, start_at, stop_at, out, bare))


def _bare_paper_server(port, ready):
    """The baseline: a bare ``websockets`` server speaking the paper protocol with no Django and no database
    (a 20-question paper on connect, ``saved`` for every answer, ``submitted``), so the same clients measure
    what the machine and the client processes allow by themselves."""
    raise_fd_limit()

    async def main():
        import websockets

        questions = [
            {"index": i, "type": "single", "stem": f"第{i + 1}题", "answer": [],
             "choices": [{"id": i * 4 + k, "text": f"选项{k}"} for k in range(4)]}
            for i in range(20)
        ]  # fmt: skip

        async def handler(ws):
            attempt_id = int(ws.request.path.rstrip("/").rsplit("/", 1)[-1])
            await ws.send(json.dumps({"type": "paper", "attempt_id": attempt_id, "status": "in_progress",
                                      "questions": questions}, ensure_ascii=False))  # fmt: skip
            async for text in ws:
                message = json.loads(text)
                if message.get("type") == "answer":
                    await ws.send(json.dumps({"type": "saved", "index": message["index"],
                                              "choice_ids": message["choice_ids"], "seq": message["seq"],
                                              "remaining": 600.0}))  # fmt: skip
                elif message.get("type") == "submit":
                    await ws.send(json.dumps({"type": "submitted", "attempt_id": attempt_id}))
                    return

        async with websockets.serve(handler, "127.0.0.1", port, ping_interval=None, max_queue=None):
            ready.put("ready")
            await asyncio.Future()

    asyncio.run(main())


def _run_clients(ctx, targets, slug, args, ramp, bare=False) -> list[dict]:
    out = ctx.Queue()
    start_at = time.time() + 3 + len(targets) / 500  # every client process is up by then
    stop_at = start_at + ramp + args.duration
    procs = [
        ctx.Process(
            target=_client_process,
            args=(targets[n :: args.clients], slug, args.mode, args.think, ramp, start_at, stop_at, out, bare),
        )
        for n in range(args.clients)
    ]
    for proc in procs:
        proc.start()
    stats = [_from(out, procs, ramp + args.duration + 600) for _ in procs]
    for proc in procs:
        proc.join(30)
    return stats


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of answering")
    parser.add_argument("--think", type=float, default=1.0, help="each answer comes 0..THINK s after the last ack")
    parser.add_argument("--ramp", type=float, default=10.0, help="participants arrive over this many s (not measured)")
    parser.add_argument(
        "--mode",
        choices=["cycle", "exam"],
        default="cycle",
        help="cycle: paper after paper (start, answers, submit); exam: every paper opened during the ramp, "
        "answering from the bell, submissions after the window",
    )
    parser.add_argument("--processes", type=int, default=2, help="Daphne processes")
    parser.add_argument("--clients", type=int, default=1, help="client processes")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--no-baseline", action="store_true", help="exam mode: skip the bare-server baseline")
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)
    raise_fd_limit()

    create_database(args.database_url)
    setup_django(args.database_url, args.redis_url)
    challenge_id, slug, people = prepare(args.participants)
    from django.db import connection

    connection.close()  # the servers need the connections more than this idle process

    env = {**server_env(args.database_url), "REDIS_URL": args.redis_url}
    servers = [DaphneServer(env, ROOT / "bench" / "results" / "logs").start() for _ in range(args.processes)]
    ctx = mp.get_context("spawn")
    try:
        targets = [
            ("127.0.0.1", servers[i % len(servers)].port, servers[i % len(servers)].ws_url, key)
            for i, (_pid, key) in enumerate(people)
        ]
        stats = _run_clients(ctx, targets, slug, args, args.ramp)
        time.sleep(1.5)  # the coalesced board updates of the last submissions land
    finally:
        for server in servers:
            server.stop()

    baseline = None
    if args.mode == "exam" and not args.no_baseline:
        # The same clients, the same pace, against a bare websockets server on this machine.
        port = free_port()
        ready = ctx.Queue()
        bare = ctx.Process(target=_bare_paper_server, args=(port, ready), daemon=True)
        bare.start()
        try:
            ready.get(timeout=60)
            bare_targets = [("127.0.0.1", port, f"ws://127.0.0.1:{port}", "") for _ in people]
            base_stats = _run_clients(ctx, bare_targets, slug, args, min(args.ramp, 5.0), bare=True)
        finally:
            bare.terminate()
        acks = [x for st in base_stats for x in st["ack"]]
        baseline = {
            "answers_per_s": round(len(acks) / args.duration, 1),
            "ack_p50_s": round(percentile(acks, 50), 4) if acks else None,
            "ack_p99_s": round(percentile(acks, 99), 4) if acks else None,
            "errors": sum(len(st["errors"]) for st in base_stats),
        }

    merged = {
        key: [x for s in stats for x in s[key]] for key in ("ack", "submit", "start", "connect", "errors", "acked")
    }
    elapsed = args.duration

    from quiz import challenge_board
    from quiz.models import AttemptAnswer

    stored = {
        (attempt_id, index, tuple(choices))
        for attempt_id, index, choices in AttemptAnswer.objects.filter(
            attempt__participant__challenge_id=challenge_id
        ).values_list("attempt_id", "index", "choice_ids")
    }
    acked = {(attempt_id, index, (choice,)) for attempt_id, index, choice in merged["acked"]}

    def p(values, q):
        value = percentile(values, q)
        return None if value is None else round(value, 4)

    errors: dict[str, int] = {}
    for error in merged["errors"]:
        errors[error] = errors.get(error, 0) + 1
    result = {
        "benchmark": "challenge",
        "machine": machine(),
        "processes": args.processes,
        "client_processes": args.clients,
        "participants": args.participants,
        "duration_s": args.duration,
        "mode": args.mode,
        "think_s": args.think,
        "ramp_s": args.ramp,
        "attempts": sum(s["attempts"] for s in stats),
        "answers": len(merged["ack"]),
        "answers_per_s": round(len(merged["ack"]) / elapsed, 1),
        "ack_p50_s": p(merged["ack"], 50),
        "ack_p99_s": p(merged["ack"], 99),
        "submits": len(merged["submit"]),
        "submit_p50_s": p(merged["submit"], 50),
        "submit_p99_s": p(merged["submit"], 99),
        "start_p99_s": p(merged["start"], 99),
        "connect_p99_s": p(merged["connect"], 99),
        "errors": len(merged["errors"]),
        "error_kinds": errors,
        "answers_lost": len(acked - stored),
        "leaderboard_matches_db": challenge_board.matches_database(challenge_id),
    }
    if baseline is not None:
        result["baseline_bare_websockets"] = baseline
        if baseline["answers_per_s"]:
            result["answers_per_s_vs_baseline"] = round(result["answers_per_s"] / baseline["answers_per_s"], 2)
        if baseline["ack_p99_s"] and result["ack_p99_s"]:
            result["ack_p99_vs_baseline"] = round(result["ack_p99_s"] / baseline["ack_p99_s"], 1)
    write_json(args.json_path, result)


if __name__ == "__main__":
    main()
