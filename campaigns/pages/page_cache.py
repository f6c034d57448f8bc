"""Whole-page cache of the Wagtail page tree for anonymous visitors.

A cached page is what the visitor would get from a fresh render, only faster:

- Looked up and stored only for anonymous GET (and HEAD) requests with no messages waiting and no query
  parameters other than :data:`QUERY_PARAMS`; anyone signed in always gets a fresh render.
- Keyed by scheme, host, language (LocaleMiddleware's choice: cookie, then Accept-Language) and the full path, so
  English and Chinese never mix, and by a digest of the templates, translations and code (:func:`render_version`),
  so a deploy never serves pages rendered by the previous one.
- Every key carries a *generation* token that any change a page shows replaces (:func:`invalidate`, wired to
  Wagtail's and Django's signals in :mod:`campaigns.pages.signals`): publishing, unpublishing, moving,
  deleting or saving a page, view restrictions, sites, site settings, images, documents, districts,
  challenges. The token is replaced at once and again when the transaction commits, so no entry rendered
  before a change is served after it. With the local-memory cache (no ``REDIS_URL``) that holds within one
  process, which is the shape that cache is for; several processes share a Redis cache.
- What differs per visitor or per second is a hole in the stored text, filled on every response: the CSRF
  token (each visitor their own, never one visitor's token in another's page), the home page's counters and
  each challenge block (status, counts, board). A render that uses a real CSRF token, sets a cookie, writes
  the session, says ``Cache-Control: private`` (view restrictions) or is not a 200 is not stored.
- A page listing things that change with time (open challenges, upcoming events) limits its entry's life to
  the next such change (:func:`valid_until`); ``PAGE_CACHE_SECONDS`` bounds every entry.

The ``X-Page-Cache`` response header says what happened: ``hit``, ``miss`` (rendered; stored when allowed)
or ``bypass`` (not eligible).
"""

from __future__ import annotations

import base64
import datetime
import functools
import hashlib
import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import get_max_age
from wagtail import views as wagtail_views

logger = logging.getLogger(__name__)

GENERATION_KEY = "pages:page-cache:generation"
HEADER = "X-Page-Cache"
# Query parameters the page types read (pagination and the index pages' filters); any other query is rendered
# fresh and not stored, so made-up query strings cannot fill the cache.
QUERY_PARAMS = frozenset({"page", "tag", "district", "category"})
MAX_QUERY_VALUE = 32
# Response headers a stored page does not keep (the length changes as its holes are filled).
UNSTORED_HEADERS = frozenset({"content-length", HEADER.lower()})


def seconds() -> int:
    return max(0, int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0))


# Generations -------------------------------------------------------------------------------------------------


def generation() -> str | None:
    """The current generation token (created on first use); None when the cache does not answer."""
    try:
        value = cache.get(GENERATION_KEY)
        if value is None:
            cache.add(GENERATION_KEY, secrets.token_hex(8), None)
            value = cache.get(GENERATION_KEY)
    except Exception:  # a cache outage costs speed, never the page
        logger.warning("page cache: cache unavailable", exc_info=True)
        return None
    return value


def _replace_generation():
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), None)
    except Exception:
        logger.error("page cache: could not invalidate cached pages", exc_info=True)


def invalidate():
    """Retire every cached page: now (this transaction's own renders) and again once it commits.

    Before the commit another request may still read the old rows and store them under the new token; the second
    replacement retires those too.
    """
    _replace_generation()
    transaction.on_commit(_replace_generation)


# Rendering for the cache ---------------------------------------------------------------------------------------


@dataclass
class _Render:
    nonce: str
    expires_at: datetime.datetime | None = None

    @property
    def csrf(self) -> str:
        return f"pc{self.nonce}csrf"

    def hole(self, name: str, payload) -> str:
        data = "" if payload is None else base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
        return f"<!--pc{self.nonce}:{name}:{data}-->"

    @property
    def pattern(self) -> re.Pattern:
        return re.compile(rf"pc{self.nonce}csrf|<!--pc{self.nonce}:(\w+):([\w=-]*)-->")


def _state(request) -> _Render | None:
    return getattr(request, "_page_cache", None) if request is not None else None


def is_rendering(request) -> bool:
    """Whether ``request`` is rendering a page for the cache."""
    return _state(request) is not None


def valid_until(request, moment: datetime.datetime | None):
    """The page being rendered changes by itself at ``moment`` (a list filtered by the clock): store it no longer."""
    state = _state(request)
    if state is not None and moment is not None and (state.expires_at is None or moment < state.expires_at):
        state.expires_at = moment


# Holes: parts of a stored page rendered again for every response ---------------------------------------------

FRAGMENTS: dict[str, Callable] = {}


def fragment(name: str):
    """Register ``renderer(request, payload) -> str`` as the live fragment ``name``."""

    def register(renderer):
        FRAGMENTS[name] = renderer
        return renderer

    return register


