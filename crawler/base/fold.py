"""Text folding: the one case- and accent-free comparison form of text.

The query language, dedup's signatures and the learned furniture's line keys all
compare text in this form, so that "Kyïv", "KYIV" and "ｋｙｉｖ" are one word to
each of them. Dedup and furniture keys are stored in the index: their form must
not change for the same text, or stored stories and learned furniture would stop
matching (tests/test_fold.py pins it).
"""

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
# "polnocna" finds "Północna" in the query matcher as in the index.
ASCII_FOLDS = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T",
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
}  # fmt: skip
_ASCII_FOLD_TABLE = str.maketrans(ASCII_FOLDS)
_ASCII_FOLD_CHARS = re.compile(_char_class(sorted(map(ord, ASCII_FOLDS))))


def fold_letters(text: str) -> str:
    """``text`` with the letters of ASCII_FOLDS folded, and nothing else changed."""
    if text.isascii() or not _ASCII_FOLD_CHARS.search(text):  # str.translate is slow
        return text
    return text.translate(_ASCII_FOLD_TABLE)


def fold(text: str, *, ascii_letters: bool = False, compose: bool = False) -> str:
    """``text`` folded: NFKC, casefolded, NFKD with every combining mark dropped.

    ``ascii_letters`` also folds the letters NFKD leaves alone (ł, ø, ß, æ...) as
    Elasticsearch's asciifolding does: what queries need to match the index.
    ``compose`` recomposes the result (NFC), the form dedup signs; without it,
    Hangul stays in jamo, the form furniture line keys were learned in.
    """
    if text.isascii():
        return text.lower()  # the common case, and a lot faster
    if ascii_letters:
        text = fold_letters(text)
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    text = _COMBINING.sub("", text)
    if _ASTRAL.search(text):
        text = _COMBINING_ASTRAL.sub("", text)
    return unicodedata.normalize("NFC", text) if compose else text
