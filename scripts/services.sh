#!/usr/bin/env bash
# Source me: point the suite at PostgreSQL and Redis when they answer.
#   TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
#   TEST_REDIS_URL    (default redis://127.0.0.1:6379/15)
# Unreachable services: the suite falls back to the embedded default and the
# tests that need the service are skipped with a reason, unless
# REQUIRE_SERVICES=1, which makes this script fail instead.
: "${TEST_DATABASE_URL:=postgres://postgres@127.0.0.1:5432/test}"
: "${TEST_REDIS_URL:=redis://127.0.0.1:6379/15}"
export TEST_DATABASE_URL TEST_REDIS_URL
_py=${VENV_PY:-.venv/bin/python}

if "$_py" - "$TEST_DATABASE_URL" <<'PY' 2>/tmp/clearsky-pg-probe.err
import sys, psycopg, dj_database_url
c = dj_database_url.parse(sys.argv[1])
psycopg.connect(host=c["HOST"], port=c["PORT"] or 5432, user=c["USER"], password=c["PASSWORD"], dbname=c["NAME"], connect_timeout=3).close()
PY
then
  export DATABASE_URL="$TEST_DATABASE_URL"
  echo "services: PostgreSQL at $TEST_DATABASE_URL"
else
  echo "services: PostgreSQL unreachable at $TEST_DATABASE_URL ($(tail -1 /tmp/clearsky-pg-probe.err)); suite runs on SQLite"
  [ "${REQUIRE_SERVICES:-0}" = 1 ] && { echo "REQUIRE_SERVICES=1: PostgreSQL is required" >&2; return 1 2>/dev/null || exit 1; }
fi

if "$_py" -c "import sys, redis; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()" "$TEST_REDIS_URL" 2>/tmp/clearsky-redis-probe.err; then
  export REDIS_URL="$TEST_REDIS_URL"
  echo "services: Redis at $TEST_REDIS_URL"
else
  echo "services: Redis unreachable at $TEST_REDIS_URL; suite runs on the in-memory channel layer"
  [ "${REQUIRE_SERVICES:-0}" = 1 ] && { echo "REQUIRE_SERVICES=1: Redis is required" >&2; return 1 2>/dev/null || exit 1; }
fi
true
