"""Which words of a story a query matched, inflected forms included; snippets marked «so».

Both backends make their snippets here, from the same analysis the matcher uses, so a
Russian story found by "Корея" shows "Кореи" marked. Snippets are plain text: the web app
escapes them and turns the markers into <mark>; guillemets of the crawled text itself
become ‹ › so that every «» pair in a snippet is a match.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from crawler.analysis import query_alternatives, word_tokens
from crawler.analysis.scripts import TOKEN
from crawler.query.errors import QuerySyntaxError
from crawler.query.normalise import words
from crawler.query.parse import parse_query
from crawler.query.tree import terms_for_highlight

SNIPPET_WORDS = 24
_LEAD_WORDS = 6  # words shown before the first match
# A word as the analysis splits text, found in the text as published.
_WORD = TOKEN
_QUOTES = str.maketrans({"«": "‹", "»": "›"})


@dataclass(frozen=True)
class Highlight:
    """The tokens, exact words and prefixes of a query's positive title and text terms."""

    tokens: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    _empty: bool = field(default=True, repr=False)
    language: str | None = None  # the text's, when known: words are analysed as it was

    def for_language(self, language: str | None) -> Highlight:
        """The same marks for a text in `language` (a story's page)."""
        return replace(self, language=language)

    def __bool__(self) -> bool:
        return not self._empty

    def is_match(self, word: str, language: str | None = None) -> bool:
        """Whether `word` (one word as published) is one the query looks for.

        With the story's language the word is analysed as the index analysed it; without
        (a text shown alone), in every language of its script.
        """
        if self._empty:
            return False
        language = language or self.language
        if self.tokens:
            if language is not None:
                if not self.tokens.isdisjoint(word_tokens(word, language)):
                    return True
            elif any(not self.tokens.isdisjoint(alt) for alt in query_alternatives(word)):
                return True
        folded = words(word)
        return any(w in self.words or w.startswith(self.prefixes) for w in folded)

    def mark(self, text: str, language: str | None = None) -> str:
        """`text` with every matching word between « and »."""
        return _WORD.sub(
            lambda m: f"«{m.group()}»" if self.is_match(m.group(), language) else m.group(),
            text.translate(_QUOTES),
        )

    def snippet(
        self, title: str, text: str, language: str | None, size: int = SNIPPET_WORDS
    ) -> str:
        """About `size` words of the text from just before its first match, marked; the
        marked title when the text has none; the text's lead when neither has."""
        if not self:
            return lead(text, size)
        found = list(_WORD.finditer(text))
        for index, match in enumerate(found):
            if self.is_match(match.group(), language):
                first = max(0, index - _LEAD_WORDS)
                last = min(len(found), first + size) - 1
                start = found[first].start() if first else 0
                end = found[last].end() if last < len(found) - 1 else len(text)
                passage = self.mark(text[start:end].strip(), language)
                return ("… " if first else "") + passage + (" …" if end < len(text) else "")
        if self and self.mark(title, language) != title.translate(_QUOTES):
            return self.mark(title, language)
        return lead(text, size)


def lead(text: str, size: int = SNIPPET_WORDS) -> str:
    """The first words of the text: the snippet of a search without words to mark."""
    parts = text.split()
    return " ".join(parts[:size]).translate(_QUOTES) + (" …" if len(parts) > size else "")


@lru_cache(maxsize=256)
def highlight(query: str) -> Highlight:
    """What to mark for `query`; nothing for an empty or malformed one."""
    if not query.strip():
        return Highlight()
    try:
        terms = terms_for_highlight(parse_query(query))
    except QuerySyntaxError:
        return Highlight()
    tokens: set[str] = set()
    exact: set[str] = set()
    prefixes: list[str] = []
    for term in terms:
        if term.field in ("outlet", "author"):
            continue
        if term.prefix:
            prefixes.append(term.words[0])
        elif term.analysed:
            tokens.update(token for alt in term.alternatives() for token in alt)
        else:
            exact.update(term.words)
    empty = not (tokens or exact or prefixes)
    return Highlight(frozenset(tokens), frozenset(exact), tuple(prefixes), empty)
