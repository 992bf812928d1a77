"""The newswatch query language: parse once, compile to a matcher, Elasticsearch and FTS5."""

from __future__ import annotations

from crawler.query.errors import QuerySyntaxError
from crawler.query.parse import parse_query
from crawler.query.tree import FIELDS, QueryTree, Term, terms_for_highlight

__all__ = [
    "FIELDS",
    "QuerySyntaxError",
    "QueryTree",
    "Term",
    "parse_query",
    "terms_for_highlight",
]
