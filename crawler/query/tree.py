"""The validated query tree every compiler walks: terms combined by AND, OR and NOT."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FIELDS = ("title", "text", "outlet", "author")
"""Field prefixes the language accepts; a term without one searches title and text."""

EXACT = "exact"
"""The prefix asking for the exact form of words (``exact:Кореи``), not their analysed form."""


@dataclass(frozen=True)
class Term:
    """One word, prefix (``kor*``) or quoted phrase, optionally restricted to one field.

    ``words`` are the folded words of ``text`` (see :mod:`crawler.query.normalise`); a word
    that folds to several words ("Korea's", "e-mail") is searched as a phrase, as SQLite
    FTS5 does, so ``phrase`` is true for it too. With ``prefix`` the one word is a prefix.

    Title and text terms match by their analysed tokens (:mod:`crawler.analysis`): a
    base form finds the inflected ones. With ``exact`` (``exact:``), and for prefixes,
    outlets and authors, the folded words must be the same instead.
    """

    text: str
    words: tuple[str, ...]
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    exact: bool = False

    @property
    def analysed(self) -> bool:
        """Whether the term matches by analysed tokens rather than by folded words."""
        return not (self.exact or self.prefix or self.field in ("outlet", "author"))

    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        """The token runs an analysed term stands for (see crawler.analysis.query_alternatives)."""
        from crawler.analysis import query_alternatives

        return query_alternatives(self.text) or (self.words,)


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Term | And | Or | Not


@dataclass(frozen=True)
class QueryTree:
    """A parsed, validated query: the source text, its tree and luqum's tree it came from."""

    text: str
    root: Node
    luqum: Any = field(default=None, compare=False, repr=False)
    # compiled forms kept with the tree (hashing a tree for a cache lookup costs as much as
    # matching a page)
    compiled: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)


def terms_for_highlight(tree: QueryTree) -> list[Term]:
    """Return the terms a matching document contains (those not under a NOT), in query order."""
    found: list[Term] = []
    stack: list[Node] = [tree.root]
    while stack:
        node = stack.pop()
        if isinstance(node, Term):
            found.append(node)
        elif isinstance(node, (And, Or)):
            stack.extend(reversed(node.children))
    return found
