"""Clean Unicode for stored text: entities decoded, markup stripped, mojibake repaired.

Titles, descriptions and bylines arrive from JSON-LD, meta tags, feeds and
trafilatura, each with its own escaping habits: an og:title escaped twice
(`doesn&amp;#8217;t`), a headline with `<b>` in it, text decoded with the wrong
charset somewhere upstream (`ZÃ¼rich`). What gets stored is what a reader of
the page sees. Mojibake is repaired with ftfy, which only changes text that
decodes into something more plausible, so clean text passes through as is.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from typing import TYPE_CHECKING

import ftfy

if TYPE_CHECKING:
    from crawler.extract.article import ExtractedPage

# Only well-formed references: "AT&T" or a bare "&" in a query string stay as they are.
_REFERENCE = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)
# A tag or comment; "x < y" and "<3" are no tags.
_TAG = re.compile(r"<(?:!--.*?--|(/?)([a-z][\w:-]*)(?:\s[^<>]*)?/?)>", re.IGNORECASE | re.DOTALL)
# Tags that separate words when a browser renders them; other tags join their text.
_BREAKING_TAGS = frozenset({"br", "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "hr"})
# Escaped more than this many times is no longer an accident worth undoing.
MAX_UNESCAPE_ROUNDS = 3
REPLACEMENT = "\ufffd"
# UTF-8 read as Latin-1/cp1252 leaves a lead byte (Â..ô) before a continuation
# byte's character (U+0080..U+00BF or cp1252's €‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ).
_MOJIBAKE_PAIR = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
# Keep what the page shows: curly quotes, ligatures and full-width forms stay;
# entities are decoded here (only well-formed ones), not by ftfy's guesswork.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    explain=False,
)


class EncodingDamage(ValueError):
    """Text whose characters were lost before it reached us and cannot be repaired."""


def unescape_entities(text: str, rounds: int = MAX_UNESCAPE_ROUNDS) -> str:
    """Decode character references, also those escaped twice (`&amp;#8217;` -> `’`).

    XML text was unescaped once by its parser: `rounds=1` decodes what a pattern
    scan reads from the raw document.
    """
    for _ in range(rounds):
        decoded = _REFERENCE.sub(lambda m: html.unescape(m.group(0)), text)
        if decoded == text:
            break
        text = decoded
    return text


def strip_markup(text: str) -> str:
    """Text of an inline value that carries HTML tags (`<b>Breaking</b>: ...`)."""

    def gap(match: re.Match[str]) -> str:
        name = (match.group(2) or "").lower()
        return " " if name in _BREAKING_TAGS else ""

    return _TAG.sub(gap, text)


def repair_text(text: str) -> str:
    """Mojibake and stray control characters repaired; clean text is returned unchanged."""
    if text.isascii():
        return text
    return ftfy.fix_text(text, _FTFY)


def clean_inline(value: str) -> str:
    """A title, description or name as a reader sees it, on one line."""
    if not value:
        return ""
    text = strip_markup(unescape_entities(value))
    return " ".join(repair_text(text).split())


def damaged_chars(text: str) -> int:
    """Characters that no repair brings back: replacement characters and leftover mojibake."""
    if text.isascii():
        return 0
    lost = text.count(REPLACEMENT)
    # ftfy's badness measure costs more than the repair itself on a long text:
    # ask it only when a mojibake-like pair is there at all.
    return lost + ftfy.badness.badness(text) if _MOJIBAKE_PAIR.search(text) else lost


# A damaged character or two in a long story is kept (the rest reads and is
# searchable); more than one in this many characters is not what the page said.
MAX_DAMAGE_SHARE = 1 / 1000


def clean_page(page: ExtractedPage) -> ExtractedPage:
    """`page` with clean Unicode in every text field.

    Raises EncodingDamage when the title or text still carries lost characters
    after repair (bytes that decode in no charset, text broken at the source).
    """
    title = clean_inline(page.title)
    text = repair_text(page.text)
    damage = damaged_chars(title) + damaged_chars(text)
    if damage > len(text) * MAX_DAMAGE_SHARE:
        raise EncodingDamage(f"{damage} unreadable characters remain after repair")
    return replace(
        page,
        title=title,
        text=text,
        description=clean_inline(page.description),
        authors=[name for name in map(clean_inline, page.authors) if name],
        site_name=clean_inline(page.site_name),
        tags=[tag for tag in map(clean_inline, page.tags) if tag],
    )


__all__ = [
    "EncodingDamage",
    "clean_inline",
    "clean_page",
    "damaged_chars",
    "repair_text",
    "strip_markup",
    "unescape_entities",
]
