"""What retires the anonymous page cache (:mod:`campaigns.pages.page_cache`): every change a public page shows.

Wagtail's own signals cover publishing, unpublishing (including scheduled expiry) and moves; saving or deleting
any page covers deletions, copies and anything else written on a page's row, except what saving a draft or
locking writes (the editor's autosave must not empty the cache every few seconds). Besides pages, a public page
shows its view restrictions, the site, the footer's settings, images, documents, districts (badges, filters)
and challenges (the home page's open ones). Renditions and embeds are made while rendering and change nothing.
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import COMMENTS_RELATION_NAME, Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import page_cache

WATCHED_MODELS = {
    "wagtailcore.pageviewrestriction",
    "wagtailcore.site",
    "wagtailcore.locale",
    "schools.district",
    "quiz.challenge",
}


def watched_models() -> list:
    """Every installed model whose rows a public page shows."""
    extra = {get_image_model(), get_document_model()}
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page)
        or model._meta.app_label == "pages"
        or model._meta.label_lower in WATCHED_MODELS
        or model in extra
    ]


# What saving a draft (the editor's autosave too) or locking a page writes on its row: nothing the public sees.
DRAFT_FIELDS = frozenset(
    {
        COMMENTS_RELATION_NAME,
        "draft_title",
        "latest_revision",
        "latest_revision_created_at",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _model_changed(sender, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures being loaded
        return
    if update_fields and issubclass(sender, Page) and set(update_fields) <= DRAFT_FIELDS:
        return
    page_cache.invalidate()


def _page_changed(sender, **kwargs):
    page_cache.invalidate()


def connect():
    for model in watched_models():
        label = model._meta.label_lower
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
    page_published.connect(_page_changed, dispatch_uid="page-cache-published")
    page_unpublished.connect(_page_changed, dispatch_uid="page-cache-unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="page-cache-moved")
