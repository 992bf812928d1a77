"""A story page's content: every copy in the order outlets ran it, what each changed,
and the primary copy's text as headings and paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from crawler.base.time import parse_utc
from crawler.web.diff import CopyDiff, compare, paragraphs

if TYPE_CHECKING:
    from crawler.story import Copy, Story

MATCH_NAMES = {
    "original": "first copy",
    "url": "same URL",
    "canonical": "canonical URL",
    "exact": "exact text",
    "near": "near-duplicate",
}
# A subheading in stored text: a line marked as Markdown marks one ("## Section"),
# the form extraction keeps structure in. Lines without the mark are paragraphs.
HEADING = re.compile(r"^(#{1,6})[ \t]+(\S.*)$")


@dataclass
class CopyView:
    record: Copy
    primary: bool
    match_name: str
    diff: CopyDiff | None  # None: the primary itself, or a copy whose text was not stored
    lag: str  # how long after the first copy this one was first seen ("" for the first)
    anchor: str  # the id of its row in the timeline


@dataclass(frozen=True)
class TextBlock:
    kind: Literal["heading", "paragraph"]
    text: str
    level: int = 0  # a heading's level under the page's h1 and h2s: 3 to 6


@dataclass
class StoryView:
    story: Story
    blocks: list[TextBlock]
    copies: list[CopyView]  # by first seen, earliest first

    @property
    def changed(self) -> list[CopyView]:
        return [copy for copy in self.copies if not copy.primary]


def text_blocks(text: str | None) -> list[TextBlock]:
    """The text's paragraphs, with marked subheadings as headings: the text's top
    level becomes h3 (the page's own h1 is the title, its h2s are its sections)."""
    lines = [(line, HEADING.match(line)) for line in paragraphs(text)]
    top = min((len(m.group(1)) for _, m in lines if m), default=1)
    blocks = []
    for line, heading in lines:
        if heading:
            level = min(6, len(heading.group(1)) - top + 3)
            blocks.append(TextBlock("heading", heading.group(2).strip(" #"), level))
        else:
            blocks.append(TextBlock("paragraph", line))
    return blocks


def lag(seconds: float) -> str:
    """`+2 h 05 min`, `+3 d 4 h`, `+40 s`: time behind the first copy."""
    whole = max(0, int(seconds))
    days, rest = divmod(whole, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"+{days} d {hours} h"
    if hours:
        return f"+{hours} h {minutes:02d} min"
    return f"+{minutes} min" if minutes else f"+{secs} s"


def _seen(record: Copy) -> float:
    try:
        return parse_utc(record.first_seen).timestamp()
    except ValueError:
        return float("inf")  # an unreadable time sorts last rather than failing the page


def story_view(story: Story) -> StoryView:
    ordered = sorted(story.copies, key=lambda c: (_seen(c), c.published or "", c.url))
    first = _seen(ordered[0]) if ordered else 0.0
    copies = []
    for number, record in enumerate(ordered, 1):
        is_primary = record.url == story.url
        diff = None
        if not is_primary and record.text is not None:
            diff = compare(story.title, story.text, record.title, record.text)
        match = MATCH_NAMES.get(record.match, record.match)
        behind = _seen(record) - first
        shown = "" if number == 1 else lag(behind) if behind != float("inf") else "unknown"
        copies.append(CopyView(record, is_primary, match, diff, shown, f"copy-{number}"))
    return StoryView(story, text_blocks(story.text), copies)
