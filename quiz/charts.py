"""Geometry of the challenge statistics charts, drawn server-side as inline SVG: rows in, shapes out.

Pure functions, no Django, no words (labels and titles belong to the templates, which translate them).
Horizontal positions are percentages of the chart's width and vertical ones are pixels: the SVG has no
``viewBox``, so it stretches to any width while its text keeps its size — readable on a 375 px phone, on a
projector and on paper, without JavaScript. Lines and areas, which need a path, are drawn in a nested SVG whose
``viewBox`` is 100 wide and stretched without keeping its aspect ratio (strokes use ``non-scaling-stroke``).
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Text widths are estimated, not measured: a CJK character is one em, anything else at most 0.6 em. Labels are cut
# to a budget in ems so that they fit the narrowest chart (a 375 px phone leaves about 300 px for the SVG).
NARROW_LABEL_EM = 20
WIDE_LABEL_EM = 40

# Bar charts (px): a group is its label line, then one bar per series; the axis sits below the last group.
LABEL_LINE = 21
BAR_GAP = 3
GROUP_GAP = 12
AXIS_SPACE = 42
# A value is printed inside the end of its bar once the bar is this long (fraction of the width), after it before.
INSIDE_FROM = 0.7

# Daily curve (px and percent).
PLOT_TOP = 22
PLOT_HEIGHT = 170
X_AXIS_SPACE = 28
X_INSET = 7.0  # percent kept free at either end: a date centred on the first or last day fits even on a phone
MAX_DATE_TICKS = 12  # from 40rem wide (about 570 px of chart: 45 px apart at least)
MAX_PHONE_DATE_TICKS = 5  # below 40rem the others are "minor" and hidden (about 300 px of chart)


# Text --------------------------------------------------------------------------------------------------------------


def char_em(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6


def text_em(text: str) -> float:
    """Estimated width of ``text`` in ems (generous for Latin text, exact enough for Chinese)."""
    return sum(char_em(c) for c in text)


def truncate(text: str, max_em: float) -> str:
    """``text`` on one line, cut with an ellipsis so that it stays within ``max_em``."""
    text = " ".join(str(text).split())
    if text_em(text) <= max_em:
        return text
    budget = max_em - 1  # the ellipsis is one em wide in Chinese fonts
    width, cut = 0.0, 0
    for i, c in enumerate(text):
        width += char_em(c)
        if width > budget:
            cut = i
            break
    return text[:cut].rstrip() + "…"


# Scales ------------------------------------------------------------------------------------------------------------


def nice_step(raw: float) -> int:
    """The smallest of 1, 2, 5 × 10ⁿ (at least 1: counts are whole) that is at least ``raw``."""
    if raw <= 1:
        return 1
    base = 10 ** math.floor(math.log10(raw))
    return next(m * base for m in (1, 2, 5, 10) if raw <= m * base)


def count_ticks(maximum: int, target: int = 4) -> list[int]:
    """Gridline values for counts from 0 to a round number at or above ``maximum``, about ``target`` steps."""
    if maximum <= 0:
        return [0, 1]
    step = nice_step(maximum / target)
    top = math.ceil(maximum / step) * step
    return list(range(0, top + 1, step))


def _anchor(x: float) -> str:
    # Labels near an edge grow inwards instead of being cut off by it.
    if x < 10:
        return "start"
    if x > 90:
        return "end"
    return "middle"


# Bar charts --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tick:
    x: float  # percent of the width
    label: str
    anchor: str  # SVG text-anchor
    minor: bool = False  # hidden on narrow screens


@dataclass(frozen=True)
class Bar:
    key: str  # series key or band, also the CSS modifier
    y: float
    height: float
    width: float  # percent of the width, 0..100
    text: str  # the value as printed
    text_y: float  # the bar's middle (drawn with dominant-baseline: central)
    inside: bool  # printed inside the bar's end (long bars) rather than after it


@dataclass(frozen=True)
class BarGroup:
    label: str  # cut for phones
    label_wide: str  # cut for wider screens
    full_label: str
    label_y: float
    top: float
    height: float
    bars: tuple[Bar, ...]
    row: Any = field(default=None, compare=False)


@dataclass(frozen=True)
class BarChart:
    groups: tuple[BarGroup, ...]
    ticks: tuple[Tick, ...]
    height: float
    grid_top: float
    grid_bottom: float
    tick_y: float
    title_y: float
    total: int  # rows before the cut to the top N

    @property
    def shown(self) -> int:
        return len(self.groups)

    @property
    def truncated(self) -> bool:
        return self.total > self.shown


def percent_ticks(step: int = 20) -> tuple[Tick, ...]:
    return tuple(Tick(float(v), str(v), _anchor(v)) for v in range(0, 101, step))


def bar_chart(
    items: Sequence[tuple[str, Any, Sequence[tuple[str, float, str]]]], *, total: int | None = None, bar: float = 13
) -> BarChart:
    """Horizontal bars grouped under their label: ``items`` are ``(label, row, [(key, fraction, text), ...])``.

    Fractions are of the full width (0..1, clamped); ``row`` rides along for the template (tooltips).
    """
    groups = []
    y = 4.0
    for label, row, values in items:
        top = y
        label_y = y + 15
        y += LABEL_LINE
        bars = []
        for key, fraction, text in values:
            fraction = min(1.0, max(0.0, float(fraction)))
            bars.append(
                Bar(
                    key=key,
                    y=round(y, 2),
                    height=bar,
                    width=round(fraction * 100, 2),
                    text=text,
                    text_y=round(y + bar / 2, 2),
                    inside=fraction >= INSIDE_FROM,
                )
            )
            y += bar + BAR_GAP
        y += GROUP_GAP - BAR_GAP
        groups.append(
            BarGroup(
                label=truncate(label, NARROW_LABEL_EM),
                label_wide=truncate(label, WIDE_LABEL_EM),
                full_label=" ".join(str(label).split()),
                label_y=round(label_y, 2),
                top=round(top, 2),
                height=round(y - top, 2),
                bars=tuple(bars),
                row=row,
            )
        )
    grid_bottom = y - GROUP_GAP + 6
    return BarChart(
        groups=tuple(groups),
        ticks=percent_ticks(),
        height=round(grid_bottom + AXIS_SPACE, 2),
        grid_top=0,
        grid_bottom=round(grid_bottom, 2),
        tick_y=round(grid_bottom + 16, 2),
        title_y=round(grid_bottom + 35, 2),
        total=len(items) if total is None else total,
    )


ORG_SERIES = ("participation", "pass_rate", "excellent_rate", "average")


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.0f}%"


def org_chart(rows: Sequence[dict], limit: int = 10) -> BarChart:
    """Participation, pass and excellent rates and the average score (out of 100) of the first ``limit``
    organisations of :func:`quiz.services.challenge.org_rankings` (already best first)."""
    items = [
        (
            r["name"],
            r,
            [
                ("participation", r["participation"], _pct(r["participation"])),
                ("pass_rate", r["pass_rate"], _pct(r["pass_rate"])),
                ("excellent_rate", r["excellent_rate"], _pct(r["excellent_rate"])),
                ("average", r["average"] / 100, f"{r['average']:.1f}"),
            ],
        )
        for r in rows[:limit]
    ]
    return bar_chart(items, total=len(rows), bar=13)


QUESTION_BANDS = ((0.6, "bad"), (0.8, "warn"))  # below 60% answered right: hard; below 80%: watch; else fine


def question_band(rate: float) -> str:
    return next((band for bound, band in QUESTION_BANDS if rate < bound), "ok")


def question_chart(rows: Sequence[dict], limit: int = 15) -> BarChart:
    """Correctness of the first ``limit`` questions of :func:`quiz.services.challenge.question_correctness`
    (hardest first), labelled ``#id stem``."""
    items = [
        (f"#{r['question_id']} {r['stem']}", r, [(question_band(r["rate"]), r["rate"], _pct(r["rate"]))])
        for r in rows[:limit]
    ]
    return bar_chart(items, total=len(rows), bar=16)


