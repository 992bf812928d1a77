"""Writing systems of text: CJK runs apart from words, the script of a word, a fallback guess."""

from __future__ import annotations

import re
from collections import Counter
from typing import Literal

Script = Literal["latin", "cyrillic", "arabic", "cjk", "other"]

# Han (with extension A and the compatibility block), kana, Hangul syllables and jamo, and the
# iteration mark 々: the scripts written without spaces, bigrammed as Elasticsearch's cjk analyzer.
CJK = (
    "\u1100-\u11ff\u3005\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
)
# A word: letters and digits (the rest separates).
WORD = re.compile(r"[^\W_]+")
# Within a word, a run of CJK characters, or letters and digits without them.
TOKEN = re.compile(f"(?:(?=[^\\W_])[{CJK}])+|(?:(?![{CJK}])[^\\W_])+")
CJK_CHAR = re.compile(f"[{CJK}]")

_RANGES: tuple[tuple[int, int, Script], ...] = (
    (0x0041, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),
    (0x0400, 0x052F, "cyrillic"),
    (0x1C80, 0x1C8F, "cyrillic"),
    (0x0600, 0x06FF, "arabic"),
    (0x0750, 0x077F, "arabic"),
    (0x08A0, 0x08FF, "arabic"),
    (0xFB50, 0xFDFF, "arabic"),
    (0xFE70, 0xFEFF, "arabic"),
)
# Letters only Ukrainian of the two Cyrillic languages analysed writes, and only Russian.
_UKRAINIAN = frozenset("іїєґ")
_SAMPLE = 4000  # characters of a text read to guess its language: plenty for a script
_RUSSIAN = frozenset("ыэъё")


def script_of(word: str) -> Script:
    """The script of a word (a TOKEN match): that of its first letter; digits are 'other'."""
    if CJK_CHAR.match(word):
        return "cjk"
    for char in word:
        if char.isalpha():
            code = ord(char)
            for low, high, script in _RANGES:
                if low <= code <= high:
                    return script
            return "other"
    return "other"


def scripts_in(text: str) -> set[Script]:
    """Every script of the words of `text` (already lower-cased)."""
    return {script_of(match.group()) for match in TOKEN.finditer(text)}


def guess_language(text: str) -> str | None:
    """A language from the script alone, for text stored without one: the script most of
    its words (in the first few thousand characters) are written in, and among Cyrillic
    languages Ukrainian when its own letters outnumber Russian's. None for CJK (analysed
    alike in every language) and other scripts.
    """
    counts = Counter(script_of(word) for word in TOKEN.findall(text[:_SAMPLE]))
    if not counts:
        return None
    script = counts.most_common(1)[0][0]
    if script == "cyrillic":
        letters = Counter(c for c in text[:_SAMPLE] if c in _UKRAINIAN or c in _RUSSIAN)
        ukrainian = sum(n for char, n in letters.items() if char in _UKRAINIAN)
        return "uk" if ukrainian > letters.total() - ukrainian else "ru"
    return {"latin": "en", "arabic": "ar"}.get(script)
