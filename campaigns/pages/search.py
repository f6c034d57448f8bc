"""Site search that finds Chinese words.

Wagtail's database backends (SQLite FTS5, PostgreSQL tsvector with the
"simple"/"english" configuration) split text on whitespace and punctuation,
so "禁毒" is not found inside "禁毒宣传月". :func:`search_pages` asks Wagtail
first and then adds pages whose title, search description or readable text
(``search_text``, kept by :class:`~campaigns.pages.models.PlainTextMixin`)
contain the query as a substring, which works on SQLite and PostgreSQL alike.
"""

from django.db.models import Q
from wagtail.models import Page

from .fields import PlainTextMixin

BACKEND_LIMIT = 200


def _text_lookups():
    """``campaignpage__search_text`` etc.: one join per page type that keeps plain text."""
    return [
        f"{model._meta.model_name}__search_text" for model in PlainTextMixin.__subclasses__() if issubclass(model, Page)
    ]


def search_pages(query: str) -> list[Page]:
    """Live, public pages matching ``query``: Wagtail's ranked hits first, then substring hits."""
    query = query.strip()
    if not query:
        return []
    live = Page.objects.live().public().specific()
    ranked = list(live.search(query, operator="and")[:BACKEND_LIMIT])
    seen = {page.pk for page in ranked}
    condition = Q(title__icontains=query) | Q(search_description__icontains=query)
    for lookup in _text_lookups():
        condition |= Q(**{f"{lookup}__icontains": query})
    substring = live.filter(condition).exclude(pk__in=seen).exclude(depth__lte=1).order_by("-last_published_at")
    return ranked + list(substring)
