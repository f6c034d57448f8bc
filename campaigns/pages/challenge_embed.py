"""What the campaign pages' challenge block shows: window, status, countdown and the mini live board.

The board itself comes from the quiz app (:func:`quiz.services.challenge.board_snapshot`, names already masked);
this module only decides what the block needs from it and keeps a page view from rebuilding it each time.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = 86400
# A cached board is keyed by the challenge's results (see _board_key), so it is never stale about a finished
# paper; the timeout only bounds what the key cannot see (a school renamed in the admin, class sizes).
BOARD_CACHE_SECONDS = 60


def status_of(challenge, now: datetime.datetime) -> dict:
    """``{"state": upcoming|open|ended, "label", "countdown", "target"}`` at ``now``."""
    if now < challenge.starts_at:
        state, label, target = "upcoming", _("未开始"), challenge.starts_at
    elif now < challenge.ends_at:
        state, label, target = "open", _("进行中"), challenge.ends_at
    else:
        state, label, target = "ended", _("已结束"), None
    return {
        "state": state,
        "label": label,
        "countdown": countdown_text(state, (target - now).total_seconds() if target else 0),
        "target": target,
    }


def countdown_text(state: str, seconds: float) -> str:
    """Whole days while a day or more is left, then hh:mm:ss (the block's script keeps it ticking)."""
    if state == "ended":
        return ""
    seconds = max(0, int(seconds))
    if seconds >= DAY:
        days = seconds // DAY
        if state == "upcoming":
            return _("距开始还有 %(days)s 天") % {"days": days}
        return _("距结束还有 %(days)s 天") % {"days": days}
    clock = f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if state == "upcoming":
        return _("距开始 %(time)s") % {"time": clock}
    return _("距结束 %(time)s") % {"time": clock}


def script_labels() -> dict:
    """The translated words the block's script needs (it keeps no Chinese of its own)."""
    return {
        "upcoming": _("未开始"),
        "open": _("进行中"),
        "ended": _("已结束"),
        "startsInDays": _("距开始还有 %(days)s 天"),
        "endsInDays": _("距结束还有 %(days)s 天"),
        "startsIn": _("距开始 %(time)s"),
        "endsIn": _("距结束 %(time)s"),
        "live": _("实时"),
        "connecting": _("连接中"),
        "reconnecting": _("重新连接中"),
        "points": _("%(score)s分"),
        "school": _("指数 %(index)s · %(count)s人"),
        "waiting": _("等待第一位交卷者"),
        "join": _("参加挑战"),
        "details": _("查看详情"),
    }


def results(challenge) -> dict:
    """Registrations, finished participants and the latest counted finish (one query)."""
    from quiz.models import Participant

    return Participant.objects.filter(challenge=challenge).aggregate(
        participants=Count("pk"), finished=Count("pk", filter=Q(has_result=True)), last=Max("finished_s")
    )


def _board_key(challenge, rows: int, stats: dict) -> str:
    """Changes whenever anyone registers or a counted result changes (a newly counted paper finishes later)."""
    born = int(challenge.created_at.timestamp() * 1_000_000) if challenge.created_at else 0
    counts = f"{stats['participants']}:{stats['finished']}:{stats['last'] or 0}"
    return f"pages:challenge-board:{challenge.pk}:{born}:{rows}:{counts}"


def board(challenge, rows: int, stats: dict | None = None) -> dict:
    """The challenge's board snapshot with ``rows`` rows per list (masked names), shared between page views."""
    from quiz.services import challenge as svc

    key = _board_key(challenge, rows, stats or results(challenge))
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = svc.board_snapshot(challenge, n=rows)
        cache.set(key, snapshot, BOARD_CACHE_SECONDS)
    return snapshot


def landing_url(challenge) -> str:
    return reverse("quiz:challenge:landing", args=[challenge.slug])


def screen_url(challenge) -> str:
    return reverse("quiz:challenge:screen", args=[challenge.slug])


def block_context(value, request=None, now: datetime.datetime | None = None) -> dict:
    """Template context of one challenge block; ``{"challenge": None, ...}`` when nothing may be shown.

    A deleted challenge comes back from the chooser block as None; an unpublished one is hidden too (its pages
    answer 404). Either way the public page shows nothing and a preview shows the editor why.
    """
    challenge = value.get("challenge")
    preview = bool(getattr(request, "is_preview", False))
    if challenge is None or not challenge.is_published:
        return {
            "challenge": None,
            "preview": preview,
            "problem": _("该挑战赛已被删除。") if challenge is None else _("该挑战赛尚未发布。"),
        }
    now = now or timezone.now()
    rows = max(1, min(int(value.get("rows") or 5), 10))
    show_board = bool(value.get("show_board"))
    stats = results(challenge)
    snapshot = board(challenge, rows, stats) if show_board else {"groups": [], "schools": [], **stats}
    groups = snapshot["groups"]
    selected = next((g["name"] for g in groups if g["top"]), groups[0]["name"] if groups else "")
    return {
        "challenge": challenge,
        "preview": preview,
        "title": value.get("title") or challenge.title,
        "description": value.get("description") or "",
        "show_board": show_board,
        "rows": rows,
        "status": status_of(challenge, now),
        "starts_at": timezone.localtime(challenge.starts_at, SHANGHAI),
        "ends_at": timezone.localtime(challenge.ends_at, SHANGHAI),
        "now_ts": now.timestamp(),
        "participants": snapshot["participants"],
        "finished": snapshot["finished"],
        "groups": groups,
        "selected_group": selected,
        "schools": snapshot["schools"][:rows],
        "landing_url": landing_url(challenge),
        "screen_url": screen_url(challenge),
        "ws_path": f"/ws/board/{challenge.pk}/",
        "labels": script_labels(),
    }
