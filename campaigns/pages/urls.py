"""Routes of the publicity site outside the page tree (included before Wagtail's catch-all)."""

from django.urls import path

from . import feeds, views

app_name = "pages"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("feeds/news/rss/", feeds.NewsFeed(), name="news_rss"),
    path("feeds/news/atom/", feeds.NewsAtomFeed(), name="news_atom"),
]
