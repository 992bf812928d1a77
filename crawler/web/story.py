"""A story page's content: every copy in the order outlets ran it, what each changed,
and the primary copy's text as headings and paragraphs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from crawler.base import storytext
from crawler.base.time import parse_utc
from crawler.dedup.normalise import body_words
from crawler.web.diff import CopyDiff, compare

if TYPE_CHECKING:
    from crawler.story import Copy, Story

_WORD = re.compile(r"\w+")
MATCH_NAMES = {
    "original": "first copy",
    "url": "same URL",
    "canonical": "canonical URL",
    "exact": "exact text",
    "near": "near-duplicate",
}


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
    """A block as the page shows it: consecutive list items make one list."""

    kind: Literal["heading", "paragraph", "list", "quote"]
    text: str = ""
    level: int = 0  # a heading's level under the page's h1 and h2s: 3 to 6
    items: tuple[str, ...] = ()


@dataclass
class StoryView:
    story: Story
    blocks: list[TextBlock]
    copies: list[CopyView]  # by first seen, earliest first
    lede: str = ""  # the description, unless the text opens with it

    @property
    def changed(self) -> list[CopyView]:
        return [copy for copy in self.copies if not copy.primary]


def text_blocks(text: str | None) -> list[TextBlock]:
    """The stored text's blocks (crawler/base/storytext.py) for the page: the text's
    top heading level becomes h3 (the page's own h1 is the title, its h2s its sections)."""
    stored = storytext.blocks(text)
    top = min((b.level for b in stored if b.kind == "heading"), default=1)
    shown: list[TextBlock] = []
    for block in stored:
        if block.kind == "heading":
            shown.append(TextBlock("heading", block.text, min(6, block.level - top + 3)))
        elif block.kind == "item":
            if shown and shown[-1].kind == "list":
                shown[-1] = TextBlock("list", items=(*shown[-1].items, block.text))
            else:
                shown.append(TextBlock("list", items=(block.text,)))
        else:
            shown.append(TextBlock(block.kind, block.text))
    return shown


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def lede(description: str, text: str | None) -> str:
    """The description to show above the text, or "" when the text's first paragraphs
    already say it (many outlets declare their opening paragraph as the description)."""
    wanted = _words(description)
    if not wanted:
        return ""
    opening = ""
    opening_blocks = [b.text for b in storytext.blocks(text) if b.kind != "heading"]
    for line in opening_blocks[:3]:
        opening = f"{opening} {_words(line)}".strip()
        if opening.startswith(wanted) or (len(opening) > 40 and wanted.startswith(opening)):
            return ""
    return description


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
    primary_words = body_words(story.text)
    copies = []
    for number, record in enumerate(ordered, 1):
        is_primary = record.url == story.url
        diff = None
        if not is_primary and record.text is not None:
            # Equal in dedup's normal form (an exact match): no paragraph changed.
            same = body_words(record.text) == primary_words
            diff = compare(story.title, story.text, record.title, record.text, same_text=same)
        match = MATCH_NAMES.get(record.match, record.match)
        behind = _seen(record) - first
        shown = "" if number == 1 else lag(behind) if behind != float("inf") else "unknown"
        copies.append(CopyView(record, is_primary, match, diff, shown, f"copy-{number}"))
    return StoryView(story, text_blocks(story.text), copies, lede(story.description, story.text))
