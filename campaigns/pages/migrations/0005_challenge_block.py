"""The challenge block chooses a quiz.Challenge (it was a title and a link), and old blocks are carried over.

An old block whose link names a challenge (/quiz/challenge/<slug>/…, or the /quiz/challenges/<id>/ of the old
help text) becomes the new block for that challenge, keeping its description (and its title when it differs
from the challenge's). Any other link becomes a call-to-action block with the same title, text and link, so the
page shows what it showed before. Pages and all their revisions are rewritten; nothing is rewritten back.
"""

import re

import wagtail.fields
from django.db import migrations
from wagtail.blocks.migrations.migrate_operation import MigrateStreamData
from wagtail.blocks.migrations.operations import BaseBlockOperation

CHALLENGE_LINK = re.compile(r"/quiz/challenges?/(?P<key>[-\w]+)/")


class LinkOldChallengeBlocks(BaseBlockOperation):
    """On the body stream: old challenge blocks (title, url, description) to the new shape or a call to action."""

    def __init__(self):
        super().__init__()
        self.slugs, self.titles = {}, {}

    def challenge_for(self, url):
        match = CHALLENGE_LINK.search(url or "")
        if match is None:
            return None
        key = match["key"]
        if key in self.slugs:
            return self.slugs[key]
        return int(key) if key.isdigit() and int(key) in self.titles else None

    def convert(self, child):
        value = child.get("value")
        if child.get("type") != "challenge" or not isinstance(value, dict) or "challenge" in value:
            return child
        title, description, url = value.get("title") or "", value.get("description") or "", value.get("url") or ""
        pk = self.challenge_for(url)
        if pk is not None:
            override = "" if title == self.titles[pk] else title
            new = {"challenge": pk, "title": override, "description": description, "show_board": True, "rows": 5}
            return {**child, "value": new}
        cta = {"title": title or "知识挑战赛", "text": description, "button_text": "参加挑战", "page": None, "url": url}
        return {**child, "type": "call_to_action", "value": cta}

    def apply(self, block_value):
        return [self.convert(child) for child in block_value]

    @property
    def operation_name_fragment(self):
        return "link_old_challenge_blocks"


