"""Service hours are truncated to one decimal (13:30-15:45 -> 2.2), as the volunteer platforms show them."""

import datetime
from decimal import Decimal

import pytest

from campaigns.volunteers.models import service_hours

from .factories import at

DAY = datetime.date(2026, 6, 26)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        ("13:30", "15:45", "2.2"),  # 2.25 h: truncated, not rounded to 2.3
        ("09:00", "12:00", "3.0"),
        ("09:00", "09:05", "0.0"),  # 0.083 h
        ("09:00", "09:06", "0.1"),  # exactly 0.1 h
        ("08:10", "11:59", "3.8"),  # 3.816 h
        ("14:00", "14:59", "0.9"),  # 0.983 h: never rounds up to 1.0
        ("07:30", "17:30", "10.0"),
    ],
)
def test_hours_are_truncated_to_one_decimal(start, end, hours):
    assert service_hours(at(DAY, start), at(DAY, end)) == Decimal(hours)


def test_seconds_do_not_round_up():
    start = at(DAY, "13:30")
    assert service_hours(start, start + datetime.timedelta(minutes=5, seconds=59)) == Decimal("0.0")


def test_no_negative_hours():
    assert service_hours(at(DAY, "15:00"), at(DAY, "14:00")) == Decimal("0.0")
