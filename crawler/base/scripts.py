"""Writing systems: which characters are written without spaces, and text length by script.

A character of Chinese carries about as much as three of English, one of Japanese
kana or Korean Hangul about two. Everything that counts or cuts text (the too-short
threshold, dedup's shingles) asks this module, so a 300-character Chinese article is
as long as a 900-character English one and a Japanese sentence is not one "word".
"""

from __future__ import annotations

import re

# Han ideographs (CJK Unified, Extension A, compatibility, the supplementary planes).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Hiragana, Katakana (with the phonetic extensions and the half-width forms).
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
# Hangul syllables and jamo: Korean puts spaces between words, so it stays in words.
_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
HAN_WEIGHT = 3
KANA_HANGUL_WEIGHT = 2
_HAN_CHARS = re.compile(f"[{_HAN}]")
_KANA_HANGUL_CHARS = re.compile(f"[{_KANA}{_HANGUL}]")
# One token per Han or kana character (scripts written without spaces between words),
# otherwise a run of word characters: the tokens dedup shingles.
TOKEN = re.compile(f"[{_HAN}{_KANA}]|[^\\W{_HAN}{_KANA}]+")


def text_length(text: str) -> int:
    """`text`'s length in Latin-script characters: Han counts 3, kana and Hangul 2, others 1."""
    if text.isascii():
        return len(text)
    han = len(_HAN_CHARS.findall(text))
    kana_hangul = len(_KANA_HANGUL_CHARS.findall(text))
    return len(text) + (HAN_WEIGHT - 1) * han + (KANA_HANGUL_WEIGHT - 1) * kana_hangul


def tokens(text: str) -> list[str]:
    """The words of `text`, each Han or kana character a word of its own."""
    return TOKEN.findall(text)
