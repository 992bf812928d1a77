"""Time axes of the coverage charts and the histogram: bucket size, zero-filling, ticks."""

from __future__ import annotations

from datetime import UTC, date, datetime

from crawler.index import Bucket
from crawler.web.charts import (
    NARROW,
    WIDE,
    choose_interval,
    nice_ticks,
    time_buckets,
    timeline_chart,
)


def days(*pairs: tuple[str, int]) -> list[Bucket]:
    return [Bucket(day, count) for day, count in pairs]


def test_the_bucket_size_follows_the_range() -> None:
    assert choose_interval(date(2026, 1, 1), date(2026, 3, 1)) == "day"
    assert choose_interval(date(2026, 1, 1), date(2026, 9, 1)) == "week"
    assert choose_interval(date(2018, 10, 9), date(2026, 12, 2)) == "month"
    assert choose_interval(date(1970, 1, 1), date(2026, 12, 2)) == "year"


def test_far_apart_days_are_months_apart_on_the_axis() -> None:
    interval, buckets = time_buckets(days(("2018-10-09", 1), ("2019-11-14", 2), ("2026-12-02", 3)))
    assert interval == "month"
    assert buckets[0].start == date(2018, 10, 1) and buckets[-1].start == date(2026, 12, 1)
    assert len(buckets) == 12 * 8 + 3  # every month of the range, empty ones too
    assert [b.count for b in buckets if b.count] == [1, 2, 3]


def test_weeks_start_on_monday_and_the_filter_sets_the_range() -> None:
    since = datetime(2026, 1, 1, tzinfo=UTC)
    until = datetime(2026, 6, 30, tzinfo=UTC)
    interval, buckets = time_buckets(days(("2026-03-04", 2), ("2026-03-05", 1)), since, until)
    assert interval == "week"
    assert buckets[0].start == date(2025, 12, 29) and buckets[-1].end > date(2026, 6, 30)
    assert all(b.start.weekday() == 0 for b in buckets)
    assert sum(b.count for b in buckets) == 3
    assert [b.count for b in buckets if b.start == date(2026, 3, 2)] == [3]


def test_round_ticks_reach_the_peak() -> None:
    assert nice_ticks(2) == [0, 1, 2]
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(1234)[-1] >= 1234 and len(nice_ticks(1234)) <= 6


def test_each_layout_keeps_its_tick_labels_apart_and_inside() -> None:
    chart = timeline_chart(
        days(*((f"2026-01-{d:02d}", d) for d in range(1, 31))), lambda b: f"/?d={b.start}"
    )
    assert chart.title == "Stories per day, UTC, by publication date"
    for plot, frame in zip(chart.plots, (WIDE, NARROW), strict=True):
        xs = [tick.x for tick in plot.x_ticks]
        room = 10 * frame.font * 0.62
        assert all(b - a >= room for a, b in zip(xs, xs[1:], strict=False))
        assert all(tick.label.startswith("2026-") for tick in plot.x_ticks)
        assert len(plot.bars) == 30 and all(bar.href for bar in plot.bars)
