"""The fixed top of the page tree: Wagtail's root, the HomePage and the default Site.

Migrations create these once; :func:`ensure_home` recreates whatever is
missing (after a test flush, or on a damaged demo database) and is safe to
call any number of times.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from .models import HomePage

HOME_DEFAULTS = {"title": "首页", "slug": "home", "hero_title": "珍爱生命，远离毒品"}


def ensure_home() -> HomePage:
    """Return the site's HomePage, creating the locale, root, home and site as needed."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        )
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's placeholder page ("Welcome to your new Wagtail site!") holds the slug "home".
        for placeholder in root.get_children().filter(slug="home"):
            placeholder.delete()
        home = root.add_child(instance=HomePage(live=True, **HOME_DEFAULTS))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="净空")
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return home
