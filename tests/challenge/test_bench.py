"""A small run of the challenge benchmark, so the harness keeps working (figures go to the report, not asserts)."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]


def test_small_challenge_benchmark_loses_nothing(tmp_path, redis_url, settings):
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/cs_chal_bench_ci",
        REDIS_URL=redis_url,
    )
    out = tmp_path / "challenge.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.challenge", "--participants", "6", "--duration", "4", "--ramp", "2",
         "--think", "0.2", "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["participants"] == 6
    assert figures["answers"] > 0 and figures["ack_p99_s"] is not None
    assert figures["answers_per_s"] == round(figures["answers"] / figures["duration_s"], 1)
    assert figures["submits"] > 0 and figures["errors"] == 0, figures["error_kinds"]
    assert figures["answers_lost"] == 0
    assert figures["leaderboard_matches_db"] is True
