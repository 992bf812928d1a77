"""Compile a query tree into a fast Python predicate over documents (topic matching)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from crawler.analysis import analyze
from crawler.query.normalise import words
from crawler.query.tree import And, Not, Or, Term

if TYPE_CHECKING:
    from crawler.query.tree import Node, QueryTree

Document = Mapping[str, str | Sequence[str] | None]
"""Field name -> text or list of texts; ``outlets``/``authors`` stand for ``outlet``/``author``;
``language`` (a tag, or None) is the language ``title`` and ``text`` are analysed in."""

_DOC_KEYS = {
    "title": ("title",),
    "text": ("text",),
    "outlet": ("outlet", "outlets"),
    "author": ("author", "authors"),
}
_UNFIELDED = ("title", "text")


class _Field:
    """One field of a document as folded words or as analysed tokens, one sequence per value
    (phrases do not span values)."""

    __slots__ = ("_sorted", "values", "vocabulary")

    def __init__(self, values: list[Sequence[str]]) -> None:
        self.values = values
        self.vocabulary = {word for value in self.values for word in value}
        self._sorted: list[str] | None = None

    def has_prefix(self, prefix: str) -> bool:
        if self._sorted is None:
            self._sorted = sorted(self.vocabulary)
        at = bisect_left(self._sorted, prefix)
        return at < len(self._sorted) and self._sorted[at].startswith(prefix)

    def has_phrase(self, phrase: tuple[str, ...]) -> bool:
        if not all(word in self.vocabulary for word in phrase):
            return False  # cheap rejection before scanning
        head, rest, size = phrase[0], phrase[1:], len(phrase)
        for value in self.values:
            # index scans in C: quicker than indexing the positions of every word
            start = -1
            while True:
                try:
                    start = value.index(head, start + 1)
                except ValueError:
                    break
                if tuple(value[start + 1 : start + size]) == rest:
                    return True
        return False


class TokenizedDocument:
    """A document split into folded words and analysed tokens once, field by field, on first use.

    Build one per page and pass it to every topic's matcher so the text is tokenised once.
    """

    __slots__ = ("_doc", "_fields", "_tokens", "language")

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        language = doc.get("language")
        self.language = language if isinstance(language, str) else None
        self._fields: dict[str, _Field] = {}
        self._tokens: dict[str, _Field] = {}

    def _texts(self, name: str) -> list[str]:
        texts: list[str] = []
        for key in _DOC_KEYS[name]:
            value = self._doc.get(key)
            if isinstance(value, str):
                texts.append(value)
            elif value:
                texts.extend(item for item in value if item)
        return texts

    def field(self, name: str) -> _Field:
        """The field's folded words (exact terms, prefixes, outlets, authors)."""
        found = self._fields.get(name)
        if found is None:
            found = self._fields[name] = _Field([words(text) for text in self._texts(name)])
        return found

    def tokens(self, name: str) -> _Field:
        """The field's tokens as crawler.analysis gives them in the document's language."""
        found = self._tokens.get(name)
        if found is None:
            language = self.language
            values: list[Sequence[str]] = [analyze(text, language) for text in self._texts(name)]
            found = self._tokens[name] = _Field(values)
        return found


Predicate = Callable[[TokenizedDocument], bool]


def compile_matcher(tree: QueryTree) -> Callable[[Document | TokenizedDocument], bool]:
    """Return a predicate telling whether a document matches ``tree``.

    The predicate takes a mapping of field -> str | list[str] (``title``, ``text``,
    ``outlet``/``outlets``, ``author``/``authors``) or a :class:`TokenizedDocument`.
    """
    predicate = _compile(tree.root)

    def matcher(doc: Document | TokenizedDocument) -> bool:
        if not isinstance(doc, TokenizedDocument):
            doc = TokenizedDocument(doc)
        return predicate(doc)

    return matcher


def matches(tree: QueryTree, doc: Document | TokenizedDocument) -> bool:
    """Tell whether ``doc`` matches ``tree`` (the matcher is compiled once per tree)."""
    matcher = tree.compiled.get("matcher")
    if matcher is None:
        matcher = tree.compiled["matcher"] = compile_matcher(tree)
    return bool(matcher(doc))


def _compile(node: Node) -> Predicate:
    if isinstance(node, Term):
        return _compile_term(node)
    if isinstance(node, Not):
        inner = _compile(node.child)
        return lambda doc: not inner(doc)
    parts = tuple(_compile(child) for child in node.children)
    if isinstance(node, And):
        return lambda doc: all(part(doc) for part in parts)
    assert isinstance(node, Or)
    return lambda doc: any(part(doc) for part in parts)


def _compile_term(term: Term) -> Predicate:
    fields = _UNFIELDED if term.field is None else (term.field,)
    if term.analysed:
        return _analysed_term(term.alternatives(), fields)
    if term.phrase:
        phrase = term.words
        return lambda doc: any(doc.field(name).has_phrase(phrase) for name in fields)
    word = term.words[0]
    if term.prefix:
        return lambda doc: any(doc.field(name).has_prefix(word) for name in fields)
    return lambda doc: any(word in doc.field(name).vocabulary for name in fields)


def _analysed_term(alternatives: tuple[tuple[str, ...], ...], fields: tuple[str, ...]) -> Predicate:
    """Any alternative as consecutive tokens of one of the fields."""
    singles = frozenset(alternative[0] for alternative in alternatives if len(alternative) == 1)
    phrases = [alternative for alternative in alternatives if len(alternative) > 1]

    def match(doc: TokenizedDocument) -> bool:
        for name in fields:
            field = doc.tokens(name)
            if not singles.isdisjoint(field.vocabulary):
                return True
            if any(field.has_phrase(phrase) for phrase in phrases):
                return True
        return False

    return match
