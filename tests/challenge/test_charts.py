"""The SVG chart geometry of the challenge statistics: scales, ticks, empty input, one day, long names."""

import datetime
import itertools

import pytest

from quiz import charts


def org(name, participation=0.5, pass_rate=0.4, excellent=0.2, average=62.5):
    return {
        "name": name,
        "participation": participation,
        "pass_rate": pass_rate,
        "excellent_rate": excellent,
        "average": average,
    }


def day(n, attempts, people):
    return {"day": datetime.date(2026, 6, 1) + datetime.timedelta(days=n), "attempts": attempts, "people": people}


# Text ----------------------------------------------------------------------------------------------------------------


def test_truncate_keeps_short_text_and_cuts_long_text_within_its_budget():
    assert charts.truncate("阳光小学", 10) == "阳光小学"
    assert charts.truncate("  冷水滩区\n 阳光小学 ", 20) == "冷水滩区 阳光小学"
    long = "永州市冷水滩区梅湾街道第一中心小学附属实验学校分校区"
    cut = charts.truncate(long, 12)
    assert cut.endswith("…") and long.startswith(cut[:-1])
    assert charts.text_em(cut[:-1]) + 1 <= 12
    # Latin letters are narrower: more of them fit the same budget.
    latin = charts.truncate("Yangguang Primary School of Lengshuitan District", 12)
    assert latin.endswith("…") and len(latin) > len(cut)
    assert charts.text_em(latin[:-1]) + 1 <= 12


