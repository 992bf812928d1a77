"""Text folding and word tokenisation shared by the query parser and the matcher."""

from __future__ import annotations

import re
import unicodedata

# Every code point with a non-zero canonical combining class: the accents NFKD splits off.
# All of them lie below U+20000 (the last is U+1E94A), which keeps the import quick.
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x20000) if unicodedata.combining(chr(c))) + "]"
)
# A word is a run of letters and digits; everything else (spaces, punctuation, apostrophes,
# underscores) separates words, as SQLite's unicode61 tokenizer does.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Return ``text`` case- and accent-folded: NFKD, combining marks dropped, casefolded."""
    if text.isascii():
        return text.lower()  # the common case, and a lot faster
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).casefold()


def words(text: str) -> list[str]:
    """Split ``text`` into folded words ("Kyïv's" -> ["kyiv", "s"])."""
    return _WORD.findall(fold(text))
