from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page: the campaign of the moment and ways in."""

    hero_title = models.CharField(_("主标题"), max_length=80, default="珍爱生命，远离毒品")
    hero_text = models.CharField(_("副标题"), max_length=200, blank=True)
    intro = RichTextField(_("导语"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("头图")),
        FieldPanel("intro"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("首页")
        verbose_name_plural = _("首页")


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details shown in every page's footer."""

    hotline = models.CharField(_("禁毒举报电话"), max_length=40, blank=True, default="12345")
    organisation = models.CharField(_("主办单位"), max_length=100, blank=True, default="市禁毒委员会办公室")
    footer_note = models.CharField(_("页脚说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("站点设置")
