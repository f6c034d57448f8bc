"""The publicity site: home, campaigns, news, the drug-knowledge library, plain pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.rich_text import get_text_for_indexing
from wagtail.search import index

from .blocks import BodyBlock
from .fields import MultipleChoiceField, PlainTextMixin

PER_PAGE = 9

# "六进": where a campaign goes. Fixed by the national publicity programme, so
# a choice set in code rather than free tags.
SIX_INTOS = [
    ("family", _("进家庭")),
    ("rural", _("进农村")),
    ("community", _("进社区")),
    ("enterprise", _("进企业")),
    ("workplace", _("进单位")),
    ("venue", _("进场所")),
]


def _image_fk(verbose_name):
    return models.ForeignKey(
        "wagtailimages.Image",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def paginate(request, queryset, per_page=PER_PAGE):
    """One page of ``queryset`` for ``?page=N`` (out-of-range numbers give the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class HomePage(Page):
    """The site's front page: the campaign of the moment and ways in."""

    hero_title = models.CharField(_("主标题"), max_length=80, default="珍爱生命，远离毒品")
    hero_text = models.CharField(_("副标题"), max_length=200, blank=True)
    hero_image = _image_fk(_("头图"))
    intro = RichTextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("hero_image")], heading=_("头图")
        ),
        FieldPanel("intro"),
        InlinePanel("featured_campaigns", label=_("精选活动"), heading=_("精选活动")),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "pages.CampaignIndexPage",
        "pages.ArticleIndexPage",
        "pages.DrugFactIndexPage",
        "pages.StandardPage",
    ]

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")

    def get_context(self, request, *args, **kwargs):
        from .home import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context


class HomeFeaturedCampaign(Orderable):
    home = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_campaigns")
    campaign = models.ForeignKey("pages.CampaignPage", models.CASCADE, related_name="+", verbose_name=_("宣传活动"))

    panels = [FieldPanel("campaign")]

    class Meta(Orderable.Meta):
        verbose_name = _("精选活动")


