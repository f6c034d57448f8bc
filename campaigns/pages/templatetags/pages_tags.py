from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def site_sections(context):
    """The home page's children marked "在菜单中显示", for the header navigation."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return list(Page.objects.live().public().in_menu().child_of(site.root_page).only("title", "url_path"))


@register.simple_tag
def page_description(page, fallback=""):
    """The sharing text of any page: its search description, else its summary or intro as plain text."""
    if page is None:
        return fallback
    for name in ("search_description", "summary", "intro", "hero_text"):
        value = getattr(page, name, "")
        if value:
            return strip_tags(str(value)).strip()
    return fallback


@register.simple_tag(takes_context=True)
def live_fragment(context, name):
    """A part of the page that must be current on every response (the home page's counters): rendered here, or
    left as a hole that the page cache fills for each visitor (:mod:`campaigns.pages.page_cache`)."""
    from campaigns.pages import page_cache

    return mark_safe(page_cache.render_fragment(context.get("request"), name))  # noqa: S308 - rendered template