class MigrateChallengeBlocks(MigrateStreamData):
    """MigrateStreamData whose operation first learns the challenges (slug -> id, id -> title)."""

    def migrate_stream_data_forward(self, apps, schema_editor):
        rows = list(apps.get_model("quiz", "Challenge").objects.values_list("pk", "slug", "title"))
        for operation, _path in self.operations_and_block_paths:
            operation.slugs = {slug: pk for pk, slug, _title in rows}
            operation.titles = {pk: title for pk, _slug, title in rows}
        super().migrate_stream_data_forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0004_review_workflow"),
        ("quiz", "0004_challenges"),
    ]

    operations = [
        migrations.AlterField(
            model_name="articlepage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 2),
                    ("paragraph", 3),
                    ("image", 6),
                    ("gallery", 9),
                    ("video", 12),
                    ("quote", 15),
                    ("call_to_action", 21),
                    ("schedule", 28),
                    ("challenge", 33),
                    ("live_game", 36),
                    ("statistics", 42),
                    ("document", 45),
                ],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"label": "标题文字", "max_length": 80}),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": [("h2", "大标题"), ("h3", "小标题")], "label": "级别", "required": False},
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("text", 0), ("size", 1)]], {}),
                    3: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h3", "bold", "italic", "ol", "ul", "link", "document-link"],
                            "icon": "pilcrow",
                            "label": "正文",
                            "template": "pages/blocks/paragraph_block.html",
                        },
                    ),
                    4: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "图片"}),
                    5: ("wagtail.blocks.CharBlock", (), {"label": "图片说明", "max_length": 200, "required": False}),
                    6: ("wagtail.blocks.StructBlock", [[("image", 4), ("caption", 5)]], {}),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "图集标题", "max_length": 80, "required": False}),
                    8: ("wagtail.blocks.ListBlock", (6,), {"label": "图片", "min_num": 1}),
                    9: ("wagtail.blocks.StructBlock", [[("title", 7), ("images", 8)]], {}),
                    10: (
                        "wagtail.embeds.blocks.EmbedBlock",
                        (),
                        {"help_text": "视频网站的分享链接，如优酷、哔哩哔哩。", "label": "视频链接"},
                    ),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "说明", "max_length": 200, "required": False}),
                    12: ("wagtail.blocks.StructBlock", [[("video", 10), ("caption", 11)]], {}),
                    13: ("wagtail.blocks.TextBlock", (), {"label": "引文"}),
                    14: ("wagtail.blocks.CharBlock", (), {"label": "出处", "max_length": 100, "required": False}),
                    15: ("wagtail.blocks.StructBlock", [[("text", 13), ("attribution", 14)]], {}),
                    16: ("wagtail.blocks.CharBlock", (), {"label": "标题", "max_length": 80}),
                    17: ("wagtail.blocks.TextBlock", (), {"label": "说明", "required": False}),
                    18: ("wagtail.blocks.CharBlock", (), {"label": "按钮文字", "max_length": 30}),
                    19: ("wagtail.blocks.PageChooserBlock", (), {"label": "链接页面", "required": False}),
                    20: ("wagtail.blocks.URLBlock", (), {"label": "或外部链接", "required": False}),
                    21: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 16), ("text", 17), ("button_text", 18), ("page", 19), ("url", 20)]],
                        {},
                    ),
                    22: ("wagtail.blocks.CharBlock", (), {"label": "日程标题", "max_length": 80, "required": False}),
                    23: ("wagtail.blocks.DateTimeBlock", (), {"label": "时间"}),
                    24: ("wagtail.blocks.CharBlock", (), {"label": "内容", "max_length": 100}),
                    25: ("wagtail.blocks.CharBlock", (), {"label": "地点", "max_length": 100, "required": False}),
                    26: ("wagtail.blocks.StructBlock", [[("starts_at", 23), ("title", 24), ("place", 25)]], {}),
                    27: ("wagtail.blocks.ListBlock", (26,), {"label": "日程", "min_num": 1}),
                    28: ("wagtail.blocks.StructBlock", [[("title", 22), ("items", 27)]], {}),
                    29: ("campaigns.pages.blocks.ChallengeChooserBlock", (), {"label": "挑战赛"}),
                    30: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "留空则用挑战赛名称。", "label": "标题", "max_length": 100, "required": False},
                    ),
                    31: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"default": True, "label": "显示实时排行榜", "required": False},
                    ),
                    32: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 5, "label": "排行榜行数", "max_value": 10, "min_value": 3},
                    ),
                    33: (
                        "wagtail.blocks.StructBlock",
                        [[("challenge", 29), ("title", 30), ("description", 17), ("show_board", 31), ("rows", 32)]],
                        {},
                    ),
                    34: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"default": "加入课堂竞答", "label": "标题", "max_length": 60},
                    ),
                    35: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "default": "输入老师投屏上的 6 位 PIN 码。",
                            "label": "提示",
                            "max_length": 120,
                            "required": False,
                        },
                    ),
                    36: ("wagtail.blocks.StructBlock", [[("title", 34), ("text", 35)]], {}),
                    37: ("wagtail.blocks.CharBlock", (), {"label": "标题", "max_length": 80, "required": False}),
                    38: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "如 3200 或 220万", "label": "数字", "max_length": 20},
                    ),
                    39: ("wagtail.blocks.CharBlock", (), {"label": "名称", "max_length": 40}),
                    40: ("wagtail.blocks.StructBlock", [[("value", 38), ("label", 39)]], {}),
                    41: ("wagtail.blocks.ListBlock", (40,), {"label": "数字", "max_num": 6, "min_num": 1}),
                    42: ("wagtail.blocks.StructBlock", [[("title", 37), ("items", 41)]], {}),
                    43: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "文件"}),
                    44: ("wagtail.blocks.CharBlock", (), {"label": "显示名称", "max_length": 100, "required": False}),
                    45: ("wagtail.blocks.StructBlock", [[("document", 43), ("title", 44)]], {}),
                },
                verbose_name="正文",
            ),
        ),
        migrations.AlterField(
            model_name="campaignpage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 2),
                    ("paragraph", 3),
                    ("image", 6),
                    ("gallery", 9),
                    ("video", 12),
                    ("quote", 15),
                    ("call_to_action", 21),
                    ("schedule", 28),
                    ("challenge", 33),
                    ("live_game", 36),
                    ("statistics", 42),
                    ("document", 45),
                ],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"label": "标题文字", "max_length": 80}),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": [("h2", "大标题"), ("h3", "小标题")], "label": "级别", "required": False},
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("text", 0), ("size", 1)]], {}),
                    3: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h3", "bold", "italic", "ol", "ul", "link", "document-link"],
                            "icon": "pilcrow",
                            "label": "正文",
                            "template": "pages/blocks/paragraph_block.html",
                        },
                    ),
                    4: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "图片"}),
                    5: ("wagtail.blocks.CharBlock", (), {"label": "图片说明", "max_length": 200, "required": False}),
                    6: ("wagtail.blocks.StructBlock", [[("image", 4), ("caption", 5)]], {}),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "图集标题", "max_length": 80, "required": False}),
                    8: ("wagtail.blocks.ListBlock", (6,), {"label": "图片", "min_num": 1}),
                    9: ("wagtail.blocks.StructBlock", [[("title", 7), ("images", 8)]], {}),
                    10: (
                        "wagtail.embeds.blocks.EmbedBlock",
                        (),
                        {"help_text": "视频网站的分享链接，如优酷、哔哩哔哩。", "label": "视频链接"},
                    ),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "说明", "max_length": 200, "required": False}),
                    12: ("wagtail.blocks.StructBlock", [[("video", 10), ("caption", 11)]], {}),
                    13: ("wagtail.blocks.TextBlock", (), {"label": "引文"}),
                    14: ("wagtail.blocks.CharBlock", (), {"label": "出处", "max_length": 100, "required": False}),
                    15: ("wagtail.blocks.StructBlock", [[("text", 13), ("attribution", 14)]], {}),
                    16: ("wagtail.blocks.CharBlock", (), {"label": "标题", "max_length": 80}),
                    17: ("wagtail.blocks.TextBlock", (), {"label": "说明", "required": False}),
                    18: ("wagtail.blocks.CharBlock", (), {"label": "按钮文字", "max_length": 30}),
                    19: ("wagtail.blocks.PageChooserBlock", (), {"label": "链接页面", "required": False}),
                    20: ("wagtail.blocks.URLBlock", (), {"label": "或外部链接", "required": False}),
                    21: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 16), ("text", 17), ("button_text", 18), ("page", 19), ("url", 20)]],
                        {},
                    ),
                    22: ("wagtail.blocks.CharBlock", (), {"label": "日程标题", "max_length": 80, "required": False}),
                    23: ("wagtail.blocks.DateTimeBlock", (), {"label": "时间"}),
                    24: ("wagtail.blocks.CharBlock", (), {"label": "内容", "max_length": 100}),
                    25: ("wagtail.blocks.CharBlock", (), {"label": "地点", "max_length": 100, "required": False}),
                    26: ("wagtail.blocks.StructBlock", [[("starts_at", 23), ("title", 24), ("place", 25)]], {}),
                    27: ("wagtail.blocks.ListBlock", (26,), {"label": "日程", "min_num": 1}),
                    28: ("wagtail.blocks.StructBlock", [[("title", 22), ("items", 27)]], {}),
                    29: ("campaigns.pages.blocks.ChallengeChooserBlock", (), {"label": "挑战赛"}),
                    30: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "留空则用挑战赛名称。", "label": "标题", "max_length": 100, "required": False},
                    ),
                    31: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"default": True, "label": "显示实时排行榜", "required": False},
                    ),
                    32: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 5, "label": "排行榜行数", "max_value": 10, "min_value": 3},
                    ),
                    33: (
                        "wagtail.blocks.StructBlock",
                        [[("challenge", 29), ("title", 30), ("description", 17), ("show_board", 31), ("rows", 32)]],
                        {},
                    ),
                    34: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"default": "加入课堂竞答", "label": "标题", "max_length": 60},
                    ),
                    35: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "default": "输入老师投屏上的 6 位 PIN 码。",
                            "label": "提示",
                            "max_length": 120,
                            "required": False,
                        },
                    ),
                    36: ("wagtail.blocks.StructBlock", [[("title", 34), ("text", 35)]], {}),
                    37: ("wagtail.blocks.CharBlock", (), {"label": "标题", "max_length": 80, "required": False}),
                    38: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "如 3200 或 220万", "label": "数字", "max_length": 20},
                    ),
                    39: ("wagtail.blocks.CharBlock", (), {"label": "名称", "max_length": 40}),
                    40: ("wagtail.blocks.StructBlock", [[("value", 38), ("label", 39)]], {}),
                    41: ("wagtail.blocks.ListBlock", (40,), {"label": "数字", "max_num": 6, "min_num": 1}),
                    42: ("wagtail.blocks.StructBlock", [[("title", 37), ("items", 41)]], {}),
                    43: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "文件"}),
                    44: ("wagtail.blocks.CharBlock", (), {"label": "显示名称", "max_length": 100, "required": False}),
                    45: ("wagtail.blocks.StructBlock", [[("document", 43), ("title", 44)]], {}),
                },
                verbose_name="正文",
            ),
        ),
        migrations.AlterField(
            model_name="standardpage",
            name="body",
            field=wagtail.fields.StreamField(
                [
                    ("heading", 2),
                    ("paragraph", 3),
                    ("image", 6),
                    ("gallery", 9),
                    ("video", 12),
                    ("quote", 15),
                    ("call_to_action", 21),
                    ("schedule", 28),
                    ("challenge", 33),
                    ("live_game", 36),
                    ("statistics", 42),
                    ("document", 45),
                ],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"label": "标题文字", "max_length": 80}),
                    1: (
                        "wagtail.blocks.ChoiceBlock",
                        [],
                        {"choices": [("h2", "大标题"), ("h3", "小标题")], "label": "级别", "required": False},
                    ),
                    2: ("wagtail.blocks.StructBlock", [[("text", 0), ("size", 1)]], {}),
                    3: (
                        "wagtail.blocks.RichTextBlock",
                        (),
                        {
                            "features": ["h3", "bold", "italic", "ol", "ul", "link", "document-link"],
                            "icon": "pilcrow",
                            "label": "正文",
                            "template": "pages/blocks/paragraph_block.html",
                        },
                    ),
                    4: ("wagtail.images.blocks.ImageChooserBlock", (), {"label": "图片"}),
                    5: ("wagtail.blocks.CharBlock", (), {"label": "图片说明", "max_length": 200, "required": False}),
                    6: ("wagtail.blocks.StructBlock", [[("image", 4), ("caption", 5)]], {}),
                    7: ("wagtail.blocks.CharBlock", (), {"label": "图集标题", "max_length": 80, "required": False}),
                    8: ("wagtail.blocks.ListBlock", (6,), {"label": "图片", "min_num": 1}),
                    9: ("wagtail.blocks.StructBlock", [[("title", 7), ("images", 8)]], {}),
                    10: (
                        "wagtail.embeds.blocks.EmbedBlock",
                        (),
                        {"help_text": "视频网站的分享链接，如优酷、哔哩哔哩。", "label": "视频链接"},
                    ),
                    11: ("wagtail.blocks.CharBlock", (), {"label": "说明", "max_length": 200, "required": False}),
                    12: ("wagtail.blocks.StructBlock", [[("video", 10), ("caption", 11)]], {}),
                    13: ("wagtail.blocks.TextBlock", (), {"label": "引文"}),
                    14: ("wagtail.blocks.CharBlock", (), {"label": "出处", "max_length": 100, "required": False}),
                    15: ("wagtail.blocks.StructBlock", [[("text", 13), ("attribution", 14)]], {}),
                    16: ("wagtail.blocks.CharBlock", (), {"label": "标题", "max_length": 80}),
                    17: ("wagtail.blocks.TextBlock", (), {"label": "说明", "required": False}),
                    18: ("wagtail.blocks.CharBlock", (), {"label": "按钮文字", "max_length": 30}),
                    19: ("wagtail.blocks.PageChooserBlock", (), {"label": "链接页面", "required": False}),
                    20: ("wagtail.blocks.URLBlock", (), {"label": "或外部链接", "required": False}),
                    21: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 16), ("text", 17), ("button_text", 18), ("page", 19), ("url", 20)]],
                        {},
                    ),
                    22: ("wagtail.blocks.CharBlock", (), {"label": "日程标题", "max_length": 80, "required": False}),
                    23: ("wagtail.blocks.DateTimeBlock", (), {"label": "时间"}),
                    24: ("wagtail.blocks.CharBlock", (), {"label": "内容", "max_length": 100}),
                    25: ("wagtail.blocks.CharBlock", (), {"label": "地点", "max_length": 100, "required": False}),
                    26: ("wagtail.blocks.StructBlock", [[("starts_at", 23), ("title", 24), ("place", 25)]], {}),
                    27: ("wagtail.blocks.ListBlock", (26,), {"label": "日程", "min_num": 1}),
                    28: ("wagtail.blocks.StructBlock", [[("title", 22), ("items", 27)]], {}),
                    29: ("campaigns.pages.blocks.ChallengeChooserBlock", (), {"label": "挑战赛"}),
                    30: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "留空则用挑战赛名称。", "label": "标题", "max_length": 100, "required": False},
                    ),
                    31: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"default": True, "label": "显示实时排行榜", "required": False},
                    ),
                    32: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 5, "label": "排行榜行数", "max_value": 10, "min_value": 3},
                    ),
                    33: (
                        "wagtail.blocks.StructBlock",
                        [[("challenge", 29), ("title", 30), ("description", 17), ("show_board", 31), ("rows", 32)]],
                        {},
                    ),
                    34: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"default": "加入课堂竞答", "label": "标题", "max_length": 60},
                    ),
                    35: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "default": "输入老师投屏上的 6 位 PIN 码。",
                            "label": "提示",
                            "max_length": 120,
                            "required": False,
                        },
                    ),
                    36: ("wagtail.blocks.StructBlock", [[("title", 34), ("text", 35)]], {}),
                    37: ("wagtail.blocks.CharBlock", (), {"label": "标题", "max_length": 80, "required": False}),
                    38: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "如 3200 或 220万", "label": "数字", "max_length": 20},
                    ),
                    39: ("wagtail.blocks.CharBlock", (), {"label": "名称", "max_length": 40}),
                    40: ("wagtail.blocks.StructBlock", [[("value", 38), ("label", 39)]], {}),
                    41: ("wagtail.blocks.ListBlock", (40,), {"label": "数字", "max_num": 6, "min_num": 1}),
                    42: ("wagtail.blocks.StructBlock", [[("title", 37), ("items", 41)]], {}),
                    43: ("wagtail.documents.blocks.DocumentChooserBlock", (), {"label": "文件"}),
                    44: ("wagtail.blocks.CharBlock", (), {"label": "显示名称", "max_length": 100, "required": False}),
                    45: ("wagtail.blocks.StructBlock", [[("document", 43), ("title", 44)]], {}),
                },
                verbose_name="正文",
            ),
        ),
        *[
            MigrateChallengeBlocks("pages", model, "body", [(LinkOldChallengeBlocks(), "")])
            for model in ("campaignpage", "articlepage", "standardpage")
        ],
    ]
