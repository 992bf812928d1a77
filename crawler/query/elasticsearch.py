"""Compile a query tree into Elasticsearch query DSL: structured queries, never query_string."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.query.tree import And, Not, Or, Term

if TYPE_CHECKING:
    from crawler.query.tree import Node, QueryTree

# Field names follow the story mapping in index_mappings/: every term searches the `tokens`
# fields, which hold what crawler/index/tokens.py computed in Python and the whitespace
# analyzer splits on spaces only, so Elasticsearch compares exactly the matcher's tokens.
# Analysed terms search the analysed title and text; exact terms, prefixes, outlets and
# authors the folded words. A word in the title weighs twice one in the text.
_TOKEN_FIELDS: dict[str | None, list[tuple[str, float]]] = {
    None: [("tokens.title", 2.0), ("tokens.text", 1.0)],
    "title": [("tokens.title", 1.0)],
    "text": [("tokens.text", 1.0)],
}
_WORD_FIELDS: dict[str | None, list[tuple[str, float]]] = {
    None: [("tokens.title_words", 2.0), ("tokens.text_words", 1.0)],
    "title": [("tokens.title_words", 1.0)],
    "text": [("tokens.text_words", 1.0)],
    "outlet": [("tokens.outlets", 1.0)],
    "author": [("tokens.authors", 1.0)],
}

Query = dict[str, Any]


def to_elasticsearch(tree: QueryTree) -> Query:
    """Return the Elasticsearch query for ``tree``; a purely negative query excludes from all."""
    return _compile(tree.root)


def _compile(node: Node) -> Query:
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Not):
        return _bool([], [_compile(node.child)])
    if isinstance(node, Or):
        return {"bool": {"should": [_compile(c) for c in node.children], "minimum_should_match": 1}}
    assert isinstance(node, And)
    must = [_compile(c) for c in node.children if not isinstance(c, Not)]
    must_not = [_compile(c.child) for c in node.children if isinstance(c, Not)]
    return _bool(must, must_not)


def _bool(must: list[Query], must_not: list[Query]) -> Query:
    clauses: dict[str, list[Query]] = {"must": must or [{"match_all": {}}]}
    if must_not:
        clauses["must_not"] = must_not
    return {"bool": clauses}


def _term(term: Term) -> Query:
    if term.analysed:
        runs, fields = term.alternatives(), _TOKEN_FIELDS[term.field]
    else:
        runs, fields = (term.words,), _WORD_FIELDS[term.field]
    clauses: list[Query] = []
    for name, boost in fields:
        for run in runs:
            if term.prefix:
                clauses.append({"prefix": {name: {"value": run[0], "boost": boost}}})
            else:
                clauses.append({"match_phrase": {name: {"query": " ".join(run), "boost": boost}}})
    if len(clauses) == 1:
        return clauses[0]
    return {"bool": {"should": clauses, "minimum_should_match": 1}}
