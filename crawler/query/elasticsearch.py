"""Compile a query tree into Elasticsearch query DSL: structured queries, never query_string."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.query.tree import And, Not, Or, Term

if TYPE_CHECKING:
    from crawler.query.tree import Node, QueryTree

# Field names follow the story mapping in index_mappings/. The folded fields keep "Korea's" as
# one token (standard tokenizer) while the .en fields strip the possessive, so words and phrases
# search both to match "Korea" and "North Korea" inside "North Korea's". The .en fields also
# stem, so Elasticsearch is a little more lenient than the matcher ("North Korean" finds
# "North Koreans" there); tests/test_query_backends.py holds the cases where all agree.
_TEXT_FIELDS: dict[str | None, list[str]] = {
    None: ["title^2", "title.en", "text", "text.en"],
    "title": ["title", "title.en"],
    "text": ["text", "text.en"],
}
_PREFIX_FIELDS: dict[str | None, list[str]] = {
    None: ["title", "text"],
    "title": ["title"],
    "text": ["text"],
    "outlet": ["outlets.text"],
    "author": ["authors"],
}
_NAME_FIELDS = {"outlet": "outlets.text", "author": "authors"}

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
    if term.prefix:
        # prefix queries are not analysed: send the word folded as the analyzers fold it
        prefixes: list[Query] = [
            {"prefix": {name: {"value": term.words[0]}}} for name in _PREFIX_FIELDS[term.field]
        ]
        if len(prefixes) == 1:
            return prefixes[0]
        return {"bool": {"should": prefixes, "minimum_should_match": 1}}
    if term.field in _NAME_FIELDS:
        return {"match_phrase": {_NAME_FIELDS[term.field]: {"query": term.text}}}
    fields = _TEXT_FIELDS[term.field]
    if term.phrase:
        return {"multi_match": {"query": term.text, "type": "phrase", "fields": fields}}
    return {"multi_match": {"query": term.text, "fields": fields, "operator": "and"}}
