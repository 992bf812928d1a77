"""Text folding and word tokenisation shared by the query parser and the matcher."""

from __future__ import annotations

import re
import unicodedata


def _char_class(codes: list[int]) -> str:
    """A regex character class of ``codes`` as ranges: single characters make re scan slowly."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges) + "]"


# Every code point with a non-zero canonical combining class: the accents NFKD splits off.
# All of them lie below U+20000 (the last is U+1E94A), which keeps the import quick. The ones
# above U+FFFF get their own pattern: re matches a class confined to the BMP with a bitmap,
# about a hundred times faster than a mixed one.
_COMBINING = re.compile(_char_class([c for c in range(0x10000) if unicodedata.combining(chr(c))]))
_COMBINING_ASTRAL = re.compile(
    _char_class([c for c in range(0x10000, 0x20000) if unicodedata.combining(chr(c))])
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")

# Letters NFKD does not decompose, folded as Elasticsearch's asciifolding folds them, so that
# "polnocna" finds "Północna" here as in the index.
ASCII_FOLDS = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T",
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
}  # fmt: skip
_ASCII_FOLD_TABLE = str.maketrans(ASCII_FOLDS)
_ASCII_FOLD_CHARS = re.compile(_char_class(sorted(map(ord, ASCII_FOLDS))))

# A word is a run of letters and digits; everything else (spaces, punctuation, apostrophes,
# underscores) separates words, as SQLite's unicode61 tokenizer does.
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Return ``text`` case- and accent-folded: NFKD, combining marks dropped, casefolded."""
    if text.isascii():
        return text.lower()  # the common case, and a lot faster
    if _ASCII_FOLD_CHARS.search(text):  # rare; str.translate is slow on long texts
        text = text.translate(_ASCII_FOLD_TABLE)
    text = unicodedata.normalize("NFKD", text)
    text = _COMBINING.sub("", text)
    if _ASTRAL.search(text):
        text = _COMBINING_ASTRAL.sub("", text)
    return text.casefold()


def words(text: str) -> list[str]:
    """Split ``text`` into folded words ("Kyïv's" -> ["kyiv", "s"])."""
    return _WORD.findall(fold(text))
