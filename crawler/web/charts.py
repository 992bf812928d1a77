"""Coverage charts as plain data for server-rendered SVG: bar geometry, labels, ticks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.index import Bucket

# Days between the first and last bucket filled in with zero bars; longer spans keep
# only the days that have stories (a chart of thousands of empty days says nothing).
MAX_FILLED_DAYS = 366
WIDTH, HEIGHT = 640, 220  # viewBox units; the SVG scales to the page width
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT = 12, 180, 36
ROW_HEIGHT, LABEL_WIDTH = 26, 180


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    width: int
    height: int
    peak: int
    ticks: list[Bar]  # labelled positions along the axis (label, x, y)

    @property
    def empty(self) -> bool:
        return not self.bars


def _filled(buckets: list[Bucket]) -> list[tuple[str, int]]:
    pairs = [(b.key, b.count) for b in buckets]
    try:
        first, last = date.fromisoformat(pairs[0][0]), date.fromisoformat(pairs[-1][0])
    except (IndexError, ValueError):
        return pairs
    span = (last - first).days
    if span > MAX_FILLED_DAYS:
        return pairs
    counts = dict(pairs)
    days = (first + timedelta(days=n) for n in range(span + 1))
    return [(d.isoformat(), counts.get(d.isoformat(), 0)) for d in days]


def timeline_chart(buckets: list[Bucket]) -> Chart:
    """Stories per day as vertical bars, with a date label at the ends and every ~7th bar."""
    days = _filled(buckets)
    peak = max((count for _, count in days), default=0) or 1
    plot_width = WIDTH - PLOT_LEFT - 8
    step = plot_width / max(len(days), 1)
    bars, ticks = [], []
    every = max(1, len(days) // 6)
    for index, (day, count) in enumerate(days):
        height = (PLOT_BOTTOM - PLOT_TOP) * count / peak
        x = PLOT_LEFT + index * step
        bars.append(Bar(day, count, x + step * 0.1, PLOT_BOTTOM - height, step * 0.8, height))
        if index % every == 0 or index == len(days) - 1:
            ticks.append(Bar(day[5:], 0, x + step / 2, PLOT_BOTTOM + 16, 0, 0))
    return Chart("Stories per day", bars, WIDTH, HEIGHT, peak, ticks)


def outlets_chart(buckets: list[Bucket]) -> Chart:
    """Top outlets as horizontal bars, longest first, the count at each bar's end."""
    peak = max((b.count for b in buckets), default=0) or 1
    plot_width = WIDTH - LABEL_WIDTH - 48
    bars = [
        Bar(
            b.key,
            b.count,
            LABEL_WIDTH,
            index * ROW_HEIGHT + 4,
            max(2.0, plot_width * b.count / peak),
            ROW_HEIGHT - 8,
        )
        for index, b in enumerate(buckets)
    ]
    height = max(len(bars), 1) * ROW_HEIGHT + 8
    return Chart("Top outlets", bars, WIDTH, height, peak, [])
