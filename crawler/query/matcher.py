"""Compile a query tree into a fast Python predicate over documents (topic matching)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from crawler.query.normalise import words
from crawler.query.tree import And, Not, Or, Term

if TYPE_CHECKING:
    from crawler.query.tree import Node, QueryTree

Document = Mapping[str, str | Sequence[str] | None]
"""Field name -> text or list of texts; ``outlets``/``authors`` stand for ``outlet``/``author``."""

_DOC_KEYS = {
    "title": ("title",),
    "text": ("text",),
    "outlet": ("outlet", "outlets"),
    "author": ("author", "authors"),
}
_UNFIELDED = ("title", "text")


class _Field:
    """One field of a document as folded words, one list per value (phrases do not span values)."""

    __slots__ = ("_sorted", "values", "vocabulary")

    def __init__(self, texts: list[str]) -> None:
        self.values = [words(text) for text in texts]
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
        head, rest, size = phrase[0], list(phrase[1:]), len(phrase)
        for value in self.values:
            # list.index scans in C: quicker than indexing the positions of every word
            start = -1
            while True:
                try:
                    start = value.index(head, start + 1)
                except ValueError:
                    break
                if value[start + 1 : start + size] == rest:
                    return True
        return False


class TokenizedDocument:
    """A document split into folded words once, field by field, on first use.

    Build one per page and pass it to every topic's matcher so the text is tokenised once.
    """

    __slots__ = ("_doc", "_fields")

    def __init__(self, doc: Document) -> None:
        self._doc = doc
        self._fields: dict[str, _Field] = {}

    def field(self, name: str) -> _Field:
        found = self._fields.get(name)
        if found is None:
            texts: list[str] = []
            for key in _DOC_KEYS[name]:
                value = self._doc.get(key)
                if isinstance(value, str):
                    texts.append(value)
                elif value:
                    texts.extend(item for item in value if item)
            found = self._fields[name] = _Field(texts)
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
    if term.phrase:
        phrase = term.words
        return lambda doc: any(doc.field(name).has_phrase(phrase) for name in fields)
    word = term.words[0]
    if term.prefix:
        return lambda doc: any(doc.field(name).has_prefix(word) for name in fields)
    return lambda doc: any(word in doc.field(name).vocabulary for name in fields)
