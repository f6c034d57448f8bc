"""Live game benchmark: N real players on P Daphne processes, PostgreSQL + Redis, a headless host.

    python -m bench.live_game --players 2000 --processes 2 --questions 3 --json bench/results/live-2000.json

Starts P Daphne processes (DATABASE_URL and REDIS_URL from the environment;
defaults: the local PostgreSQL database ``clearsky_bench``, created and
migrated if needed, and Redis db 14), loads the seed question bank, runs
``manage.py host_game`` with a PIN file, connects N clients with the
``websockets`` library spread over client processes, and every client
answers every question after a think time drawn uniformly from 0..``--think``
seconds (0 = all at the same instant). Fan-out latency of a question is the time
from the server's ``opens_at`` (set just before the commit that publishes it)
to its arrival at a client; ack latency is from sending an answer to its
``answer_ack``. In the same run a bare ``websockets`` server broadcasts the
same question payload to the same N clients (bench.fanout's baseline).

Afterwards the database is the referee: every acknowledged answer must be
stored exactly once, and the Redis leaderboard must rank every player as the
database does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing as mp
import os
import random
import subprocess
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
from bench.fanout import _baseline_server, run_swarm

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clearsky_bench"


def _manage(env, *args, capture=False):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=capture, text=True
    )


def prepare_database(env):
    """Create (if needed) and migrate the bench database, and load the seed question bank."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(env["DATABASE_URL"])
    with psycopg.connect(
        host=config["HOST"], port=config["PORT"] or 5432, user=config["USER"], dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{config["NAME"]}"')
    _manage(env, "migrate", "--noinput", capture=True)
    script = (
        "import django; django.setup()\n"
        "from quiz.demo import seed\n"
        "from accounts.demo import ensure_user\n"
        "class Out:\n"
        "    def step(self, text): pass\n"
        "seed(Out())\n"
        "ensure_user('bench-host', 'bench-host-pw', display_name='压测主持人', is_superuser=True, is_staff=True)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)


# Players (child processes) ---------------------------------------------------------------------------------


async def _play(targets, pin, ready, results, deadline, think_time):
    import websockets

    stats = {
        "connected": 0,
        "joined": 0,
        "answers_sent": 0,
        "acks": 0,
        "acked": [],
        "fanout": [],
        "ack": [],
        "open_to_arrival": [],
    }
    stats["errors"] = []

    async def answer(ws, question_id, choice, sent_at):
        # People read before they tap: spread the answers over the think time, as a class or a hall does.
        await asyncio.sleep(random.uniform(0, think_time))
        sent_at[question_id] = time.time()
        await ws.send(json.dumps({"type": "answer", "question_id": question_id, "choice_ids": [choice]}))
        stats["answers_sent"] += 1

    pending: set = set()

    async def player(index, url, origin):
        try:
            async with semaphore:  # connect in waves, as a class (or a hall) does
                ws = await websockets.connect(url, origin=origin, open_timeout=120, ping_interval=None, max_queue=None)
        except Exception as exc:  # noqa: BLE001 - counted
            stats["errors"].append(f"connect: {type(exc).__name__}")
            return
        stats["connected"] += 1
        sent_at = {}
        try:
            await ws.send(json.dumps({"type": "join", "nickname": f"压测{index}"}))
            while time.time() < deadline:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=max(1, deadline - time.time())))
                kind = message["type"]
                if kind == "joined":
                    stats["joined"] += 1
                    if stats["joined"] == len(targets):
                        ready_event.set()
                elif kind == "question" and "answered" not in message:
                    arrived = time.time()
                    stats["fanout"].append(arrived - message["server_time"])
                    stats["open_to_arrival"].append(arrived - message["opens_at"])
                    choice = random.choice(message["choices"])["id"]
                    pending.add(asyncio.ensure_future(answer(ws, message["question_id"], choice, sent_at)))
                elif kind == "answer_ack":
                    stats["ack"].append(time.time() - sent_at[message["question_id"]])
                    stats["acks"] += 1
                    stats["acked"].append((message["question_id"], index))
                elif kind == "error":
                    stats["errors"].append(message["code"])
                elif kind == "game_over":
                    break
        except Exception as exc:  # noqa: BLE001 - counted
            stats["errors"].append(f"{type(exc).__name__}")
        finally:
            await ws.close()

    ready_event = asyncio.Event()
    semaphore = asyncio.Semaphore(100)
    tasks = [asyncio.ensure_future(player(i, url, origin)) for i, url, origin in targets]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(ready_event.wait(), timeout=300)
    ready.put(stats["joined"])
    await asyncio.gather(*tasks)
    results.put(stats)


def _player_process(targets, pin, ready, results, deadline, think_time):
    raise_fd_limit()
    asyncio.run(_play(targets, pin, ready, results, deadline, think_time))


