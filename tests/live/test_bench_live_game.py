"""A small run of the live-game benchmark, so the harness keeps working (figures go to docs, not asserts)."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]


def test_small_live_game_benchmark_loses_nothing(tmp_path, redis_url, settings):
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/clearsky_bench_ci",
        REDIS_URL=redis_url,
    )
    out = tmp_path / "live.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench.live_game", "--players", "50", "--questions", "2", "--seconds", "10",
         "--json", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["joined"] == 50
    assert figures["delivered_pct"] == 100
    assert figures["answers_sent"] == figures["answers_acked"] == figures["answers_persisted"] == 100
    assert figures["answers_lost"] == 0 and figures["answers_duplicated"] == 0
    assert figures["leaderboard_matches_db"] is True
    assert figures["baseline_fanout_p99_s"] is not None
