"""The stored story text: one block a line, subheadings, list items and quotes marked.

Extraction keeps the structure of the article body in the text it stores, in a
small Markdown-like form that reads as plain text too:

    ## A subheading            (two marks: under the page's headline and sections)
    A paragraph.
    - A list item.
    > A block quote.

Everything that reads stored text (furniture learning, dedup signing, topic
matching, the story page and its diffs) goes through `blocks()` or `plain()`,
so a mark never counts as a word and a subheading is never mistaken for prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "quote"]

HEADING_MARK = "## "
ITEM_MARK = "- "
QUOTE_MARK = "> "
_MARKED = re.compile(r"^(?:(#{1,6})[ \t]+|([-•][ \t]+)|(>[ \t]*))(?=\S)")


@dataclass(frozen=True)
class TextBlock:
    """One paragraph of stored text; `level` is a heading's number of marks (1-6)."""

    kind: BlockKind
    text: str
    level: int = 0

    def line(self) -> str:
        """The block as a stored line."""
        return mark(self.kind, self.text, self.level)


def mark(kind: BlockKind, text: str, level: int = 2) -> str:
    """A stored line: `text` on one line with the mark of `kind`."""
    text = " ".join(text.split())
    if not text:
        return ""
    if kind == "heading":
        return "#" * max(1, min(6, level or 2)) + " " + text
    if kind == "item":
        return ITEM_MARK + text
    if kind == "quote":
        return QUOTE_MARK + text
    return text


def block(line: str) -> TextBlock:
    """The block one stored line holds (a line without a mark is a paragraph)."""
    line = line.strip()
    found = _MARKED.match(line)
    if found is None:
        return TextBlock("paragraph", line)
    body = line[found.end() :].strip()
    if found.group(1):
        return TextBlock("heading", body.rstrip(" #") or body, len(found.group(1)))
    return TextBlock("item" if found.group(2) else "quote", body)


def blocks(text: str | None) -> list[TextBlock]:
    """The text's blocks in order; blank lines separate nothing and are skipped."""
    return [block(line) for line in (text or "").splitlines() if line.strip()]


def plain(line: str) -> str:
    """A line's words without its mark."""
    return block(line).text


def plain_lines(text: str | None) -> list[str]:
    """Every block's text without marks, one per block."""
    return [b.text for b in blocks(text)]


def plain_text(text: str | None) -> str:
    """The text without marks, one block a line (for matching and search)."""
    return "\n".join(plain_lines(text))


def is_heading(line: str) -> bool:
    """Whether a stored line is a marked subheading."""
    return block(line).kind == "heading"


def join(parts: list[TextBlock]) -> str:
    """Stored text of `parts`, one block a line."""
    return "\n".join(line for line in (b.line() for b in parts) if line)


__all__ = [
    "HEADING_MARK",
    "ITEM_MARK",
    "QUOTE_MARK",
    "BlockKind",
    "TextBlock",
    "block",
    "blocks",
    "is_heading",
    "join",
    "mark",
    "plain",
    "plain_lines",
    "plain_text",
]