# Scales --------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (0, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (7, [0, 2, 4, 6, 8]),
        (13, [0, 5, 10, 15]),
        (20, [0, 5, 10, 15, 20]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_count_ticks_are_round_whole_numbers_reaching_the_maximum(maximum, ticks):
    assert charts.count_ticks(maximum) == ticks


def test_percent_ticks_anchor_inwards_at_the_edges():
    ticks = charts.percent_ticks()
    assert [t.label for t in ticks] == ["0", "20", "40", "60", "80", "100"]
    assert ticks[0].anchor == "start" and ticks[-1].anchor == "end"
    assert {t.anchor for t in ticks[1:-1]} == {"middle"}


# Bars ----------------------------------------------------------------------------------------------------------------


def test_org_chart_scales_rates_and_the_average_to_the_full_width():
    chart = charts.org_chart([org("阳光小学", 1.0, 0.75, 0.25, 85.4)])
    (group,) = chart.groups
    assert [b.key for b in group.bars] == list(charts.ORG_SERIES)
    assert [b.width for b in group.bars] == [100.0, 75.0, 25.0, 85.4]
    assert [b.text for b in group.bars] == ["100%", "75%", "25%", "85.4"]
    # Long bars carry their value inside, short ones after their end.
    assert [b.inside for b in group.bars] == [True, True, False, True]
    assert group.label == group.label_wide == group.full_label == "阳光小学"
    assert not chart.truncated


def test_org_chart_clamps_values_outside_zero_to_one():
    (group,) = charts.org_chart([org("甲", participation=1.4, pass_rate=-0.1)]).groups
    assert group.bars[0].width == 100.0 and group.bars[1].width == 0.0


def test_org_chart_shows_the_top_n_and_stacks_groups_without_overlap():
    rows = [org(f"学校{n}") for n in range(14)]
    chart = charts.org_chart(rows, limit=10)
    assert chart.shown == 10 and chart.total == 14 and chart.truncated
    assert [g.full_label for g in chart.groups] == [f"学校{n}" for n in range(10)]
    bottom = 0.0
    for group in chart.groups:
        assert group.label_y > bottom
        for bar in group.bars:
            assert bar.y >= group.label_y  # below its label
            assert bar.y >= bottom  # below the previous bar
            bottom = bar.y + bar.height
    assert chart.grid_bottom >= bottom
    assert chart.tick_y > chart.grid_bottom and chart.title_y > chart.tick_y and chart.height > chart.title_y


def test_long_names_are_cut_for_phones_and_kept_whole_for_tooltips():
    name = "永州市冷水滩区梅湾街道第一中心小学附属实验学校分校区（南校区）"
    (group,) = charts.org_chart([org(name)]).groups
    assert group.full_label == name
    assert group.label.endswith("…") and charts.text_em(group.label[:-1]) + 1 <= charts.NARROW_LABEL_EM
    assert group.label_wide == name  # fits the wide budget
    assert len(group.label) < len(group.label_wide)


def test_empty_rows_draw_no_group():
    chart = charts.org_chart([])
    assert chart.groups == () and chart.total == 0 and not chart.truncated


def test_question_chart_bands_and_labels():
    rows = [
        {"question_id": 7, "stem": "下列哪种物质属于毒品？" * 5, "asked": 10, "right": 3, "rate": 0.3},
        {"question_id": 3, "stem": "吸毒危害", "asked": 10, "right": 7, "rate": 0.7},
        {"question_id": 9, "stem": "禁毒日", "asked": 10, "right": 9, "rate": 0.9},
    ]
    chart = charts.question_chart(rows, limit=2)
    assert chart.total == 3 and chart.shown == 2
    first, second = chart.groups
    assert first.full_label.startswith("#7 下列哪种物质") and first.label.endswith("…")
    assert first.row is rows[0]
    assert [(b.key, b.width, b.text) for b in first.bars] == [("bad", 30.0, "30%")]
    assert second.bars[0].key == "warn"
    assert charts.question_band(0.59) == "bad" and charts.question_band(0.6) == "warn"
    assert charts.question_band(0.8) == "ok" and charts.question_band(1.0) == "ok"


# Daily curve ---------------------------------------------------------------------------------------------------------


def test_no_day_means_no_chart():
    assert charts.daily_chart([]) is None
    assert charts.fill_days([]) == []


def test_a_single_day_is_one_centred_point():
    chart = charts.daily_chart([day(0, 3, 2)])
    assert chart.single
    (point,) = chart.points
    assert point.x == 50.0 and point.band_x == 0.0 and point.band_width == 100.0
    assert [t.label for t in chart.y_ticks] == ["0", "1", "2", "3"]
    assert point.y_attempts == 0.0  # the maximum sits on the top gridline
    assert point.top_attempts == chart.plot_top
    assert point.y_people == pytest.approx(chart.plot_height / 3, abs=0.01)
    (tick,) = chart.x_ticks
    assert (tick.label, tick.anchor, tick.minor) == ("06-01", "middle", False)


def test_missing_days_are_zeros_between_the_first_and_the_last():
    filled = charts.fill_days([day(3, 5, 4), day(0, 2, 2)])
    assert [(d["day"].day, d["attempts"], d["people"]) for d in filled] == [(1, 2, 2), (2, 0, 0), (3, 0, 0), (4, 5, 4)]
    chart = charts.daily_chart([day(3, 5, 4), day(0, 2, 2)])
    assert len(chart.points) == 4
    zero = chart.points[1]
    assert zero.attempts == 0 and zero.y_attempts == chart.plot_height  # on the baseline
    assert zero.top_attempts == chart.plot_bottom
    # Dates given as ISO strings (a cache, JSON) work too.
    assert charts.fill_days([{"day": "2026-06-02", "attempts": 1, "people": 1}])[0]["day"] == datetime.date(2026, 6, 2)


def test_many_days_spread_over_the_width_with_at_most_twelve_date_ticks():
    rows = [day(n, n % 7 + 1, min(n % 7 + 1, n % 5 + 1)) for n in range(45)]
    chart = charts.daily_chart(rows)
    xs = [p.x for p in chart.points]
    assert xs[0] == charts.X_INSET and xs[-1] == 100 - charts.X_INSET
    assert xs == sorted(xs) and len(set(xs)) == 45
    assert 2 <= len(chart.x_ticks) <= charts.MAX_DATE_TICKS
    assert chart.x_ticks[0].label == "06-01" and {t.anchor for t in chart.x_ticks} == {"middle"}
    # Phones see fewer dates: the first and enough to read the range.
    majors = [t for t in chart.x_ticks if not t.minor]
    assert majors[0] == chart.x_ticks[0] and 3 <= len(majors) <= charts.MAX_PHONE_DATE_TICKS
    # Hover bands tile the width without gaps.
    for a, b in itertools.pairwise(chart.points):
        assert a.band_x + a.band_width == pytest.approx(b.band_x, abs=0.02)
    last = chart.points[-1]
    assert chart.points[0].band_x == 0 and last.band_x + last.band_width == pytest.approx(100, abs=0.02)
    # Paths: one point per day, the area closed on the baseline.
    assert chart.attempts_path.count("L") == 44 and chart.people_path.startswith("M7.00 ")
    assert chart.area_path.endswith(f"L7.00 {chart.plot_height:.2f} Z")
    assert chart.peak.attempts == 7
    # y: higher counts are higher up, within the plot.
    for p in chart.points:
        assert 0 <= p.y_attempts <= p.y_people <= chart.plot_height


@pytest.mark.parametrize("n", [*range(2, 32), 45, 60, 92, 200])
def test_date_ticks_neither_crowd_nor_leave_the_chart(n):
    chart = charts.daily_chart([day(i, 1, 1) for i in range(n)])
    ticks = chart.x_ticks
    assert ticks[0].label == "06-01"
    assert len(ticks) <= charts.MAX_DATE_TICKS
    if n <= charts.MAX_DATE_TICKS:
        assert len(ticks) == n  # every day has its date from 40rem
    majors = [t.x for t in ticks if not t.minor]
    if n <= charts.MAX_PHONE_DATE_TICKS:
        assert len(majors) == n  # all of them, even on a phone
    # A date ("06-01", 12 px) is about 36 px wide and centred on its day. From 40rem the chart is at least 570 px
    # wide, on a phone about 300 px: labels keep 8 px apart and 18 px inside the edges.
    assert all((b - a) * 5.7 >= 44 for a, b in itertools.pairwise(t.x for t in ticks))
    assert all((b - a) * 3 >= 44 for a, b in itertools.pairwise(majors))
    assert ticks[0].x * 3 >= 18 and (100 - ticks[-1].x) * 3 >= 18
