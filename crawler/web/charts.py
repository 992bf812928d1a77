"""Coverage charts as plain data for server-rendered SVG, on a real time axis.

Days come from the backend (one bucket per day that has stories); here they are
summed into days, weeks or months chosen from the range shown, every bucket of the
range is kept (zero where nothing was published, so gaps show as gaps), and each
chart is laid out twice: for a wide screen and for a phone's width, where an SVG
scaled down to fit would shrink its text to a few pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.index import Bucket

Interval = Literal["day", "week", "month", "year"]
# The longest range (in days) drawn with each bucket size; longer ones use the next.
INTERVAL_LIMITS: tuple[tuple[Interval, int], ...] = (
    ("day", 92),
    ("week", 2 * 366),
    ("month", 25 * 366),
    ("year", 10**6),
)
AXIS_TITLE = "Publication date (UTC)"


@dataclass(frozen=True)
class Frame:
    """One layout: the SVG's viewBox size, the plot's margins, the text size."""

    name: str  # the CSS class that shows it: chart-wide or chart-narrow
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font: int

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom


WIDE = Frame("chart-wide", 720, 250, 58, 16, 14, 52, 12)
NARROW = Frame("chart-narrow", 360, 250, 50, 10, 14, 56, 12)
WIDE_SMALL = Frame("chart-wide", 720, 130, 46, 12, 8, 36, 11)
NARROW_SMALL = Frame("chart-narrow", 360, 140, 40, 8, 8, 40, 11)


@dataclass(frozen=True)
class TimeBucket:
    start: date
    end: date  # exclusive
    count: int

    def label(self, interval: Interval) -> str:
        if interval == "month":
            return self.start.strftime("%Y-%m")
        if interval == "year":
            return str(self.start.year)
        if interval == "week":
            return f"week of {self.start.isoformat()}"
        return self.start.isoformat()


@dataclass(frozen=True)
class Mark:
    """A positioned element: a bar (x, y, width, height), a tick or a grid line."""

    label: str
    count: int = 0
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    href: str | None = None
    anchor: str = "middle"  # a tick label's text-anchor: kept inside the chart at its ends


@dataclass
class Plot:
    """A chart laid out in one frame."""

    frame: Frame
    bars: list[Mark]
    x_ticks: list[Mark]
    y_ticks: list[Mark]  # grid lines at y, labelled with the value


@dataclass
class Chart:
    title: str  # what is counted, with the unit and the time zone
    kind: Literal["time", "ranking"]
    rows: list[Mark]  # the data table: label, count, link
    plots: list[Plot] = field(default_factory=list)
    x_title: str = ""
    y_title: str = ""

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def peak(self) -> int:
        return max((row.count for row in self.rows), default=0)


def choose_interval(first: date, last: date) -> Interval:
    span = (last - first).days
    return next(name for name, limit in INTERVAL_LIMITS if span <= limit)


def _floor(day: date, interval: Interval) -> date:
    if interval == "week":
        return day - timedelta(days=day.weekday())  # weeks start on Monday (ISO)
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def _next(start: date, interval: Interval) -> date:
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(days=7)
    if interval == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def time_buckets(
    days: list[Bucket], since: datetime | None = None, until: datetime | None = None
) -> tuple[Interval, list[TimeBucket]]:
    """Per-day counts summed into zero-filled buckets over the range shown: the date
    filter's where it is set, else the first to the last day with stories."""
    counts = {date.fromisoformat(b.key): b.count for b in days}
    if not counts:
        return "day", []
    first = since.date() if since else min(counts)
    last = until.date() if until else max(counts)
    first, last = min(first, min(counts)), max(last, max(counts))
    interval = choose_interval(first, last)
    totals: dict[date, int] = {}
    for day, count in counts.items():
        start = _floor(day, interval)
        totals[start] = totals.get(start, 0) + count
    buckets = []
    start = _floor(first, interval)
    while start <= last:
        end = _next(start, interval)
        buckets.append(TimeBucket(start, end, totals.get(start, 0)))
        start = end
    return interval, buckets


