"""Compile a query tree into a SQLite FTS5 MATCH expression over story_tokens, terms quoted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.query.tree import And, Not, Or, Term

if TYPE_CHECKING:
    from crawler.query.tree import Node, QueryTree

# Column filters for the FTS5 table (crawler/index/sqlite/schema.py FTS_COLUMNS): analysed
# terms search the token columns, exact ones, prefixes, outlets and authors the folded words.
_TOKEN_COLUMNS: dict[str | None, str] = {None: "{title text}", "title": "title", "text": "text"}
_WORD_COLUMNS: dict[str | None, str] = {
    None: "{title_words text_words}",
    "title": "title_words",
    "text": "text_words",
    "outlet": "outlets",
    "author": "authors",
}


@dataclass(frozen=True)
class Fts5Query:
    """What to ask the FTS5 table: exactly one of ``match`` and ``exclude`` is set.

    ``match``: the rows ``WHERE fts MATCH :match``.
    ``exclude``: every row except those matching it, for purely negative queries that FTS5
    cannot express (its NOT is binary): ``WHERE rowid NOT IN (SELECT rowid FROM fts WHERE fts
    MATCH :exclude)``. :meth:`condition` writes either form.
    """

    match: str | None = None
    exclude: str | None = None

    def condition(self, table: str, rowid: str = "rowid") -> tuple[str, str]:
        """Return ``(sql, parameter)``: a WHERE condition on ``rowid`` and its one ``?`` value."""
        subquery = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
        if self.match is not None:
            return f"{rowid} IN ({subquery})", self.match
        assert self.exclude is not None
        return f"{rowid} NOT IN ({subquery})", self.exclude


def to_fts5(tree: QueryTree) -> Fts5Query:
    """Return the FTS5 form of ``tree`` (see :class:`Fts5Query`)."""
    expression, negated = _compile(tree.root)
    return Fts5Query(exclude=expression) if negated else Fts5Query(match=expression)


def _compile(node: Node) -> tuple[str, bool]:
    """Return ``(expression, negated)``: the rows matching ``expression``, or all the others."""
    if isinstance(node, Term):
        return _term(node), False
    if isinstance(node, Not):
        expression, negated = _compile(node.child)
        return expression, not negated
    parts = [_compile(child) for child in node.children]
    plain = [expression for expression, negated in parts if not negated]
    complements = [expression for expression, negated in parts if negated]
    if isinstance(node, And):
        # P1 AND P2 AND NOT C1 AND NOT C2 = (P1 AND P2) NOT (C1 OR C2)
        if not plain:
            return _join(" OR ", complements), True
        return _minus(_join(" AND ", plain), complements), False
    assert isinstance(node, Or)
    # P1 OR NOT C1 OR NOT C2 = everything except ((C1 AND C2) NOT P1)
    if not complements:
        return _join(" OR ", plain), False
    return _minus(_join(" AND ", complements), plain), True


def _minus(expression: str, removed: list[str]) -> str:
    return f"({expression} NOT {_join(' OR ', removed)})" if removed else expression


def _join(operator: str, expressions: list[str]) -> str:
    return expressions[0] if len(expressions) == 1 else f"({operator.join(expressions)})"


def _term(term: Term) -> str:
    if term.analysed:
        columns = _TOKEN_COLUMNS[term.field]
        alternatives = [f"{columns} : {_quote(alt)}" for alt in term.alternatives()]
        return _join(" OR ", alternatives)
    return f"{_WORD_COLUMNS[term.field]} : {_quote(term.words)}{' *' if term.prefix else ''}"


def _quote(tokens: tuple[str, ...]) -> str:
    # Quoting makes every term a literal FTS5 string: user input cannot add operators.
    return '"' + " ".join(tokens).replace('"', '""') + '"'
