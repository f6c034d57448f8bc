"""The newcomer's path (`make run`): no environment at all, SQLite, in-memory layer.

Runs the real commands in a fresh interpreter against a throw-away var/ folder:
migrate, seed_demo twice, then a real Daphne serving the home page and /healthz.
"""

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT, free_port
from tests.test_settings import clean_env

pytestmark = pytest.mark.integration


def test_embedded_default_sets_up_and_serves(tmp_path):
    env = clean_env(DJANGO_SETTINGS_MODULE="config.settings.dev", CLEARSKY_VAR_DIR=str(tmp_path / "var"))
    env["MEDIA_ROOT"] = str(tmp_path / "media")

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput")
    first = manage("seed_demo")
    second = manage("seed_demo")  # idempotent
    assert "admin / clearsky-admin" in first and "admin / clearsky-admin" in second
    assert (tmp_path / "var" / "clearsky.sqlite3").exists()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert health["status"] == "ok"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            html = response.read().decode()
        assert response.status == 200 and "珍爱生命，远离毒品" in html
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5) as response:
            assert response.status == 200
    finally:
        server.terminate()
        server.wait(10)
