"""The language of a story from its own words; a page's declared language is only a hint.

py3langid (a maintained fork of langid.py) ships its model inside its wheel (4.5 MB),
reads an article's title and lead in under a millisecond and was as accurate as
lingua on the multilingual slice's titles and paragraphs, at a hundredth of lingua's
time and a twentieth of its size (the figures are in README.md, "Languages").
`<html lang>`, `og:locale`, JSON-LD `inLanguage`, `Content-Language` and a source's
configured language are often wrong (a CMS that marks every page "en"): they decide
only when the text is too short to judge, or when the text itself leaves the hinted
language plausible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING

from crawler.base.scripts import text_length

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# Enough text to judge (the title and the lead): more adds time (linear), not accuracy.
SAMPLE_CHARS = 400
# Fewer letters than this (by script: a Han character counts 3, kana and Hangul 2)
# and the text cannot be judged: the first hint decides.
MIN_LETTERS = 12
# The text's verdict stands against any hint at this (normalised) probability ...
CONFIDENT = 0.9
# ... and below it, a hinted language the text finds at least this likely wins.
HINT_PLAUSIBLE = 0.05
# py3langid labels some regional and historical varieties apart; a story gets the
# language an analyst filters on.
MACROLANGUAGES = {
    "wuu": "zh",
    "yue": "zh",
    "arz": "ar",
    "ary": "ar",
    "uzs": "uz",
    "hbo": "he",
    "nn": "no",
    "gug": "gn",
    "fuv": "ff",
    "sdh": "ku",
}
NO_LANGUAGE = "zxx"  # py3langid's label for text without linguistic content
_CODE = re.compile(r"^\s*([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


@cache
def _identifier() -> LanguageIdentifier:
    # Loaded once per process (~1.5 s), on the first text: reading a config that only
    # checks language codes does not pay for it.
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_code(value: str | None) -> str | None:
    """An ISO 639 code from a declared language ("en-GB", "zh_Hant", "RU"), or None."""
    if not value:
        return None
    match = _CODE.match(value)
    if match is None:
        return None
    code = match[1].lower()
    return MACROLANGUAGES.get(code, code)


def hint_codes(hints: Iterable[str | None]) -> list[str]:
    """The distinct codes of `hints`, in order; a header's "de, en" gives both."""
    codes: list[str] = []
    for hint in hints:
        for part in (hint or "").split(","):
            code = language_code(part)
            if code and code not in codes:
                codes.append(code)
    return codes


def rank(text: str) -> dict[str, float]:
    """Each language's probability for `text` (varieties folded into their language)."""
    sample = text[:SAMPLE_CHARS]
    folded: dict[str, float] = {}
    for label, probability in _identifier().rank(sample):
        code = MACROLANGUAGES.get(label, label)
        folded[code] = folded.get(code, 0.0) + probability
    return folded


def detect_language(text: str, hints: Iterable[str | None] = ()) -> str | None:
    """The ISO 639-1 code (ISO 639-3 where there is none) of `text`'s language, or None.

    `hints` are declared languages, most trusted first (the page's own, then the
    HTTP header's, then the source's). See the module docstring for when they decide.
    """
    codes = hint_codes(hints)
    sample = text[:SAMPLE_CHARS]
    if text_length("".join(ch for ch in sample if ch.isalpha())) < MIN_LETTERS:
        return codes[0] if codes else None
    scores = rank(sample)
    best = max(scores, key=scores.__getitem__)
    if best == NO_LANGUAGE:
        return codes[0] if codes else None
    if scores[best] >= CONFIDENT:
        return best
    return next((code for code in codes if scores.get(code, 0.0) >= HINT_PLAUSIBLE), best)
