from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern

from campaigns.pages import page_cache

from .health import healthz


def public_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("accounts.urls")),
    path("schools/", include("campaigns.schools.urls")),
    path("volunteers/", include("campaigns.volunteers.urls")),
    path("quiz/", include("quiz.urls")),
    path("play/", include("quiz.play_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("sitemap.xml", sitemap, name="sitemap"),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    # Public uploads (Wagtail images, documents) for development and the tests' Daphne; in production nginx
    # serves /media/. Five-ones evidence shows minors and is only ever served through its checking view.
    urlpatterns += [
        re_path(r"^media/(?!fiveones/)(?P<path>.*)$", public_media),
    ]

# Wagtail serves every other path from the page tree; keep it last. Its pages go through the anonymous page cache
# (campaigns.pages.page_cache); its own _util/ views and the "wagtail_serve" name stay in wagtail_urls.
urlpatterns += [
    path("", include("campaigns.pages.urls")),
    re_path(r"^(?!_util/)" + serve_pattern.removeprefix("^"), page_cache.serve),
    path("", include(wagtail_urls)),
]
