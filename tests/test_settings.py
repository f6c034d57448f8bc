"""The environment switches, checked in fresh interpreters so nothing leaks in."""

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

PRINT_SHAPE = """
import json, django
django.setup()
from django.conf import settings
layer = settings.CHANNEL_LAYERS["default"]
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "layer": layer["BACKEND"],
    "hosts": layer.get("CONFIG", {}).get("hosts"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "lang": settings.LANGUAGE_CODE,
    "pool": settings.DATABASES["default"].get("OPTIONS", {}).get("pool"),
    "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
}))
"""

SERVICE_VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "CLEARSKY_VAR_DIR",
)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS and not k.startswith("DJANGO_")}
    env.update(extra)
    return env


def run(code_or_args, env):
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_embedded_default_needs_no_environment():
    result = run(PRINT_SHAPE, clean_env(DJANGO_SETTINGS_MODULE="config.settings.dev"))
    assert result.returncode == 0, result.stderr
    shape = json.loads(result.stdout.strip().splitlines()[-1])
    assert shape["db"] == "django.db.backends.sqlite3"
    assert shape["db_name"].endswith("var/clearsky.sqlite3")
    assert shape["layer"] == "channels.layers.InMemoryChannelLayer"
    assert shape["cache"].endswith("LocMemCache")
    assert shape["lang"] == "zh-hans"


def test_service_urls_switch_to_postgres_and_redis():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL="postgres://u:p@db.example:5432/clearsky",
        REDIS_URL="redis://cache.example:6379/2",
    )
    result = run(PRINT_SHAPE, env)
    assert result.returncode == 0, result.stderr
    shape = json.loads(result.stdout.strip().splitlines()[-1])
    assert shape["db"] == "django.db.backends.postgresql"
    # Daphne runs sync code on many threads: a bounded pool, not per-thread persistent connections.
    assert shape["conn_max_age"] == 0 and shape["pool"]["max_size"] >= 1
    assert shape["layer"] == "channels_redis.core.RedisChannelLayer"
    assert shape["cache"] == "django.core.cache.backends.redis.RedisCache"
    # redis-py 8 defaults kill idle channels-redis sockets: no timeout, a big pool.
    (host,) = shape["hosts"]
    assert host["address"] == "redis://cache.example:6379/2"
    assert host["socket_timeout"] is None
    assert host["max_connections"] >= 1000


def test_production_refuses_to_start_without_a_secret_key():
    result = run([sys.executable, "manage.py", "check"], clean_env(DJANGO_SETTINGS_MODULE="config.settings.production"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_check_deploy_is_clean():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="jingkong.example.cn",
        CSRF_TRUSTED_ORIGINS="https://jingkong.example.cn",
    )
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)." in output
    assert "WARNINGS" not in output


def test_system_checks_pass_on_postgres_and_redis_shape():
    env = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL="postgres://u:p@db.example:5432/clearsky",
        REDIS_URL="redis://cache.example:6379/2",
    )
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode == 0, result.stdout + result.stderr
