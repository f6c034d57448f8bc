"""A small publicity tree built with the ORM, and the three kinds of publicity staff."""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images.models import Image

from accounts import roles
from campaigns.pages.models import ArticleIndexPage, CampaignIndexPage, CampaignPage, DrugFactIndexPage
from campaigns.pages.review import ensure_district_editors, ensure_review_workflow
from campaigns.pages.site_tree import ensure_home
from campaigns.schools.models import District
from tests.factories import UserFactory


def png_bytes(size=(40, 30), colour=(200, 30, 30)):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(title="测试图片"):
    return Image.objects.create(title=title, file=ImageFile(io.BytesIO(png_bytes()), name="test.png"))


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


class Tree:
    def __init__(self):
        roles.ensure_role_groups()
        self.home = ensure_home()
        ensure_review_workflow()
        self.lst = District.objects.get_or_create(code="431103", defaults={"name": "冷水滩区"})[0]
        self.ll = District.objects.get_or_create(code="431102", defaults={"name": "零陵区"})[0]
        self.campaigns = self.home.add_child(instance=CampaignIndexPage(title="宣传活动", slug="campaigns"))
        publish(self.campaigns)
        self.lst_index = self.campaigns.add_child(
            instance=CampaignIndexPage(title="冷水滩区", slug="lengshuitan", district=self.lst)
        )
        publish(self.lst_index)
        self.ll_index = self.campaigns.add_child(
            instance=CampaignIndexPage(title="零陵区", slug="lingling", district=self.ll)
        )
        publish(self.ll_index)
        self.news = self.home.add_child(instance=ArticleIndexPage(title="新闻动态", slug="news"))
        publish(self.news)
        self.drugs = self.home.add_child(instance=DrugFactIndexPage(title="认识毒品", slug="drugs"))
        publish(self.drugs)

    def campaign(self, parent=None, title="6·26 禁毒宣传月", slug="june", **fields):
        page = CampaignPage(
            title=title, slug=slug, start_date=fields.pop("start_date", datetime.date(2026, 6, 1)), **fields
        )
        (parent or self.campaigns).add_child(instance=page)
        return publish(page)


@pytest.fixture
def tree(db):
    return Tree()


@pytest.fixture
def editor(tree):
    return UserFactory(username="editor_t", roles=[roles.PUBLICITY_EDITOR])


@pytest.fixture
def approver(tree):
    return UserFactory(username="approver_t", roles=[roles.PUBLICITY_APPROVER])


@pytest.fixture
def lst_editor(tree):
    group = ensure_district_editors(tree.lst, tree.lst_index)
    return UserFactory(username="editor_lst_t", roles=[group.name])
