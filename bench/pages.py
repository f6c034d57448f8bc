"""Page rendering benchmark: the home page and a campaign page on two Daphne processes with PostgreSQL.

    python -m bench.pages --requests 2000 --concurrency 16 --json bench/results/pages.json

Prepares the database named by ``DATABASE_URL`` (default
postgres://postgres@127.0.0.1:5432/cs_pages_bench): creates it if missing,
migrates it and loads the demo content (``seed_demo``), then collects static
files. It starts two Daphne processes with the production settings (DEBUG
off, cached templates, WhiteNoise; TLS redirect off because the bench speaks
plain HTTP to 127.0.0.1) and, for each target in turn, sends N requests from C
keep-alive connections spread over both processes.

The baseline, measured in the same run, is a static file served by WhiteNoise
through the same Daphne + Django stack: the floor any page request pays
before a template is rendered or a query is run. Figures: requests per
second, p50 and p99 latency, and each page's rate as a share of the baseline.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse

from bench._harness import ROOT, DaphneServer, machine, percentile, write_json

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cs_pages_bench"
TARGETS = [
    ("baseline: static file (WhiteNoise)", "/static/css/site.css"),
    ("home page", "/"),
    ("campaign page", "/campaigns/626-month/"),
]


OVERRIDE_DIR = ROOT / "bench" / "results" / "settings"
OVERRIDE_MODULE = "bench_pages_settings"


def settings_module(conn_max_age: int | None) -> str:
    """The production settings, optionally with CONN_MAX_AGE replaced (a generated module, git-ignored).

    config.settings.base keeps PostgreSQL connections for 60 s; under ASGI each
    request runs in its own thread, so those connections pile up until the
    server refuses more ("too many clients"). Django's documentation says to
    disable persistent connections under ASGI; ``--conn-max-age 0`` measures that.
    """
    if conn_max_age is None:
        return "config.settings.production"
    OVERRIDE_DIR.mkdir(parents=True, exist_ok=True)
    (OVERRIDE_DIR / f"{OVERRIDE_MODULE}.py").write_text(
        "from config.settings.production import *  # noqa: F403\n"
        f'DATABASES["default"]["CONN_MAX_AGE"] = {conn_max_age}  # noqa: F405\n'
    )
    return OVERRIDE_MODULE


def server_env(database_url: str, conn_max_age: int | None = None) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": settings_module(conn_max_age),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(OVERRIDE_DIR), str(ROOT), os.environ.get("PYTHONPATH")])),
        "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
        "MEDIA_ROOT": str(ROOT / "bench" / "results" / "media"),
    }


def create_database(database_url: str):
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict):
    """Migrate, load the demo content and collect static files, as a deployment would."""
    full_env = {**os.environ, **env}
    for command in (["migrate", "--noinput"], ["seed_demo", "--allow-production"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=full_env, check=True)


def _worker(base_url, path, count, latencies, errors, lock):
    parsed = urlparse(base_url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    mine = []
    failed = 0
    for _ in range(count):
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Host": "localhost", "Accept-Language": "zh-CN"})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failed += 1
        except (OSError, http.client.HTTPException):
            failed += 1
            connection.close()
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
            continue
        mine.append(time.perf_counter() - started)
    connection.close()
    with lock:
        latencies.extend(mine)
        errors.append(failed)


def measure(servers, path: str, requests: int, concurrency: int) -> dict:
    """``requests`` GETs of ``path`` over ``concurrency`` keep-alive connections, round-robin over servers."""
    # Warm up: each process renders the page once (template compilation, first queries).
    for server in servers:
        _worker(server.url, path, 5, [], [], threading.Lock())
    latencies, errors, lock = [], [], threading.Lock()
    per_worker = [requests // concurrency + (1 if i < requests % concurrency else 0) for i in range(concurrency)]
    threads = [
        threading.Thread(
            target=_worker, args=(servers[i % len(servers)].url, path, per_worker[i], latencies, errors, lock)
        )
        for i in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "path": path,
        "requests": requests,
        "errors": sum(errors),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99) * 1000, 1) if latencies else None,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="requests per target")
    parser.add_argument("--concurrency", type=int, default=16, help="keep-alive connections")
    parser.add_argument("--processes", type=int, default=2, help="Daphne processes")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=None,
        help="override CONN_MAX_AGE for the servers (default: the production settings as shipped)",
    )
    parser.add_argument("--skip-prepare", action="store_true", help="the database is already migrated and seeded")
    parser.add_argument("--json", dest="json_path")
    args = parser.parse_args(argv)

    if not args.skip_prepare:
        create_database(args.database_url)
        prepare(server_env(args.database_url))
    env = server_env(args.database_url, args.conn_max_age)
    servers = [DaphneServer(env, ROOT / "bench" / "results" / "logs").start() for _ in range(args.processes)]
    try:
        results = {label: measure(servers, path, args.requests, args.concurrency) for label, path in TARGETS}
    finally:
        for server in servers:
            server.stop()
    baseline = results[TARGETS[0][0]]["requests_per_second"]
    for label, _path in TARGETS[1:]:
        results[label]["share_of_baseline"] = round(results[label]["requests_per_second"] / baseline, 3)
    write_json(
        args.json_path,
        {
            "benchmark": "pages",
            "machine": machine(),
            "processes": args.processes,
            "concurrency": args.concurrency,
            "conn_max_age": "as shipped (60)" if args.conn_max_age is None else args.conn_max_age,
            "database": urlparse(args.database_url)
            ._replace(netloc=urlparse(args.database_url).hostname or "")
            .geturl(),
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