def hole(request, name: str, payload=None) -> str | None:
    """The placeholder of fragment ``name`` when ``request`` renders for the cache; None otherwise (render it)."""
    state = _state(request)
    return state.hole(name, payload) if state is not None else None


def render_fragment(request, name: str, payload=None) -> str:
    return hole(request, name, payload) or FRAGMENTS[name](request, payload)


def context_processor(request):
    """While a page renders for the cache its CSRF token is a placeholder (comes after Django's own ``csrf``)."""
    state = _state(request)
    return {"csrf_token": state.csrf} if state is not None else {}


def _fill(request, text: str, nonce: str) -> str:
    """The stored text with this request's CSRF token and freshly rendered fragments in its holes."""
    token = None

    def replace(match):
        nonlocal token
        name = match.group(1)
        if name is None:
            if token is None:
                token = get_token(request)  # this visitor's own token; CsrfViewMiddleware sets their cookie
            return token
        data = match.group(2)
        payload = json.loads(base64.urlsafe_b64decode(data)) if data else None
        return str(FRAGMENTS[name](request, payload))

    return _Render(nonce).pattern.sub(replace, text)


# The view ---------------------------------------------------------------------------------------------------------


def _eligible(request) -> bool:
    if request.method not in ("GET", "HEAD") or not seconds():
        return False
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    if len(get_messages(request)):
        return False
    for name, values in request.GET.lists():
        if name not in QUERY_PARAMS or len(values) != 1 or len(values[0]) > MAX_QUERY_VALUE:
            return False
    return True


@functools.cache
def render_version() -> str:
    """A digest of what renders the pages besides their rows: templates, translations, this app's code and the
    static files' manifest. A deploy that changes any of them starts from an empty cache; processes of one
    deploy share theirs."""
    root = Path(settings.BASE_DIR)
    files = [
        *(Path(settings.SITE_DIR) / "templates").rglob("*.html"),
        *(Path(settings.SITE_DIR) / "locale").rglob("*.mo"),
        *(root / "campaigns" / "pages").rglob("*.py"),
        Path(settings.STATIC_ROOT) / "staticfiles.json",
    ]
    digest = hashlib.sha256()
    for path in sorted(files):
        if path.is_file():
            digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _key(request, token: str) -> str:
    parts = "\n".join([request.scheme, request.get_host(), translation.get_language() or "", request.get_full_path()])
    return f"pages:page-cache:{token}:{render_version()}:{hashlib.sha256(parts.encode()).hexdigest()}"


def _store_timeout(request, response, state: _Render) -> int:
    """Seconds to keep this render, 0 for never: only a plain public 200 that used nothing of the visitor's."""
    if request.method != "GET" or response.status_code != 200 or response.streaming or response.cookies:
        return 0
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return 0  # a real CSRF token went into the page
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return 0
    if len(get_messages(request)):
        return 0
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-cache", "no-store")) or get_max_age(response) == 0:
        return 0
    timeout = seconds()
    if state.expires_at is not None:
        timeout = min(timeout, int((state.expires_at - timezone.now()).total_seconds()))
    return max(0, timeout)


def serve(request, path):
    """Wagtail's page view (:func:`wagtail.views.serve`) behind the anonymous page cache."""
    if not _eligible(request):
        response = wagtail_views.serve(request, path)
        response[HEADER] = "bypass"
        return response
    token = generation()
    if token is None:
        return wagtail_views.serve(request, path)
    key = _key(request, token)
    try:
        entry = cache.get(key)
    except Exception:
        logger.warning("page cache: cache unavailable", exc_info=True)
        entry = None
    if entry is not None:
        response = HttpResponse(_fill(request, entry["text"], entry["nonce"]), status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response[HEADER] = "hit"
        return response

    state = _Render(secrets.token_hex(8))
    request._page_cache = state
    try:
        response = wagtail_views.serve(request, path)
        if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
            response.render()
    finally:
        # Error pages (404, 500) render after this, without holes.
        del request._page_cache
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        response[HEADER] = "miss"
        return response
    text = response.content.decode(response.charset)
    timeout = _store_timeout(request, response, state)
    if timeout:
        entry = {
            "nonce": state.nonce,
            "text": text,
            "status": response.status_code,
            "headers": [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS],
        }
        try:
            cache.set(key, entry, timeout)
        except Exception:
            logger.warning("page cache: could not store %s", request.path, exc_info=True)
    if state.nonce in text:
        response.content = _fill(request, text, state.nonce)
    response[HEADER] = "miss"
    return response


# The fragments ------------------------------------------------------------------------------------------------------


@fragment("counters")
def _counters(request, payload):
    from django.template.loader import render_to_string

    from .home import live_counters

    return render_to_string("pages/includes/counters.html", {"counters": live_counters()})


@functools.cache
def _challenge_entry_block():
    from .blocks import ChallengeEntryBlock

    return ChallengeEntryBlock()


@fragment("challenge")
def _challenge_block(request, payload):
    block = _challenge_entry_block()
    return block.render(block.to_python(payload), {"request": request})
