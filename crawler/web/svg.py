"""A laid-out chart (crawler/web/charts.py) as SVG markup, built in Python: a chart
has hundreds of bars, twice (wide and phone layouts), and a template loop costs more
per bar than the search that found them. Every label is escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from crawler.web.charts import Chart, Mark, Plot


def _bar(bar: Mark, precision: int) -> str:
    rect = (
        f'<rect class="bar" x="{bar.x:.{precision}f}" y="{bar.y:.1f}" '
        f'width="{bar.width:.{precision}f}" height="{bar.height:.1f}">'
        f"<title>{escape(bar.label)}: {bar.count}</title></rect>"
    )
    return f'<a href="{escape(bar.href)}">{rect}</a>' if bar.href else rect


def _time(chart: Chart, plot: Plot) -> list[str]:
    f = plot.frame
    bottom = f.top + f.plot_height
    right = f.width - f.right
    parts = []
    for tick in plot.y_ticks:
        parts.append(
            f'<line class="grid" x1="{f.left}" y1="{tick.y:.1f}" x2="{right}" y2="{tick.y:.1f}"/>'
            f'<text class="tick" x="{f.left - 6}" y="{tick.y + 4:.1f}" text-anchor="end">'
            f"{escape(tick.label)}</text>"
        )
    parts.append(
        f'<text class="axis-title" transform="translate({f.font + 2} {f.top + f.plot_height / 2})'
        f' rotate(-90)" text-anchor="middle">{escape(chart.y_title)}</text>'
    )
    parts += [_bar(bar, 2) for bar in plot.bars]
    parts.append(f'<line class="axis" x1="{f.left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>')
    for tick in plot.x_ticks:
        parts.append(
            f'<line class="axis" x1="{tick.x:.1f}" y1="{bottom}" x2="{tick.x:.1f}" '
            f'y2="{bottom + 4}"/><text class="tick" x="{tick.x:.1f}" y="{tick.y:.1f}" '
            f'text-anchor="{tick.anchor}">{escape(tick.label)}</text>'
        )
    parts.append(
        f'<text class="axis-title" x="{f.left + f.plot_width / 2}" y="{f.height - 4}" '
        f'text-anchor="middle">{escape(chart.x_title)}</text>'
    )
    return parts


def _ranking(plot: Plot) -> list[str]:
    f = plot.frame
    room = 22 if f.width > 400 else 15
    parts = []
    for bar in plot.bars:
        label = bar.label if len(bar.label) <= room else bar.label[: room - 1] + "…"
        baseline = bar.y + bar.height - 4
        parts.append(
            f'<text class="tick" x="{f.left - 8}" y="{baseline:.1f}" text-anchor="end">'
            f"{escape(label)}</text>{_bar(bar, 1)}"
            f'<text class="tick" x="{bar.x + bar.width + 6:.1f}" y="{baseline:.1f}">'
            f"{bar.count}</text>"
        )
    return parts


def chart_svg(chart: Chart, plot: Plot) -> Markup:
    f = plot.frame
    label = f"{chart.title}: {len(chart.rows)} bars, highest {chart.peak}"
    body = _time(chart, plot) if chart.kind == "time" else _ranking(plot)
    return Markup(
        f'<svg class="chart-svg {f.name}" viewBox="0 0 {f.width} {f.height}" role="img" '
        f'aria-label="{escape(label)}" font-size="{f.font}">{"".join(body)}</svg>'
    )
