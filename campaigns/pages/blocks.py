"""StreamField blocks shared by every page type (one module, as in bakerydemo)."""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .challenge_chooser import challenge_chooser_viewset


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题文字"), max_length=80)
    size = blocks.ChoiceBlock(
        label=_("级别"), choices=[("h2", _("大标题")), ("h3", _("小标题"))], default="h2", required=False
    )

    class Meta:
        icon = "title"
        label = _("标题")
        template = "pages/blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "pages/blocks/image_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("图集标题"), required=False, max_length=80)
    images = blocks.ListBlock(CaptionedImageBlock(), label=_("图片"), min_num=1)

    class Meta:
        icon = "image"
        label = _("图集")
        template = "pages/blocks/gallery_block.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("视频链接"), help_text=_("视频网站的分享链接，如优酷、哔哩哔哩。"))
    caption = blocks.CharBlock(label=_("说明"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("视频")
        template = "pages/blocks/video_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("引文"))
    attribution = blocks.CharBlock(label=_("出处"), required=False, max_length=100)

    class Meta:
        icon = "openquote"
        label = _("引用")
        template = "pages/blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("标题"), max_length=80)
    text = blocks.TextBlock(label=_("说明"), required=False)
    button_text = blocks.CharBlock(label=_("按钮文字"), max_length=30)
    page = blocks.PageChooserBlock(label=_("链接页面"), required=False)
    url = blocks.URLBlock(label=_("或外部链接"), required=False)

    class Meta:
        icon = "pick"
        label = _("行动号召")
        template = "pages/blocks/cta_block.html"


class ScheduleItemBlock(blocks.StructBlock):
    starts_at = blocks.DateTimeBlock(label=_("时间"))
    title = blocks.CharBlock(label=_("内容"), max_length=100)
    place = blocks.CharBlock(label=_("地点"), required=False, max_length=100)


class EventScheduleBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("日程标题"), required=False, max_length=80)
    items = blocks.ListBlock(ScheduleItemBlock(), label=_("日程"), min_num=1)

    class Meta:
        icon = "date"
        label = _("活动日程")
        template = "pages/blocks/schedule_block.html"


ChallengeChooserBlock = challenge_chooser_viewset.get_block_class(
    name="ChallengeChooserBlock", module_path="campaigns.pages.blocks"
)


class ChallengeEntryBlock(blocks.StructBlock):
    """A knowledge challenge on a page: its window and status, the way in, and a mini board that stays live."""

    challenge = ChallengeChooserBlock(label=_("挑战赛"))
    title = blocks.CharBlock(label=_("标题"), required=False, max_length=100, help_text=_("留空则用挑战赛名称。"))
    description = blocks.TextBlock(label=_("说明"), required=False)
    show_board = blocks.BooleanBlock(label=_("显示实时排行榜"), required=False, default=True)
    rows = blocks.IntegerBlock(label=_("排行榜行数"), default=5, min_value=3, max_value=10)

    class Meta:
        icon = "trophy"
        label = _("知识挑战赛")
        template = "pages/blocks/challenge_block.html"

    def render(self, value, context=None):
        """A hole in a page rendered for the page cache: the block's status, counts and board are live, so every
        response renders it afresh (:mod:`campaigns.pages.page_cache`)."""
        from . import page_cache

        placeholder = page_cache.hole((context or {}).get("request"), "challenge", self.get_prep_value(value))
        if placeholder is not None:
            return mark_safe(placeholder)  # noqa: S308 - our own placeholder comment, filled before sending
        return super().render(value, context=context)

    def get_context(self, value, parent_context=None):
        from .challenge_embed import block_context

        context = super().get_context(value, parent_context=parent_context)
        context.update(block_context(value, request=(parent_context or {}).get("request")))
        return context


class LiveGameJoinBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("标题"), max_length=60, default=_("加入课堂竞答"))
    text = blocks.CharBlock(
        label=_("提示"), required=False, max_length=120, default=_("输入老师投屏上的 6 位 PIN 码。")
    )

    class Meta:
        icon = "pick"
        label = _("课堂竞答 PIN 入口")
        template = "pages/blocks/live_game_block.html"


class StatisticBlock(blocks.StructBlock):
    value = blocks.CharBlock(label=_("数字"), max_length=20, help_text=_("如 3200 或 220万"))
    label = blocks.CharBlock(label=_("名称"), max_length=40)


class StatisticsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("标题"), required=False, max_length=80)
    items = blocks.ListBlock(StatisticBlock(), label=_("数字"), min_num=1, max_num=6)

    class Meta:
        icon = "table"
        label = _("数据统计")
        template = "pages/blocks/statistics_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("显示名称"), required=False, max_length=100)

    class Meta:
        icon = "doc-full"
        label = _("下载文件")
        template = "pages/blocks/document_block.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("正文"),
        icon="pilcrow",
        features=["h3", "bold", "italic", "ol", "ul", "link", "document-link"],
        template="pages/blocks/paragraph_block.html",
    )
    image = CaptionedImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    schedule = EventScheduleBlock()
    challenge = ChallengeEntryBlock()
    live_game = LiveGameJoinBlock()
    statistics = StatisticsBlock()
    document = DocumentBlock()
