"""The languages analysed, each with its script and the stemmer or lemmatiser that does it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.analysis.scripts import Script

Normaliser = Callable[[str], str]


@dataclass(frozen=True)
class Language:
    """One analysed language: ISO 639-1 code, script, and how a lower-cased word is reduced."""

    code: str
    script: Script
    kind: str  # "snowball" (PyStemmer's algorithm in `model`), "pymorphy3" or "simplemma"
    model: str


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "latin", "snowball", "english"),
        Language("de", "latin", "snowball", "german"),
        Language("fr", "latin", "snowball", "french"),
        Language("es", "latin", "snowball", "spanish"),
        Language("it", "latin", "snowball", "italian"),
        Language("pt", "latin", "snowball", "portuguese"),
        Language("pl", "latin", "snowball", "polish"),
        Language("ru", "cyrillic", "pymorphy3", "ru"),
        Language("uk", "cyrillic", "pymorphy3", "uk"),
        Language("ar", "arabic", "simplemma", "ar"),
    )
}
"""Add a language here (and a test in tests/test_analysis.py); queries expand to it by script."""

# The language a word is analysed in when its script is not its document's language's
# ("NATO" in a Russian story), or the document has no language.
SCRIPT_DEFAULT: dict[Script, str] = {"latin": "en", "cyrillic": "ru", "arabic": "ar"}


def language_code(tag: str | None) -> str | None:
    """The primary subtag of a language tag, lower-cased: 'en-US' -> 'en', '' -> None."""
    if not tag:
        return None
    code = tag.strip().replace("_", "-").split("-", 1)[0].lower()
    return code or None


@cache
def normaliser(code: str) -> Normaliser:
    """The function reducing a lower-cased word of language `code` to its stem or lemma."""
    language = LANGUAGES[code]
    if language.kind == "snowball":
        import Stemmer

        # PyStemmer keeps its own cache of recent words.
        stem = Stemmer.Stemmer(language.model).stemWord
        if code == "de":
            return _german(stem)
        return lambda word: str(stem(word))
    if language.kind == "simplemma":
        import simplemma

        model = language.model
        return _word_cache(lambda word: str(simplemma.lemmatize(word, lang=model)))
    import pymorphy3
    import Stemmer

    analyser = pymorphy3.MorphAnalyzer(lang=language.model)
    # The lemma is stemmed with Snowball's Russian rules (adjective and noun endings, which
    # Ukrainian shares): the most probable parse of "Курском" is the adjective "курский",
    # of "Курск" the noun, and both become "курск". Snowball alone is not enough: it
    # stems "Кореи" to "кор" but "Корея" to "коре".
    stem = Stemmer.Stemmer("russian").stemWord

    @_word_cache
    def lemma(word: str) -> str:
        # The most probable parse's lemma; pymorphy3 guesses one for words it does not know.
        return str(stem(analyser.parse(word)[0].normal_form))

    return lemma


def _word_cache(function: Normaliser) -> Normaliser:
    """Remember every word's answer: news vocabulary repeats, and parsing is the slow part."""
    known: dict[str, str] = {}
    limit = 500_000

    def cached(word: str) -> str:
        found = known.get(word)
        if found is None:
            if len(known) >= limit:
                known.clear()
            found = known[word] = function(word)
        return found

    return cached


def _german(stem: Callable[[str], str]) -> Normaliser:
    """Snowball's German, with the genitive -s of names ending in a vowel taken off first:
    Snowball removes -s only after b, d, f, g, h, k, l, m, n, r, t, so it would keep
    "Nordkoreas" and "Chinas" apart from "Nordkorea" and "China"."""

    def normalise(word: str) -> str:
        if len(word) >= 6 and word[-1] == "s" and word[-2] in "aeiouäöüy":
            word = word[:-1]
        return str(stem(word))

    return normalise