def _from(queue, procs, timeout):
    """The next item a client process reports, failing fast if one of them died instead."""
    import queue as queues

    end = time.time() + timeout
    while time.time() < end:
        try:
            return queue.get(timeout=1)
        except queues.Empty:
            dead = [proc.exitcode for proc in procs if proc.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(f"a client process died (exit codes {dead})") from None
    raise TimeoutError("client processes did not report in time")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--players", type=int, default=50)
    parser.add_argument("--processes", type=int, default=2, help="Daphne processes")
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--questions", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20, help="seconds per question")
    parser.add_argument("--json", dest="json_path")
    parser.add_argument("--think", type=float, default=2.0, help="each answer waits 0..THINK s (uniform)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    raise_fd_limit()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "0",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        "REDIS_URL": os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL,
        "CHANNELS_PREFIX": f"bench-live-{os.getpid()}",
        "LOG_LEVEL": "WARNING",
    }
    prepare_database(env)
    log_dir = ROOT / "bench" / "results" / "logs"
    servers = [DaphneServer(env, log_dir).start() for _ in range(args.processes)]
    pin_file = log_dir / f"pin-{os.getpid()}.txt"
    pin_file.unlink(missing_ok=True)
    host = subprocess.Popen(
        [
            sys.executable, "manage.py", "host_game", "--draw", str(args.questions), "--band", "初中",
            "--host", "bench-host", "--seconds", str(args.seconds), "--auto-advance", "1",
            "--wait-players", str(args.players), "--start-after", "600", "--pin-file", str(pin_file),
        ],
        cwd=ROOT, env=env, stdout=open(log_dir / "host_game.log", "ab"), stderr=subprocess.STDOUT,  # noqa: SIM115
    )  # fmt: skip
    try:
        while not pin_file.exists() or not pin_file.read_text().strip():
            if host.poll() is not None:
                raise RuntimeError("host_game exited early; see bench/results/logs/host_game.log")
            time.sleep(0.2)
        pin, game_id = pin_file.read_text().split()
        rss_before = sum(server.rss_kb() for server in servers)
        ctx = mp.get_context("spawn")
        ready, results = ctx.Queue(), ctx.Queue()
        deadline = time.time() + 300 + args.questions * (args.seconds + 10)
        targets = [
            (i, f"{servers[i % len(servers)].ws_url}/ws/play/{pin}/", servers[i % len(servers)].url)
            for i in range(args.players)
        ]
        procs = [
            ctx.Process(
                target=_player_process,
                args=(targets[k :: args.client_processes], pin, ready, results, deadline, args.think),
            )
            for k in range(args.client_processes)
        ]
        for proc in procs:
            proc.start()
        joined = sum(_from(ready, procs, 600) for _ in procs)
        rss_after = sum(server.rss_kb() for server in servers)
        gathered = [_from(results, procs, deadline - time.time() + 60) for _ in procs]
        for proc in procs:
            proc.join(30)
        host.wait(120)
        verdict = json.loads(
            _manage(
                env,
                "shell",
                "-c",
                "import json\n"
                "from quiz.models import PlayerAnswer\n"
                "from quiz import leaderboard\n"
                f"answers = PlayerAnswer.objects.filter(game_id={game_id})\n"
                "rows = list(answers.values_list('player__nickname', 'question_id'))\n"
                f"print(json.dumps({{'rows': rows, 'matches': leaderboard.matches_database({game_id})}}))",
                capture=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
    finally:
        if host.poll() is None:
            host.kill()
        for server in servers:
            server.stop()

    persisted = {(nickname, question_id) for nickname, question_id in verdict["rows"]}
    acked = {(f"压测{index}", question_id) for item in gathered for question_id, index in item["acked"]}
    fanout = [v for item in gathered for v in item["fanout"]]
    open_to_arrival = [v for item in gathered for v in item["open_to_arrival"]]
    acks = [v for item in gathered for v in item["ack"]]
    answers_sent = sum(item["answers_sent"] for item in gathered)
    errors = [e for item in gathered for e in item["errors"]]

    baseline_p99 = None
    if not args.skip_baseline:
        control = ctx.Queue()
        port = free_port()
        baseline = ctx.Process(target=_baseline_server, args=(port, control))
        baseline.start()
        try:
            control.get(timeout=30)
            from bench.fanout import event_frame

            _c, _r, base_latencies = run_swarm(
                [(f"ws://127.0.0.1:{port}/", None)] * args.players,
                None,
                args.questions,
                lambda i: control.put(event_frame(i)),
                args.client_processes,
            )
            baseline_p99 = percentile(base_latencies, 99)
        finally:
            control.put(None)
            baseline.join(10)

    expected_deliveries = args.players * args.questions
    p99 = percentile(fanout, 99)
    result = {
        "benchmark": "live_game",
        "players": args.players,
        "processes": args.processes,
        "questions": args.questions,
        "think_s": args.think,
        "connected": sum(item["connected"] for item in gathered),
        "joined": joined,
        "delivered_pct": round(100 * len(fanout) / expected_deliveries, 3) if expected_deliveries else 0,
        "fanout_p50_s": percentile(fanout, 50),
        "fanout_p99_s": p99,
        "open_to_arrival_p99_s": percentile(open_to_arrival, 99),
        "baseline_fanout_p99_s": baseline_p99,
        "fanout_ratio_vs_baseline": round(p99 / baseline_p99, 2) if p99 and baseline_p99 else None,
        "ack_p50_s": percentile(acks, 50),
        "ack_p99_s": percentile(acks, 99),
        "answers_sent": answers_sent,
        "answers_acked": len(acked),
        "answers_persisted": len(verdict["rows"]),
        "answers_lost": len(acked - persisted),
        "answers_duplicated": len(verdict["rows"]) - len(persisted),
        "leaderboard_matches_db": verdict["matches"],
        "rss_per_conn_kb": round((rss_after - rss_before) / max(joined, 1), 1),
        "errors": sorted(set(errors))[:20],
        "error_count": len(errors),
        "machine": machine(),
    }
    write_json(args.json_path, result)
    return result


if __name__ == "__main__":
    main()
