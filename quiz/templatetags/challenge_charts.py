"""Inclusion tags for the challenge statistics charts: geometry from :mod:`quiz.charts`, words from here."""

from django import template
from django.utils.translation import gettext as _

from quiz import charts

register = template.Library()

SCHOOL_LIMIT = 10
DISTRICT_LIMIT = 15
QUESTION_LIMIT = 15


def _org_legend():
    return [
        ("participation", _("参与率")),
        ("pass_rate", _("合格率")),
        ("excellent_rate", _("优秀率")),
        ("average", _("平均分（百分制）")),
    ]


@register.inclusion_tag("quiz/challenge/_bar_chart.html")
def org_chart(rows, level):
    """Grouped bars of the first districts or schools (``level``: "district" or "school") of the rankings."""
    district = level == "district"
    chart = charts.org_chart(rows, DISTRICT_LIMIT if district else SCHOOL_LIMIT) if rows else None
    counts = {"shown": chart.shown, "total": chart.total} if chart else {}
    if district:
        title = _("各区县参与率、合格率、优秀率和平均分")
        note = _("综合指数前 %(shown)s 个区县，共 %(total)s 个，全部见下表。") % counts if chart else ""
    else:
        title = _("各学校参与率、合格率、优秀率和平均分")
        note = _("综合指数前 %(shown)s 所学校，共 %(total)s 所，全部见下表。") % counts if chart else ""
    return {
        "chart": chart,
        "id": f"chal-chart-{level}",
        "kind": "orgs",
        "title": title,
        "desc": _("横向条形图，按综合指数排序；比率以百分比表示，平均分为百分制。数据见图下表格。"),
        "note": note if chart and chart.truncated else "",
        "legend": _org_legend(),
        "axis": _("比率（%）／平均分（满分 100）"),
    }


@register.inclusion_tag("quiz/challenge/_bar_chart.html")
def question_chart(rows):
    """Correctness per question, hardest first, coloured by band."""
    chart = charts.question_chart(rows, QUESTION_LIMIT) if rows else None
    note = ""
    if chart and chart.truncated:
        note = _("正确率最低的 %(shown)s 道题，共 %(total)s 道，全部见下表。") % {
            "shown": chart.shown,
            "total": chart.total,
        }
    return {
        "chart": chart,
        "id": "chal-chart-questions",
        "kind": "questions",
        "title": _("各题正确率（由低到高）"),
        "desc": _("横向条形图，每道题一条，正确率最低的在最上面；题干过长时截断，完整题干见下表。"),
        "note": note,
        "legend": [("bad", _("低于 60%")), ("warn", _("60%–80%")), ("ok", _("80% 及以上"))],
        "axis": _("正确率（%）"),
    }


@register.inclusion_tag("quiz/challenge/_daily_chart.html")
def daily_chart(rows):
    """Participants and attempts per day; the template shows an empty state when there is no day."""
    return {"chart": charts.daily_chart(rows), "id": "chal-chart-daily"}