def nice_ticks(peak: int, most: int = 5) -> list[int]:
    """0 and round steps (1, 2 or 5 times a power of ten) up to at least `peak`."""
    if peak <= 0:
        return [0, 1]
    raw = peak / (most - 1)
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return list(range(0, peak + step, step)) if peak % step else list(range(0, peak + 1, step))


def _time_plot(
    frame: Frame, buckets: list[TimeBucket], interval: Interval, hrefs: dict[date, str]
) -> Plot:
    ticks = nice_ticks(max(b.count for b in buckets))
    top = ticks[-1] or 1
    step = frame.plot_width / len(buckets)
    bottom = frame.top + frame.plot_height
    bars = []
    for index, bucket in enumerate(buckets):
        height = frame.plot_height * bucket.count / top
        x = frame.left + index * step
        bars.append(
            Mark(
                bucket.label(interval),
                bucket.count,
                x + step * 0.08,
                bottom - height,
                max(step * 0.84, 0.5),
                height,
                hrefs.get(bucket.start),
            )
        )
    y_ticks = [Mark(str(n), n, y=bottom - frame.plot_height * n / top) for n in ticks]
    return Plot(frame, bars, _x_ticks(frame, buckets, interval, step), y_ticks)


def _x_ticks(
    frame: Frame, buckets: list[TimeBucket], interval: Interval, step: float
) -> list[Mark]:
    """Dates with their year under the axis, as many as fit without overlapping."""
    label = {"day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[interval]
    room = len(buckets[0].start.strftime(label)) * frame.font * 0.62 + frame.font
    every = max(1, math.ceil(room / step))
    y = frame.top + frame.plot_height + frame.font + 6
    half = room / 2 - frame.font / 2
    ticks = []
    for index in range(0, len(buckets), every):
        x = frame.left + index * step + step / 2
        anchor = "end" if x + half > frame.width - 2 else "middle"
        ticks.append(Mark(buckets[index].start.strftime(label), x=x, y=y, anchor=anchor))
    return ticks


def timeline_chart(
    days: list[Bucket],
    link: Callable[[TimeBucket], str],
    since: datetime | None = None,
    until: datetime | None = None,
    small: bool = False,
) -> Chart:
    """Stories per day, week or month as vertical bars on a time axis; each bar links
    (`link`) to the search narrowed to its dates."""
    interval, buckets = time_buckets(days, since, until)
    title = f"Stories per {interval}, UTC, by publication date"
    hrefs = {b.start: link(b) for b in buckets if b.count}
    rows = [Mark(b.label(interval), b.count, href=hrefs[b.start]) for b in buckets if b.count]
    chart = Chart(title, "time", rows, x_title=AXIS_TITLE, y_title=f"stories per {interval}")
    if buckets:
        frames = (WIDE_SMALL, NARROW_SMALL) if small else (WIDE, NARROW)
        chart.plots = [_time_plot(frame, buckets, interval, hrefs) for frame in frames]
    return chart


def ranking_chart(title: str, buckets: list[Bucket], link: Callable[[str], str]) -> Chart:
    """Top outlets (or topics) as horizontal bars, longest first, the count at each end."""
    rows = [Mark(b.key, b.count, href=link(b.key)) for b in buckets]
    chart = Chart(title, "ranking", rows, x_title="stories")
    if rows:
        chart.plots = [_ranking_plot(WIDE, rows, 190), _ranking_plot(NARROW, rows, 130)]
    return chart


def _ranking_plot(frame: Frame, rows: list[Mark], label_width: int) -> Plot:
    row_height = frame.font * 2.2
    peak = max(row.count for row in rows) or 1
    plot_width = frame.width - label_width - frame.right - 40
    bars = [
        Mark(
            row.label,
            row.count,
            float(label_width),
            index * row_height + 4,
            max(2.0, plot_width * row.count / peak),
            row_height - 8,
            row.href,
        )
        for index, row in enumerate(rows)
    ]
    height = int(len(rows) * row_height + 8)
    sized = Frame(frame.name, frame.width, height, label_width, frame.right, 0, 0, frame.font)
    return Plot(sized, bars, [], [])
