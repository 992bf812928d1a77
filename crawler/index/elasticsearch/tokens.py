"""The story document as Elasticsearch indexes it: the stored form plus its search tokens."""

from __future__ import annotations

from typing import Any

from crawler.index.tokens import search_tokens


def with_tokens(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with `tokens` (crawler/index/tokens.py), which the mapping indexes with the
    whitespace analyzer and keeps out of `_source`: what is read back is the story alone."""
    return {**document, "tokens": search_tokens(document)}