class CampaignIndexPage(PlainTextMixin, Page):
    """A list of campaigns: the city's, or (nested) one district's subtree."""

    intro = RichTextField(_("导语"), blank=True)
    district = models.ForeignKey(
        "schools.District",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("区县"),
        help_text=_("区县栏目填写；该区县的宣传编辑只能编辑本栏目下的活动。"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("district")]
    parent_page_types = ["pages.HomePage", "pages.CampaignIndexPage"]
    subpage_types = ["pages.CampaignIndexPage", "pages.CampaignPage"]

    class Meta:
        verbose_name = _("宣传活动栏目")
        verbose_name_plural = _("宣传活动栏目")

    def text_for_search(self):
        return [get_text_for_indexing(self.intro)]

    def get_context(self, request, *args, **kwargs):
        from campaigns.schools.models import District

        context = super().get_context(request, *args, **kwargs)
        campaigns = (
            CampaignPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("hero_image")
            .prefetch_related("districts")
            .order_by("-start_date", "-pk")
        )
        tag = request.GET.get("tag", "")
        if tag in dict(SIX_INTOS):
            campaigns = campaigns.filter(six_intos__contains=f",{tag},")
        district = request.GET.get("district", "")
        if district:
            campaigns = campaigns.filter(districts__code=district).distinct()
        context.update(
            campaigns=paginate(request, campaigns),
            six_intos=SIX_INTOS,
            districts=District.objects.all(),
            selected_tag=tag,
            selected_district=district,
        )
        return context


class CampaignPage(PlainTextMixin, Page):
    """One campaign: 6·26 month, a term-start lesson, a festival, a "六进" activity."""

    theme = models.CharField(_("主题"), max_length=120, blank=True)
    summary = models.TextField(_("简介"), max_length=300, blank=True, help_text=_("列表和分享卡片上显示。"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    districts = ParentalManyToManyField("schools.District", blank=True, related_name="+", verbose_name=_("区县"))
    six_intos = MultipleChoiceField(_("“六进”"), item_choices=SIX_INTOS)
    hero_image = _image_fk(_("头图"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("正文"))
    # The quiz app's Challenge model does not exist yet; until it does, a link
    # (e.g. /quiz/challenges/3/) stands in for a chooser of that model.
    related_challenge_url = models.CharField(_("关联知识挑战赛链接"), max_length=300, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("活动时间")),
        FieldPanel("districts", widget=forms.CheckboxSelectMultiple),
        FieldPanel("six_intos"),
        FieldPanel("hero_image", help_text=_("在图片编辑页设置焦点，裁剪时会保留焦点区域。")),
        FieldPanel("body"),
        InlinePanel("events", label=_("活动安排"), heading=_("活动安排")),
        FieldPanel("related_challenge_url"),
        InlinePanel("gallery_images", label=_("活动图集"), heading=_("活动图集")),
        InlinePanel("materials", label=_("宣传资料下载"), heading=_("宣传资料下载")),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("theme"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("start_date"),
    ]

    parent_page_types = ["pages.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("宣传活动")
        verbose_name_plural = _("宣传活动")

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期。")})

    def text_for_search(self):
        return [self.theme, self.summary, *self.stream_text(self.body)]

    @property
    def six_into_labels(self):
        return self._meta.get_field("six_intos").labels(self.six_intos)

    @property
    def social_image(self):
        return self.hero_image

    def upcoming_events(self):
        return self.events.filter(starts_at__gte=timezone.now())


class CampaignEvent(Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("活动名称"), max_length=100)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=120, blank=True)

    panels = [FieldPanel("title"), FieldPanel("starts_at"), FieldPanel("place")]

    class Meta(Orderable.Meta):
        verbose_name = _("活动安排")


class CampaignGalleryImage(Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="gallery_images")
    image = models.ForeignKey("wagtailimages.Image", models.CASCADE, related_name="+", verbose_name=_("图片"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("活动图片")


class CampaignMaterial(Orderable):
    page = ParentalKey(CampaignPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey("wagtaildocs.Document", models.CASCADE, related_name="+", verbose_name=_("文件"))
    title = models.CharField(_("显示名称"), max_length=100, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("宣传资料")


class ArticleIndexPage(PlainTextMixin, Page):
    """新闻动态: news articles, newest first, with RSS/Atom feeds."""

    intro = RichTextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("新闻栏目")
        verbose_name_plural = _("新闻栏目")

    def text_for_search(self):
        return [get_text_for_indexing(self.intro)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ArticlePage.objects.live().public().child_of(self).select_related("image").order_by("-date", "-pk")
        context["articles"] = paginate(request, articles)
        return context


class ArticlePage(PlainTextMixin, Page):
    """A news article (新闻)."""

    date = models.DateField(_("发布日期"), default=timezone.localdate)
    intro = models.TextField(_("摘要"), max_length=300, blank=True)
    image = _image_fk(_("题图"))
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("正文"))
    source = models.CharField(_("来源"), max_length=100, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("source"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["pages.ArticleIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")

    def text_for_search(self):
        return [self.intro, *self.stream_text(self.body)]

    @property
    def social_image(self):
        return self.image


class DrugFactIndexPage(PlainTextMixin, Page):
    """认识毒品: the drug-knowledge library, filterable by category."""

    intro = RichTextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["pages.DrugFactPage"]
    max_count = 1

    class Meta:
        verbose_name = _("毒品知识库")
        verbose_name_plural = _("毒品知识库")

    def text_for_search(self):
        return [get_text_for_indexing(self.intro)]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        facts = DrugFactPage.objects.live().public().child_of(self).prefetch_related("photos__image")
        category = request.GET.get("category", "")
        if category in DrugFactPage.Category.values:
            facts = facts.filter(category=category)
        context.update(
            facts=paginate(request, facts.order_by("path"), per_page=12),
            categories=DrugFactPage.Category.choices,
            selected_category=category,
        )
        return context


class DrugFactPage(PlainTextMixin, Page):
    """One drug or drug class: what it looks like, what it does, what the law says."""

    class Category(models.TextChoices):
        TRADITIONAL = "traditional", _("传统毒品")
        SYNTHETIC = "synthetic", _("合成毒品")
        NPS = "nps", _("新精神活性物质")
        DISGUISED = "disguised", _("伪装型新型毒品")
        OTHER = "other", _("其他成瘾性物质")

    other_names = models.CharField(_("别名"), max_length=200, blank=True, help_text=_("俗称、街头叫法，用顿号分隔。"))
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    summary = models.TextField(_("概述"), max_length=400)
    appearance = models.TextField(_("外观"), blank=True)
    effects = RichTextField(_("作用与危害"), features=["bold", "ol", "ul", "link"])
    legal_status = RichTextField(_("法律规定"), features=["bold", "ol", "ul", "link"], blank=True)
    source = models.CharField(_("资料来源"), max_length=300, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("other_names"),
        FieldPanel("category"),
        FieldPanel("summary"),
        FieldPanel("appearance"),
        InlinePanel("photos", label=_("外观图片"), heading=_("外观图片")),
        FieldPanel("effects"),
        FieldPanel("legal_status"),
        FieldPanel("source"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("other_names"),
        index.SearchField("summary"),
        index.SearchField("effects"),
        index.FilterField("category"),
    ]
    parent_page_types = ["pages.DrugFactIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("毒品知识")
        verbose_name_plural = _("毒品知识")

    def text_for_search(self):
        return [
            self.other_names,
            self.summary,
            self.appearance,
            get_text_for_indexing(self.effects),
            get_text_for_indexing(self.legal_status),
        ]

    @property
    def social_image(self):
        first = self.photos.first()
        return first.image if first else None


class DrugFactImage(Orderable):
    page = ParentalKey(DrugFactPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("wagtailimages.Image", models.CASCADE, related_name="+", verbose_name=_("图片"))
    caption = models.CharField(_("说明"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]

    class Meta(Orderable.Meta):
        verbose_name = _("外观图片")


class StandardPage(PlainTextMixin, Page):
    """A plain page: about us, how to report, privacy notice."""

    intro = models.TextField(_("摘要"), max_length=300, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("正文"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["pages.HomePage", "pages.StandardPage"]

    class Meta:
        verbose_name = _("普通页面")
        verbose_name_plural = _("普通页面")

    def text_for_search(self):
        return [self.intro, *self.stream_text(self.body)]


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details and social accounts shown in every page's footer."""

    hotline = models.CharField(_("禁毒举报电话"), max_length=40, blank=True, default="12345")
    organisation = models.CharField(_("主办单位"), max_length=100, blank=True, default="市禁毒委员会办公室")
    footer_note = models.CharField(_("页脚说明"), max_length=200, blank=True)
    wechat_account = models.CharField(_("微信公众号名称"), max_length=60, blank=True)
    wechat_qr = _image_fk(_("微信公众号二维码"))
    weibo_url = models.URLField(_("微博地址"), blank=True)

    panels = [
        FieldPanel("hotline"),
        FieldPanel("organisation"),
        FieldPanel("footer_note"),
        MultiFieldPanel(
            [FieldPanel("wechat_account"), FieldPanel("wechat_qr"), FieldPanel("weibo_url")], heading=_("社交账号")
        ),
    ]

    class Meta:
        verbose_name = _("站点设置")
