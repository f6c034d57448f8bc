"""RSS and Atom feeds of the news (新闻动态)."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import ArticleIndexPage, ArticlePage

FEED_ITEMS = 20


class NewsFeed(Feed):
    title = _("净空 · 禁毒新闻动态")
    description = _("禁毒宣传活动、学校毒品预防教育和志愿服务的最新消息。")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return ArticleIndexPage.objects.live().first()

    def link(self, index):
        return index.get_url(self.request) if index else "/"

    def items(self, index):
        articles = ArticlePage.objects.live().public().order_by("-date", "-pk")
        return articles.child_of(index)[:FEED_ITEMS] if index else articles.none()

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.intro or article.search_description

    def item_link(self, article):
        return article.get_full_url(self.request)

    def item_pubdate(self, article):
        return article.first_published_at

    def item_updateddate(self, article):
        return article.last_published_at


class NewsAtomFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description
