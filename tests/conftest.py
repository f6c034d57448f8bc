"""Shared fixtures: real services, real Daphne processes, real Chromium.

Nothing here mocks a service. When PostgreSQL, Redis or Chromium is missing
the tests that need it are skipped with the reason printed, unless
``REQUIRE_SERVICES=1`` (as in CI), which turns every such skip into a failure.
"""

import os
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bench._harness import DaphneServer, free_port  # noqa: F401 - tests import free_port from here

# Property tests check behaviour, not speed: no per-example deadline, and no "too slow" health check,
# which a shared two-core machine under load would trip at random.
hypothesis_settings.register_profile(
    "clearsky", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
hypothesis_settings.load_profile("clearsky")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def service_unavailable(reason: str):
    """Skip (locally) or fail (REQUIRE_SERVICES=1) a test whose service is missing."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} — REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_bank_cache():
    """Each test starts without the previous one's questions: a rolled-back test never commits, so the bank
    cache's on-commit invalidation (quiz.bank_cache) does not run for it."""
    from quiz import bank_cache

    bank_cache.clear()
    yield
    bank_cache.clear()


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres"):
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            service_unavailable("needs PostgreSQL: run the suite with DATABASE_URL=postgres://… (make test does)")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, plus: end stray sessions before they are dropped.

    Async tests reach the ORM through ``sync_to_async``, whose worker thread keeps its own connection
    open; PostgreSQL refuses to drop a database with sessions on it.
    """
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(scope="session")
def redis_url():
    """A reachable Redis (TEST_REDIS_URL, default db 15 on the local server)."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        service_unavailable(f"Redis at {TEST_REDIS_URL} unreachable: {exc}")
    return TEST_REDIS_URL


def database_url_for_subprocess() -> str:
    """The URL of the *test* database, for server processes the tests start."""
    from django.db import connection

    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(s['NAME']).resolve()}"
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def daphne_env(redis_url: str | None = None, extra_env: dict | None = None) -> dict:
    """What a test's Daphne process runs on: the test settings and database, and the suite's channel layer
    unless ``redis_url`` names another ("" for the in-memory layer)."""
    from django.conf import settings

    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_for_subprocess(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "REDIS_URL": (redis_url if redis_url is not None else settings.REDIS_URL) or "",
        **(extra_env or {}),
    }


@pytest.fixture
def base_data(transactional_db):
    """Recreate what data migrations made (roles, the page tree), which a transactional flush removes."""
    from wagtail.models import Collection

    from accounts.roles import ensure_role_groups
    from campaigns.pages.review import ensure_review_workflow
    from campaigns.pages.site_tree import ensure_home

    ensure_role_groups()
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = ensure_home()
    ensure_review_workflow()
    return home


@pytest.fixture
def daphne_factory(base_data):
    """Start real Daphne processes (bench's ``DaphneServer``) on demand: ``daphne_factory(redis_url=..., name=...)``.

    Tests using it are transactional: the servers must see committed rows.
    """
    started = []

    def start(*, redis_url: str | None = None, name: str = "daphne", extra_env: dict | None = None):
        server = DaphneServer(daphne_env(redis_url, extra_env), ARTIFACTS, name=name).start(timeout=30)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def daphne_server(daphne_factory):
    """One real Daphne process on the suite's database and channel layer."""
    return daphne_factory()


# Browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module (Playwright's loop must not outlive it: async tests follow)."""
    if not Path(CHROMIUM).exists():
        service_unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium chromium-driver)")
    # Playwright's sync API runs an event loop in a greenlet; Django must not
    # mistake the test's own ORM calls for calls from async code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.fixture
def new_page(browser):
    """``new_page(phone=False)`` opens a page in a fresh context (own cookies, own storage)."""
    contexts = []

    def open_page(phone: bool = False, locale: str = "zh-CN"):
        context = browser.new_context(locale=locale, **(PHONE if phone else DESKTOP))
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under tests/artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
