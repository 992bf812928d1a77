"""What one outlet changed against the primary copy: headline, truncation, paragraphs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from crawler.base import storytext
from crawler.base.fold import fold
from crawler.furniture.prior import is_furniture

_WORD = re.compile(r"\w+")
_ALNUM = re.compile(r"[^\W_]")  # a separator line ("___", "* * *") has no letter or digit
# A copy cut short often ends its last paragraph with an ellipsis or "Read more".
_CUT_MARK = re.compile(r"\s*(?:\.\.\.|…|\[…\]|\(…\))\s*$")


@dataclass
class Segment:
    """A run of words: in both texts, only in the primary, or only in the copy."""

    kind: Literal["same", "dropped", "inserted"]
    text: str


@dataclass
class Block:
    """One step of the paragraph diff; `same` blocks only count the paragraphs they skip,
    `cut` holds the primary's paragraphs after a truncated copy ends."""

    kind: Literal["same", "dropped", "inserted", "changed", "cut"]
    paragraphs: list[str] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    count: int = 0


@dataclass
class CopyDiff:
    headline: list[Segment] | None  # None: the copy ran the primary's headline
    blocks: list[Block]
    primary_paragraphs: int
    copy_paragraphs: int
    inserted: int = 0
    dropped: int = 0
    changed: int = 0
    truncated_after: int | None = None  # the copy ends in this paragraph (1-based)
    closing: list[str] = field(default_factory=list)  # the copy's own lines after its cut

    @property
    def identical(self) -> bool:
        changes = (self.inserted, self.dropped, self.changed, self.truncated_after)
        return self.headline is None and not any(changes)


def paragraphs(text: str | None) -> list[str]:
    """The blocks' words, marks left out (a subheading one outlet marks and another
    sets as a paragraph is the same paragraph), furniture lines dropped: what the
    outlet ran, not how its page was built."""
    return [p for p in storytext.plain_lines(text) if _ALNUM.search(p) and not is_furniture(p)]


def _key(paragraph: str) -> str:
    """The comparison form: folded words only, so quote and dash styles, accents and
    spacing that extraction or a template changed never read as an edit."""
    return " ".join(_WORD.findall(fold(paragraph, compose=True)))


def word_diff(before: str, after: str) -> list[Segment]:
    old, new = before.split(), after.split()
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("dropped", " ".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("inserted", " ".join(new[j1:j2])))
    return segments


def _cut_from(paragraph: str, start: str) -> bool:
    """Whether `start` is `paragraph` cut short (maybe with an ellipsis)."""
    begin = _key(_CUT_MARK.sub("", start))
    return bool(begin) and _key(paragraph).startswith(begin)


def _similar(a: str, b: str) -> bool:
    """An edit of the same paragraph: most words shared, or cut short."""
    ratio = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    return ratio >= 0.5 or _cut_from(a, b)


def _replace(old: list[str], new: list[str], diff: CopyDiff) -> None:
    """A replaced run: each copy paragraph is an edit of the next similar primary one
    (the primary's paragraphs skipped on the way were dropped) or an insertion."""
    at = 0
    for paragraph in new:
        match = next((k for k in range(at, len(old)) if _similar(old[k], paragraph)), None)
        if match is None:
            diff.blocks.append(Block("inserted", [paragraph]))
            diff.inserted += 1
            continue
        if match > at:
            diff.blocks.append(Block("dropped", old[at:match]))
            diff.dropped += match - at
        diff.blocks.append(Block("changed", segments=word_diff(old[match], paragraph)))
        diff.changed += 1
        at = match + 1
    if at < len(old):
        diff.blocks.append(Block("dropped", old[at:]))
        diff.dropped += len(old) - at


def _truncation(old: list[str], new: list[str], last: tuple[str, int, int, int, int]) -> int | None:
    """The primary paragraph (1-based) in which the copy ends, when it ends early.

    The copy is cut short when the diff ends by dropping the primary's tail, or by
    replacing it with the beginning of its first paragraph (cut mid-paragraph).
    """
    tag, i1, i2, j1, j2 = last
    if i2 != len(old) or j2 != len(new) or i1 == 0:
        return None
    if tag == "delete":
        return i1
    if tag == "replace":
        ends_in = [k for k in range(i1, i2) if _cut_from(old[k], new[-1])]
        if ends_in:
            return ends_in[-1] + 1
    return None


# A copy's closing lines after its cut: a line or two, short.
MAX_CLOSING_LINES = 2
MAX_CLOSING_CHARS = 200


def _closing(old: list[str], new: list[str], last: tuple[str, int, int, int, int]) -> int:
    """How many lines close a copy that ends early with lines of its own (0: none)."""
    tag, i1, i2, j1, j2 = last
    if tag != "replace" or i2 != len(old) or j2 != len(new) or i1 == 0 or i2 - i1 < 2:
        return 0
    tail = new[j1:j2]
    if len(tail) > MAX_CLOSING_LINES or any(len(line) > MAX_CLOSING_CHARS for line in tail):
        return 0
    if any(_similar(o, line) for o in old[i1:i2] for line in tail):
        return 0
    return len(tail)


def compare(
    primary_title: str, primary_text: str, title: str, text: str, *, same_text: bool = False
) -> CopyDiff:
    """How a copy differs from the primary copy, paragraph by paragraph.

    `same_text`: dedup found the two texts equal in its normal form (an exact
    match), so only the headline can differ.
    """
    old, new = paragraphs(primary_text), paragraphs(text)
    if same_text:
        new = old
    headline = None
    if _key(title or "") != _key(primary_title or ""):
        headline = word_diff(primary_title or "", title or "")
    diff = CopyDiff(headline, [], len(old), len(new))
    matcher = difflib.SequenceMatcher(
        None, [_key(p) for p in old], [_key(p) for p in new], autojunk=False
    )
    opcodes = matcher.get_opcodes()
    closing = _closing(old, new, opcodes[-1]) if opcodes else 0
    if closing:
        # Cut short, and closed with the copy's own lines ("continue reading at ..."):
        # the cut is the edit, those lines are its page's, not inserted story text.
        tag, i1, i2, j1, j2 = opcodes[-1]
        opcodes[-1] = ("delete", i1, i2, j1, j1)
        diff.truncated_after = i1
        diff.closing = new[j1:]
    elif opcodes:
        diff.truncated_after = _truncation(old, new, opcodes[-1])
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            diff.blocks.append(Block("same", count=i2 - i1))
        elif tag == "delete":
            diff.blocks.append(Block("dropped", old[i1:i2]))
            diff.dropped += i2 - i1
        elif tag == "insert":
            diff.blocks.append(Block("inserted", new[j1:j2]))
            diff.inserted += j2 - j1
        else:
            _replace(old[i1:i2], new[j1:j2], diff)
    _mark_cut(diff)
    return diff


def _mark_cut(diff: CopyDiff) -> None:
    """A truncated copy's missing tail is one `cut` block, not dropped paragraphs."""
    if diff.truncated_after is None:
        return
    tail: list[str] = []
    while diff.blocks and diff.blocks[-1].kind == "dropped":
        tail[:0] = diff.blocks.pop().paragraphs
    diff.dropped -= len(tail)
    if tail:
        diff.blocks.append(Block("cut", tail, count=len(tail)))
