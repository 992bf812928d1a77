"""Text normalisation for dedup: one spelling of a body, without aggregator furniture."""

from __future__ import annotations

import hashlib
import re

from crawler.base import storytext
from crawler.base.fold import fold
from crawler.base.scripts import tokens
from crawler.furniture import prior

# Lines outlets keep, drop or reword around the same story, so they never count
# for comparison though they are not furniture to a reader (crawler/furniture is).
SOURCES_LINE = re.compile(r"^sources?\ ?:.*$")
# Bylines with a time ("Posted by A and B on 11/23/2026 at 02:55 AM UTC").
DATELINE = re.compile(r"^(?:posted|published|updated|last updated|written)\b.*\d")
DATELINE_MAX_WORDS = 25
# Headings and labels between paragraphs: outlets keep, drop or reword them, so they
# never count. A line this short without a sentence end is not story copy.
HEADING_MAX_WORDS = 14
# CJK and Arabic full stops, quotes and question marks end sentences too.
SENTENCE_END = re.compile(r"[.!?:;…\"'”’»)。」』؟]$")


def is_furniture(folded_line: str) -> bool:
    """Whether a folded, stripped line is left out of comparison: page furniture
    (the one list, crawler/furniture/prior.py), a sources line, or a heading."""
    line = " ".join(folded_line.split())
    if not line:
        return True
    if prior.is_furniture(line) or SOURCES_LINE.match(line):
        return True
    words = tokens(line)
    if len(words) <= DATELINE_MAX_WORDS and DATELINE.match(line) and not SENTENCE_END.search(line):
        return True
    return len(words) <= HEADING_MAX_WORDS and not SENTENCE_END.search(line)


def body_paragraphs(text: str) -> list[list[str]]:
    """The words of each story paragraph (line) of a body, furniture lines dropped.

    Punctuation and whitespace collapse away, so curly vs straight quotes and dash
    styles compare equal. Each Han or kana character is a word of its own
    (`crawler.base.scripts.tokens`), so shingles of Chinese and Japanese are
    character n-grams; Korean keeps its spaced words.
    """
    paragraphs = []
    for line in fold(text, compose=True).splitlines():
        # A subheading's mark is no word: marked or not, it is judged the same.
        line = storytext.plain(line)
        if not is_furniture(line):
            paragraphs.append(tokens(line))
    return paragraphs


def body_words(text: str) -> list[str]:
    """The normalised words of a body, furniture dropped (paragraph breaks do not count)."""
    return [word for paragraph in body_paragraphs(text) for word in paragraph]


def content_hash(words: list[str]) -> str:
    """Exact-text hash of a normalised body."""
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
