"""Player nicknames: a two-word generator and the word filter typed names must pass."""

import re
import secrets

from django.utils.translation import gettext as _

ADJECTIVES = (
    "勇敢的",
    "机智的",
    "快乐的",
    "阳光的",
    "认真的",
    "聪明的",
    "坚定的",
    "热心的",
    "飞快的",
    "安静的",
    "闪亮的",
    "可靠的",
    "细心的",
    "友善的",
    "活力",
    "无畏的",
    "沉着的",
    "睿智的",
    "明亮的",
    "守护",
)
NOUNS = (
    "熊猫",
    "白鸽",
    "雄鹰",
    "海豚",
    "松鼠",
    "麋鹿",
    "猎豹",
    "灯塔",
    "星星",
    "向日葵",
    "青松",
    "小马",
    "企鹅",
    "骏马",
    "云雀",
    "银杏",
    "帆船",
    "飞燕",
    "蜜蜂",
    "卫士",
)
# Names a class should not see on the projector: insults, and words that glamorise drugs.
BLOCKED_WORDS = (
    "毒品",
    "吸毒",
    "贩毒",
    "冰毒",
    "海洛因",
    "大麻",
    "摇头丸",
    "k粉",
    "溜冰",
    "嗨",
    "傻逼",
    "傻b",
    "sb",
    "操你",
    "他妈",
    "妈的",
    "滚蛋",
    "去死",
    "垃圾",
    "智障",
    "fuck",
    "shit",
)
MAX_LENGTH = 12
ALLOWED = re.compile(r"^[\w\u4e00-\u9fff·\-]+$")


def generate() -> str:
    """A random two-word nickname such as 勇敢的熊猫."""
    return secrets.choice(ADJECTIVES) + secrets.choice(NOUNS)


def check(nickname: str) -> tuple[str, str | None]:
    """Return ``(cleaned, error_message)``; the message is None when the nickname is acceptable."""
    cleaned = " ".join((nickname or "").split())
    if not cleaned:
        return cleaned, _("请填写昵称。")
    if len(cleaned) > MAX_LENGTH:
        return cleaned, _("昵称最多 %(n)d 个字。") % {"n": MAX_LENGTH}
    if not ALLOWED.match(cleaned.replace(" ", "")):
        return cleaned, _("昵称只能包含汉字、字母、数字、下划线和连字符。")
    lowered = cleaned.lower().replace(" ", "")
    if any(word in lowered for word in BLOCKED_WORDS):
        return cleaned, _("这个昵称不合适，换一个吧。")
    return cleaned, None
