"""Text normalisation for dedup: one spelling of a body, without aggregator furniture."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Lines aggregators and partner sites add around the copy they republish. Matched
# against the whole (case-folded, accent-stripped) line, so a story sentence that
# merely contains "read more" is kept.
BOILERPLATE_LINE = re.compile(
    r"""^(?:
        read\ more\b.*
      | (?:also\ read|read\ also|see\ also)\b.*
      | (?:related|recommended|more\ on\ this|watch|listen)(?:\ \w+)?\ ?:.*
      | others\ are\ reading(?:\ now)?\W*
      | (?:ads|advertisement|sponsored)(?:\ by\b.*)?
      | sources?\ ?:.*
      | homepage\b.*
      | (?:click|tap)\ here\b.*
      | (?:photo|image|picture|credit)s?\ ?:.*
      | (?:copyright|\(c\)|©)\b.*
    )$""",
    re.VERBOSE,
)
# Image credits under a headline differ per outlet; only short lines count.
CREDIT = re.compile(r"public domain|wikimedia|getty images|shutterstock|ap photo|afp via|/reuters")
CREDIT_MAX_WORDS = 15
# Bylines with a time ("Posted by A and B on 11/23/2026 at 02:55 AM UTC").
DATELINE = re.compile(r"^(?:posted|published|updated|last updated|written)\b.*\d")
DATELINE_MAX_WORDS = 25
# Headings and labels between paragraphs: outlets keep, drop or reword them, so they
# never count. A line this short without a sentence end is not story copy.
HEADING_MAX_WORDS = 14
SENTENCE_END = re.compile(r"[.!?:;…\"'”’»)]$")
WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """NFKC, case-folded, accents stripped: comparison form of a string."""
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def is_furniture(folded_line: str) -> bool:
    """Whether a folded, stripped line is page furniture rather than story copy."""
    line = " ".join(folded_line.split())
    if not line:
        return True
    if BOILERPLATE_LINE.match(line):
        return True
    words = WORD.findall(line)
    if len(words) <= CREDIT_MAX_WORDS and CREDIT.search(line):
        return True
    if len(words) <= DATELINE_MAX_WORDS and DATELINE.match(line) and not SENTENCE_END.search(line):
        return True
    return len(words) <= HEADING_MAX_WORDS and not SENTENCE_END.search(line)


def body_paragraphs(text: str) -> list[list[str]]:
    """The words of each story paragraph (line) of a body, furniture lines dropped.

    Punctuation and whitespace collapse away, so curly vs straight quotes and dash
    styles compare equal.
    """
    paragraphs = []
    for line in fold(text).splitlines():
        line = line.strip()
        if not is_furniture(line):
            paragraphs.append(WORD.findall(line))
    return paragraphs


def body_words(text: str) -> list[str]:
    """The normalised words of a body, furniture dropped (paragraph breaks do not count)."""
    return [word for paragraph in body_paragraphs(text) for word in paragraph]


def content_hash(words: list[str]) -> str:
    """Exact-text hash of a normalised body."""
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
