"""Tests: fast hashing, a throw-away media folder, and the same service switches.

With no environment the suite runs on SQLite (a file, so a real Daphne
subprocess can share it); ``.ci/run`` sets ``DATABASE_URL`` and ``REDIS_URL``
so the whole suite runs on PostgreSQL and Redis. Service-only tests reach
PostgreSQL and Redis through ``TEST_DATABASE_URL`` / ``TEST_REDIS_URL``
(see tests/conftest.py).
"""

import os
import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, CHANNEL_LAYERS, DATABASES, REDIS_URL, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-key-clearsky"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="clearsky-media-"))
SERVE_MEDIA = True  # the tests' Daphne runs with DEBUG off and no nginx in front
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver", "[::1]"]

# pytest-django creates and drops test databases under the connection; a pool would hold them open.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # A file, not :memory:, so Daphne subprocesses in integration tests see it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-clearsky.sqlite3")}

# The page cache outlives a test's rolled-back rows, so it is off unless a test turns it on
# (tests/pages/test_page_cache.py); PAGE_CACHE_SECONDS=300 runs the suite with it.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))

# One namespace per test run, inherited by the Daphne subprocesses the tests
# start, so runs sharing a Redis never see each other's keys or groups.
TEST_RUN_ID = os.environ.setdefault("CLEARSKY_TEST_RUN", uuid.uuid4().hex[:10])
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"clearsky-test-{TEST_RUN_ID}"
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"clearsky-test-{TEST_RUN_ID}"
