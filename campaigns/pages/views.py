from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import paginate
from .search import search_pages

MAX_QUERY = 100


def search(request):
    """/search/?q=禁毒: Wagtail search with a substring fallback for Chinese."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = paginate(request, search_pages(query), per_page=10) if query else None
    return render(
        request,
        "pages/search.html",
        {"query": query, "results": results, "page_title": _("搜索")},
    )
