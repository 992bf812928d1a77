"""Text to index tokens: stems or lemmas by language, CJK as overlapping bigrams.

Documents and query terms go through the same function, so a token the index holds is
a token a query can ask for: the topic matcher, SQLite and Elasticsearch compare the
same strings. Tokens are folded (case, accents, ł/ß/æ...) after stemming, hold letters
and digits only, and never contain white space (the backends split them on it).
"""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

from crawler.analysis.languages import LANGUAGES, SCRIPT_DEFAULT, language_code, normaliser
from crawler.analysis.scripts import CJK_CHAR, TOKEN, WORD, guess_language, script_of, scripts_in
from crawler.base.fold import _COMBINING, fold

PLAIN = "plain"
"""The language of no analysis: folded words, for languages not in LANGUAGES."""

# Per document language, word -> its token(s), filled as words are met: the vocabulary of
# news is small, so most words of a story are one dictionary look-up.
_TOKENS: dict[str | None, dict[str, str | tuple[str, ...]]] = {}
_TOKEN_LIMIT = 500_000


def prepare(text: str) -> str:
    """NFKC, case-folded, with the combining marks that do not compose (harakat) dropped."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text if text.isascii() else _COMBINING.sub("", text)


def bigrams(run: str) -> list[str]:
    """A CJK run as overlapping character pairs; a lone character as itself."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=256)
def analyze(text: str, language: str | None) -> tuple[str, ...]:
    """The tokens of `text` written in `language` (a tag such as 'ru' or 'en-GB').

    Words in the language's script are stemmed or lemmatised in it; words in another
    analysed script in that script's default language (SCRIPT_DEFAULT); a language not
    analysed gives folded words. Without a language, the script decides (`guess_language`).
    Cached: the topic matcher and the index analyse the same story text once.
    """
    code = _document_code(text, language)
    known = _TOKENS.get(code)
    if known is None or len(known) >= _TOKEN_LIMIT:
        known = _TOKENS[code] = {}
    tokens: list[str] = []
    for word in WORD.findall(prepare(text)):
        found = known.get(word)
        if found is None:
            found = known[word] = _analyse_word(code, word)
        if isinstance(found, str):
            tokens.append(found)
        else:
            tokens.extend(found)
    return tuple(tokens)


def word_tokens(word: str, language: str | None) -> tuple[str, ...]:
    """The tokens of one word of a document in `language` (uncached: for highlighting)."""
    code = _document_code(word, language)
    word = prepare(word)
    found = _TOKENS.get(code, {}).get(word) or _analyse_word(code, word)
    return (found,) if isinstance(found, str) else found


def _document_code(text: str, language: str | None) -> str | None:
    code = language_code(language)
    if code is None:
        return guess_language(text)
    return code if code in LANGUAGES else PLAIN


def _analyse_word(code: str | None, word: str) -> str | tuple[str, ...]:
    """One WORD match as the tokens of a document in language `code` (see `analyze`)."""
    if CJK_CHAR.search(word) is None:
        return _analyse_run(code, word)
    found: list[str] = []
    for run in TOKEN.findall(word):  # CJK runs apart from the letters beside them
        tokens = _analyse_run(code, run)
        found.extend((tokens,) if isinstance(tokens, str) else tokens)
    return tuple(found)


def _analyse_run(code: str | None, word: str) -> str | tuple[str, ...]:
    script = script_of(word)
    if script == "cjk":
        return tuple(bigrams(word))
    if code == PLAIN:
        word_code = PLAIN
    elif code is not None and LANGUAGES[code].script == script:
        word_code = code
    else:
        word_code = SCRIPT_DEFAULT.get(script, PLAIN)
    stem = word if word_code == PLAIN else normaliser(word_code)(word)
    token = fold(stem, ascii_letters=True)
    if not token.isalnum():  # a lemma with a hyphen or an apostrophe
        token = "".join(char for char in token if char.isalnum())
    return token or ()


# word -> its folded form(s), for `surface_words`.
_FOLDED: dict[str, str | tuple[str, ...]] = {}


@lru_cache(maxsize=256)
def surface_words(text: str) -> tuple[str, ...]:
    """The words of `text` case- and accent-folded, not analysed: what exact terms compare.

    "Kyïv's PÓŁNOCNA" -> ("kyiv", "s", "polnocna"). Each word is folded once and
    remembered, as tokens are; cached, as `analyze` is, for the matcher and the index.
    """
    global _FOLDED
    if len(_FOLDED) >= _TOKEN_LIMIT:
        _FOLDED = {}
    known = _FOLDED
    found: list[str] = []
    for word in WORD.findall(prepare(text)):
        folded = known.get(word)
        if folded is None:
            parts = WORD.findall(fold(word, ascii_letters=True))
            folded = known[word] = parts[0] if len(parts) == 1 else tuple(parts)
        if isinstance(folded, str):
            found.append(folded)
        else:
            found.extend(folded)
    return tuple(found)


@lru_cache(maxsize=4096)
def query_alternatives(text: str, language: str | None = None) -> tuple[tuple[str, ...], ...]:
    """The token sequences a query term may stand for, one per language it may be written in.

    With `language` the term is analysed in it alone; without, in every analysed language
    of its scripts plus no analysis at all (what stories in other languages index), so
    "Korea" is looked for as the English, German, ... stems of it. A document matches the
    term when it holds one alternative as consecutive tokens. Distinct, in a stable order.
    """
    if language is not None:
        found = analyze(text, language)
        return (found,) if found else ()
    scripts = scripts_in(prepare(text))
    codes = [code for code, lang in LANGUAGES.items() if lang.script in scripts]
    alternatives = dict.fromkeys(analyze(text, code) for code in [*codes, PLAIN])
    return tuple(alt for alt in alternatives if alt)


ANALYSIS_VERSION = 1
"""Bump when a change to this package changes any token (see `fingerprint`)."""
_PACKAGES = ("pystemmer", "pymorphy3", "pymorphy3-dicts-ru", "pymorphy3-dicts-uk", "simplemma")


@cache
def fingerprint() -> str:
    """What the analysis is made of: this package's version, the languages' analysers and
    the versions of the packages that do them. When it changes, an index built before must
    be re-analysed (crawler/index/sqlite/reanalyse.py)."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    parts = [str(ANALYSIS_VERSION), repr(list(LANGUAGES.values())), repr(SCRIPT_DEFAULT)]
    for package in _PACKAGES:
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=none")
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]
