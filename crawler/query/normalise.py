"""Text folding and word tokenisation shared by the query parser and the matcher."""

from __future__ import annotations

import re
import unicodedata

# Every code point with a non-zero canonical combining class: the accents NFKD splits off.
# All of them lie below U+20000 (the last is U+1E94A), which keeps the import quick.
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x20000) if unicodedata.combining(chr(c))) + "]"
)
# Letters NFKD does not decompose, folded as Elasticsearch's asciifolding folds them, so that
# "polnocna" finds "Północna" here as in the index.
ASCII_FOLDS = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T",
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
    }
)  # fmt: skip
# A word is a run of letters and digits; everything else (spaces, punctuation, apostrophes,
# underscores) separates words, as SQLite's unicode61 tokenizer does.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Return ``text`` case- and accent-folded: NFKD, combining marks dropped, casefolded."""
    if text.isascii():
        return text.lower()  # the common case, and a lot faster
    text = unicodedata.normalize("NFKD", text.translate(ASCII_FOLDS))
    return _COMBINING.sub("", text).casefold()


def words(text: str) -> list[str]:
    """Split ``text`` into folded words ("Kyïv's" -> ["kyiv", "s"])."""
    return _WORD.findall(fold(text))