# Daily curve -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayPoint:
    day: datetime.date
    x: float  # percent of the width
    attempts: int
    people: int
    y_attempts: float  # px inside the plot (0 = its top), for the stretched paths
    y_people: float
    top_attempts: float  # px from the top of the SVG, for dots and labels
    top_people: float
    band_x: float  # the day's hover band (percent): from here ...
    band_width: float  # ... this wide


@dataclass(frozen=True)
class YTick:
    y: float  # px from the top of the SVG
    label: str


@dataclass(frozen=True)
class LineChart:
    points: tuple[DayPoint, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[YTick, ...]
    height: float
    plot_top: float
    plot_height: float
    plot_bottom: float
    tick_y: float
    area_path: str  # attempts, filled down to zero
    attempts_path: str
    people_path: str

    @property
    def single(self) -> bool:
        return len(self.points) == 1

    @property
    def first(self) -> DayPoint:
        return self.points[0]

    @property
    def last(self) -> DayPoint:
        return self.points[-1]

    @property
    def peak(self) -> DayPoint:
        return max(self.points, key=lambda p: (p.attempts, p.people))


def _day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def fill_days(rows: Iterable[dict]) -> list[dict]:
    """``rows`` of ``day``/``attempts``/``people`` from the first to the last day, missing days as zeros."""
    by_day: dict[datetime.date, dict] = {}
    for r in rows:
        day = _day(r["day"])
        seen = by_day.setdefault(day, {"day": day, "attempts": 0, "people": 0})
        seen["attempts"] += int(r["attempts"])
        seen["people"] += int(r["people"])
    if not by_day:
        return []
    first, last = min(by_day), max(by_day)
    days = (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    return [by_day.get(d, {"day": d, "attempts": 0, "people": 0}) for d in days]


def _path(points: Sequence[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{x:.2f} {y:.2f}" for x, y in points)


def daily_chart(rows: Iterable[dict], *, plot_height: float = PLOT_HEIGHT) -> LineChart | None:
    """Attempts (area) and participants (line) per day, gaps filled with zeros; None without any day."""
    days = fill_days(rows)
    if not days:
        return None
    n = len(days)
    span = 100 - 2 * X_INSET
    xs = [50.0] if n == 1 else [X_INSET + span * i / (n - 1) for i in range(n)]
    step_width = span / max(1, n - 1)
    values = count_ticks(max(max(d["attempts"], d["people"]) for d in days))
    top = values[-1]

    def inner(v: int) -> float:
        return round(plot_height * (1 - v / top), 2)

    points = tuple(
        DayPoint(
            day=d["day"],
            x=round(x, 2),
            attempts=d["attempts"],
            people=d["people"],
            y_attempts=inner(d["attempts"]),
            y_people=inner(d["people"]),
            top_attempts=round(PLOT_TOP + inner(d["attempts"]), 2),
            top_people=round(PLOT_TOP + inner(d["people"]), 2),
            band_x=round(start, 2),
            band_width=round(end - start, 2),
        )
        for i, (d, x) in enumerate(zip(days, xs, strict=True))
        # The first and last days' bands reach the edges: the whole width answers a hover.
        for start, end in [(0.0 if i == 0 else x - step_width / 2, 100.0 if i == n - 1 else x + step_width / 2)]
    )
    every = 1 if n == 1 else math.ceil((n - 1) / (MAX_DATE_TICKS - 1))
    shown = range(0, n, every)
    phone_every = max(1, math.ceil((len(shown) - 1) / (MAX_PHONE_DATE_TICKS - 1)))
    x_ticks = tuple(
        Tick(points[i].x, f"{points[i].day:%m-%d}", "middle", minor=k % phone_every != 0) for k, i in enumerate(shown)
    )
    plot_bottom = PLOT_TOP + plot_height
    y_ticks = tuple(YTick(round(PLOT_TOP + inner(v), 2), str(v)) for v in values)
    attempts_line = [(p.x, p.y_attempts) for p in points]
    area = f"{_path(attempts_line)} L{points[-1].x:.2f} {plot_height:.2f} L{points[0].x:.2f} {plot_height:.2f} Z"
    return LineChart(
        points=points,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        height=round(plot_bottom + X_AXIS_SPACE, 2),
        plot_top=PLOT_TOP,
        plot_height=plot_height,
        plot_bottom=plot_bottom,
        tick_y=plot_bottom + 19,
        area_path=area,
        attempts_path=_path(attempts_line),
        people_path=_path([(p.x, p.y_people) for p in points]),
    )
