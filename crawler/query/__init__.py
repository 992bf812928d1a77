"""The newswatch query language: parse once, compile to a matcher, Elasticsearch and FTS5.

Syntax (Lucene-style, parsed by luqum):

- ``word``: the word on word boundaries, case- and accent-insensitively, and its inflected
  forms in the story's language (crawler/analysis: "korea" finds "KOREA", "Korea's" and
  "Koreas", not "Koreatown"; "Корея" finds "Кореи"; 북한 finds "북한군");
  ``"a phrase"``: consecutive words; ``word*``: words starting with at least 2 letters
  (``Kor*`` finds "Korean"); ``exact:`` before a term, group or field: the form as written.
- ``AND``/``&&``, ``OR``/``||``, ``NOT``/``!``, ``-word`` (exclude), ``+word`` (require),
  parentheses. Operators are upper-case; between terms without one, AND is implied.
- ``title:``, ``text:``, ``outlet:``, ``author:`` restrict a term or group to one field;
  unfielded terms search title and text.
- Rejected with the position: fuzzy ``~``, proximity, boosts ``^``, ranges, regular
  expressions, ``?`` and leading or inner ``*`` wildcards, unknown or nested fields,
  nesting deeper than :data:`MAX_DEPTH`. Limiting the query length is the caller's job.
"""

from __future__ import annotations

from crawler.query.elasticsearch import to_elasticsearch
from crawler.query.errors import QuerySyntaxError
from crawler.query.fts5 import Fts5Query, to_fts5
from crawler.query.matcher import TokenizedDocument, compile_matcher, matches
from crawler.query.parse import MAX_DEPTH, parse_query
from crawler.query.tree import FIELDS, QueryTree, Term, terms_for_highlight

__all__ = [
    "FIELDS",
    "MAX_DEPTH",
    "Fts5Query",
    "QuerySyntaxError",
    "QueryTree",
    "Term",
    "TokenizedDocument",
    "compile_matcher",
    "matches",
    "parse_query",
    "terms_for_highlight",
    "to_elasticsearch",
    "to_fts5",
]
