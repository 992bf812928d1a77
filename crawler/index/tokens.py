"""A story's search tokens, the one form both backends index and every query compiles to.

`title` and `text` hold the analysed tokens (crawler/analysis) in the story's language;
the other fields the folded words the matcher's exact terms, prefixes, outlets and
authors compare. Each is one space-separated string: SQLite's FTS5 (ascii tokenizer) and
Elasticsearch (whitespace analyzer) split it on the spaces alone, so both index exactly
the tokens the topic matcher sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from crawler.analysis import analyze, surface_words

FIELDS = ("title", "text", "outlets", "authors", "title_words", "text_words")


def tokens(text: str | None, language: str | None) -> str:
    """The analysed tokens of `text`, space-separated."""
    return " ".join(analyze(text, language)) if text else ""


def folded_words(text: str | None) -> str:
    """The folded words of `text` (the matcher's exact words), space-separated."""
    return " ".join(surface_words(text)) if text else ""


def outlet_names(story: Mapping[str, Any]) -> list[str]:
    """Every outlet that ran the story, distinct, first seen first."""
    copies = [c.get("outlet") for c in story.get("copies") or () if isinstance(c, dict)]
    return distinct(story.get("outlets"), [story.get("outlet")], copies)


def distinct(*groups: Iterable[Any] | None) -> list[str]:
    """Distinct non-empty strings, first occurrence first."""
    seen: dict[str, None] = {}
    for group in groups:
        for value in group or ():
            if isinstance(value, str) and value:
                seen.setdefault(value, None)
    return list(seen)


def search_tokens(story: Mapping[str, Any]) -> dict[str, str]:
    """The FIELDS of one story document (Story.to_document()), tokenised."""
    title = story.get("title") or ""
    text = story.get("text") or ""
    language = story.get("language")
    # A line break between names keeps a phrase from running from one name into the next.
    return {
        "title": tokens(title, language),
        "text": tokens(text, language),
        "outlets": folded_words("\n".join(outlet_names(story))),
        "authors": folded_words("\n".join(distinct(story.get("authors")))),
        "title_words": folded_words(title),
        "text_words": folded_words(text),
    }
