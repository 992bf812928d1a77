"""Search results for people (a table) and for scripts (JSON lines, CSV rows)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from crawler.index import Aggregations, SearchHit
    from crawler.story import Story

# Stored-only dedup fields mean nothing to analysts and are large.
_INTERNAL_FIELDS = ("dedup_text", "dedup_bands", "content_hashes")
STORY_COLUMNS = (
    "id",
    "published",
    "first_seen",
    "title",
    "outlet",
    "outlet_count",
    "outlets",
    "topics",
    "language",
    "url",
)
# One entry per copy, earliest seen first, in the same order in each column (joined
# with "; "): which outlet ran it, when it was first seen, where.
COPY_COLUMNS = ("copy_outlets", "copy_first_seen", "copy_urls")
CSV_COLUMNS = STORY_COLUMNS + COPY_COLUMNS
# A UTF-8 byte order mark: spreadsheet programs read a CSV file without one in the
# machine's legacy code page, and non-Latin outlet names and titles come out garbled.
BOM = "\ufeff"
BOLD, RESET = "\033[1m", "\033[0m"


def public_story(story: Story) -> dict[str, Any]:
    """The story's document without the dedup state: what the API, JSON and exports show."""
    doc = story.to_document()
    return {key: value for key, value in doc.items() if key not in _INTERNAL_FIELDS}


def hit_json(hit: SearchHit) -> str:
    record = public_story(hit.story)
    record["score"] = hit.score
    record["snippet"] = hit.snippet
    return json.dumps(record, ensure_ascii=False, sort_keys=True)


def csv_row(story: Story) -> list[str]:
    row = []
    doc = story.to_document()
    for column in STORY_COLUMNS:
        value = doc.get(column)
        row.append("; ".join(map(str, value)) if isinstance(value, list) else str(value or ""))
    copies = sorted(story.copies, key=lambda c: (c.first_seen or "~", c.url))
    row.append("; ".join(c.outlet for c in copies))
    row.append("; ".join(c.first_seen for c in copies))
    row.append("; ".join(c.url for c in copies))
    return row


def export_lines(stories: Iterable[Story], fmt: str, bom: bool = False) -> Iterator[str]:
    """The export file line by line: CSV (header first, after a byte order mark if
    `bom`) or JSON lines, one story each."""
    if fmt == "jsonl":
        for story in stories:
            yield json.dumps(public_story(story), ensure_ascii=False, sort_keys=True) + "\n"
        return
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer)
    for row in (CSV_COLUMNS, *map(csv_row, stories)):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def mark_snippet(snippet: str, color: bool) -> str:
    if color:
        return snippet.replace("«", BOLD).replace("»", RESET)
    return snippet.replace("«", "[").replace("»", "]")


def hits_table(hits: list[SearchHit], total: int, color: bool = False) -> str:
    width = shutil.get_terminal_size((100, 20)).columns
    lines = [f"{total} stories"]
    for hit in hits:
        story = hit.story
        date = (story.published or "")[:10] or "undated"
        outlets = story.outlet_count or 1
        title = story.title or "(no title)"
        lines.append("")
        lines.append(f"{date}  {title[: width - 12]}")
        source = f"{story.outlet} · ran on {outlets} outlet(s)"
        lines.append(f"            {source} · {story.url}")
        if hit.snippet:
            lines.append(f"            {mark_snippet(hit.snippet, color)}")
    return "\n".join(lines)


def bar_chart(title: str, buckets: list[tuple[str, int]], width: int = 40) -> str:
    lines = [title]
    if not buckets:
        return title + "\n  (none)"
    peak = max(count for _, count in buckets) or 1
    label_width = max(len(key) for key, _ in buckets)
    for key, count in buckets:
        bar = "█" * max(1, round(count / peak * width)) if count else ""
        lines.append(f"  {key.ljust(label_width)}  {bar} {count}")
    return "\n".join(lines)


def aggregations_text(aggs: Aggregations) -> str:
    return "\n\n".join(
        [
            bar_chart("Stories per day", [(b.key, b.count) for b in aggs.timeline]),
            bar_chart("Top outlets", [(b.key, b.count) for b in aggs.outlets]),
            bar_chart("Top topics", [(b.key, b.count) for b in aggs.topics]),
        ]
    )
