"""A page's own fields, declared once: every stage's record derives from `PageFields`.

Metadata (crawler/extract/metadata.py), the extracted page (crawler/extract/article.py),
the crawled item (crawler/items.py) and the stored story (crawler/story.py) all
carry what the outlet published about its page. They extend this one declaration
with what their stage adds, and copy between stages with `page_fields`, as
fundus builds its records from `dataclasses.fields`: adding a field here adds
it to every stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from crawler.base.time import isoformat_utc


@dataclass(kw_only=True)
class PageFields:
    """What an outlet published on one page; an empty value was not found."""

    title: str = ""
    text: str = ""  # one block a line (crawler/base/storytext.py)
    description: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    top_image: str | None = None
    tags: list[str] = field(default_factory=list)


PAGE_FIELDS = tuple(f.name for f in fields(PageFields))


def page_fields(record: object) -> dict[str, Any]:
    """The page's fields of `record` (any stage's), lists copied."""
    values = {name: getattr(record, name) for name in PAGE_FIELDS}
    return {k: list(v) if isinstance(v, list) else v for k, v in values.items()}


def stored_page_fields(record: object) -> dict[str, Any]:
    """`page_fields` as a story stores them: times as ISO 8601 UTC strings."""
    values = page_fields(record)
    return {k: isoformat_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}
