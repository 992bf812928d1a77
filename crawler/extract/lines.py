"""Line-level cleaning of extracted text with evidence from the page itself.

Three kinds of lines are not story text though trafilatura keeps them:
- teasers: a line that is mostly the text of a link on the page (another story's
  headline, "Others are reading now: <headline>", "Follow us on X" as a link), in
  any language, since the evidence is the HTML and not the words;
- the headline block on top: the author names and the dateline, which the
  metadata reader already holds;
- lines the page's own JSON-LD `articleBody` does not have, when that body agrees
  with the page (the publisher's own statement of what the story is).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# An anchor this short ("Politics", "Share") is a label the prior or the learner
# judges; only headline-sized links make a line a teaser.
MIN_ANCHOR_CHARS = 12
MAX_LINKED_SHARE = 0.6
MAX_LINKED_SHARE_SENTENCE = 0.9
MAX_CARD_CHARS = 300  # a teaser card's standfirst
# The headline block: how far down it reaches and how long its lines are.
HEADER_LINES = 4
MAX_HEADER_CHARS = 120
_DATELINE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|\b\d{1,2}[:.]\d{2}\s*(?:am|pm|[ap]\.m\.)?|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b"
    r"|\b(?:updated|published|posted)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?\"”’]$")
_WORD = re.compile(r"\w+")
# JSON-LD body agreement: share of the body's word trigrams found in the page text,
# and of a line's trigrams found in the body for the line to count as the story's.
MIN_BODY_ON_PAGE = 0.8
MIN_LINE_IN_BODY = 0.5
# Furniture is a small share of a story page's text; a body lacking more than this
# lacks story paragraphs (some publishers' bodies skip those next to inserts).
MAX_REFUTED_SHARE = 0.15
# Furniture lines are short; a long paragraph the body lacks is the body's omission
# (bodies that skip the drop-capped first paragraph, or those around inserts).
MAX_REFUTED_CHARS = 200
# Nor is a line of a word or two (a signature, a place, a label): too little to tell.
MIN_REFUTED_GRAMS = 2


def anchor_texts(tree: HtmlElement, url: str) -> set[str]:
    """The whitespace-normalised text of every link to another page, long enough to be
    a headline; links within the page (a live blog's entries) are the story's own."""
    here = urldefrag(url).url
    texts = set()
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#") or urldefrag(urljoin(url, href)).url == here:
            continue
        text = " ".join(anchor.text_content().split())
        if len(text) >= MIN_ANCHOR_CHARS:
            texts.add(text.casefold())
    return texts


def is_teaser(line: str, anchors: set[str]) -> bool:
    """Whether most of the line is link text (a link to another page, not story prose)."""
    folded = " ".join(line.split()).casefold()
    if not folded:
        return False
    # Counted per occurrence: a card repeats its headline (image alt, then title).
    covered = sum(len(a) * folded.count(a) for a in anchors if a in folded)
    # A sentence that links most of its words ("You can find the full list of
    # winners here.") is still the story's; a headline may end in a full stop
    # too, but then the link is all of it.
    if _SENTENCE_END.search(folded) or folded.endswith((":", ";")):
        return covered >= MAX_LINKED_SHARE_SENTENCE * len(folded)
    return covered >= MAX_LINKED_SHARE * len(folded)


def _comparable(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def drop_teasers(lines: list[str], anchors: set[str]) -> list[str]:
    """Lines without teasers, nor the standfirst of a teaser card in a list of them
    (a short line between two teasers, or after the last one at the end of the text).

    A page that would be left with nothing is judged by the index-page check instead.
    """
    teaser = [is_teaser(line, anchors) for line in lines]
    for k in range(1, len(lines)):
        following = teaser[k + 1] if k + 1 < len(lines) else True
        if teaser[k - 1] and following and len(lines[k]) <= MAX_CARD_CHARS:
            teaser[k] = True
    kept = [line for line, drop in zip(lines, teaser, strict=True) if not drop]
    return kept or lines


def drop_header(lines: list[str], authors: list[str], headings: list[str]) -> list[str]:
    """Drop the headline block from the top of the text: it is metadata.

    `headings` are the declared headlines (not the description: many outlets
    declare the story's first paragraph as such); `authors` make a byline; a
    short line with a date or time is a dateline.
    """
    # The byline's full name, or its surname ("Steph Bazzle" for "Stephanie Bazzle").
    names = {part for name in authors for part in (name, name.split()[-1]) if len(part) >= 4}
    names = {name.casefold() for name in names}
    declared = [c for c in map(_comparable, headings) if c]
    kept = list(lines)
    for _ in range(HEADER_LINES):
        if not kept:
            break
        line = kept[0].strip()
        comparable = _comparable(line)
        if comparable and any(comparable == d or comparable in d for d in declared):
            kept.pop(0)
            continue
        if len(line) > MAX_HEADER_CHARS or _SENTENCE_END.search(line):
            break
        folded = line.casefold()
        if any(name in folded for name in names) or _DATELINE.search(line):
            kept.pop(0)
        else:
            break
    return kept


def _trigrams(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return {tuple(words[k : k + 3]) for k in range(max(1, len(words) - 2))} if words else set()


def keep_body_lines(lines: list[str], body: str, page_text: str) -> list[str]:
    """The lines the JSON-LD body also has, when that body is the page's story.

    A body that is not on the page (a summary, another story, a stale copy) is
    no evidence, and the lines are returned as they are; so are they when the
    body lacks much of the text: some publishers leave paragraphs out of it.
    """
    body_grams = _trigrams(body)
    if not body_grams or not lines:
        return lines
    page_grams = _trigrams(page_text)
    if len(body_grams & page_grams) < MIN_BODY_ON_PAGE * len(body_grams):
        return lines
    kept = []
    for line in lines:
        grams = _trigrams(line)
        refuted = len(grams & body_grams) < MIN_LINE_IN_BODY * len(grams)
        if len(line) > MAX_REFUTED_CHARS or len(grams) < MIN_REFUTED_GRAMS or not refuted:
            kept.append(line)
    if sum(map(len, kept)) < (1 - MAX_REFUTED_SHARE) * sum(map(len, lines)):
        return lines
    return kept


# An author box: the byline's name near the start, then what the author is or does.
_AUTHOR_BOX = re.compile(
    r"\b(?:is|was|has been|serves as)\s+(?:a|an|the|our)\b|\bcovers\b|\bwrites\b|\breports\b"
)
AUTHOR_BOX_LINES = 2  # how far from the end an author box sits
AUTHOR_NAME_WITHIN = 40  # characters from the line's start


def drop_author_box(lines: list[str], authors: list[str]) -> list[str]:
    """Drop the author box closing (or opening) the story: a last or first line that
    opens with (or near) a declared author's name and says what the author is or does."""
    # The byline's full name, or its surname ("Steph Bazzle" for "Stephanie Bazzle").
    names = {part for name in authors for part in (name, name.split()[-1]) if len(part) >= 4}
    names = {name.casefold() for name in names}
    if not names or len(lines) <= AUTHOR_BOX_LINES:
        return lines
    ends = [*range(len(lines) - AUTHOR_BOX_LINES, len(lines)), 0]  # or above the story
    boxes = set()
    for k in ends:
        folded = lines[k].casefold()
        near = [folded.find(name) for name in names]
        if any(0 <= at <= AUTHOR_NAME_WITHIN for at in near) and _AUTHOR_BOX.search(folded):
            boxes.add(k)
    return [line for k, line in enumerate(lines) if k not in boxes]
