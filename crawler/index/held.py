"""Held pages: off-topic pages kept (not indexed) so that a later copy of them can join them.

A page matching no story and no topic is not indexed, but its dedup keys and the
article fields a story needs are held here, so that an on-topic copy arriving later
(another outlet, another crawl, another process) can still build the story from
both. Both index backends implement `HeldPages` (crawler/index/sqlite/held.py,
crawler/index/elasticsearch/held.py); the Deduplicator calls it under its dedup lock.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from crawler.base.time import isoformat_utc
from crawler.items import Article

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# The article fields a held page keeps: all of an Article but what the crawl
# decides later (its topics) or remembers elsewhere (the listing's date, in seen state).
ARTICLE_KEYS = tuple(
    f.name for f in fields(Article) if f.name not in {"topics", "listed_updated", "signature"}
)
TIME_KEYS = ("published", "updated", "fetched_at")


@dataclass(frozen=True)
class HeldPage:
    """One held page: its dedup keys and its article, as plain JSON-able data."""

    url: str
    canonical_url: str
    content_hash: str
    bands: tuple[str, ...]
    held_at: str  # ISO-8601 UTC: when it was first seen (the copy's first_seen)
    article: dict[str, Any]  # ARTICLE_KEYS; times as ISO strings; the text is the dedup text

    @property
    def urls(self) -> list[str]:
        """The keys a later page finds it by: its URL and its canonical URL."""
        return list(dict.fromkeys([self.url, self.canonical_url]))

    def to_document(self) -> dict[str, Any]:
        """The stored form (both backends): the keys to search plus the article."""
        return {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "urls": self.urls,
            "content_hash": self.content_hash,
            "bands": list(self.bands),
            "held_at": self.held_at,
            "article": self.article,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> HeldPage:
        return cls(
            url=doc["url"],
            canonical_url=doc["canonical_url"],
            content_hash=doc["content_hash"],
            bands=tuple(doc.get("bands") or ()),
            held_at=doc["held_at"],
            article=dict(doc["article"]),
        )


def article_record(article: Article) -> dict[str, Any]:
    """The JSON-able fields of `article` a held page keeps."""
    record: dict[str, Any] = {}
    for key in ARTICLE_KEYS:
        value = getattr(article, key)
        record[key] = isoformat_utc(value) if key in TIME_KEYS else value
        if isinstance(value, list):
            record[key] = list(value)
    return record


def article_of(record: dict[str, Any]) -> Article:
    """The Article a held page was made from (topics empty: the story decides them)."""
    known = {f.name for f in fields(Article)}
    values = {k: v for k, v in record.items() if k in known}
    for key in TIME_KEYS:
        if values.get(key):
            values[key] = datetime.fromisoformat(values[key])
    return Article(**values)


class HeldPages(Protocol):
    """Where off-topic pages wait for a copy; every call is made under the dedup lock."""

    def hold(self, page: HeldPage) -> None:
        """Keep `page` (replacing a held page with the same URL)."""

    def find(
        self, urls: Sequence[str], content_hash: str, bands: Sequence[str], limit: int
    ) -> list[HeldPage]:
        """Held pages whose URL or canonical URL is one of `urls`, whose content hash is
        `content_hash`, or which share band keys (most shared first), at most `limit`
        of the latter."""

    def release(self, urls: Iterable[str]) -> None:
        """Forget the held pages with these URLs (they joined a story)."""

    def prune(self, older_than: str, keep: int) -> int:
        """Forget pages held before `older_than` (ISO-8601 UTC), then all but the `keep`
        most recent; returns how many were forgotten."""

    def count(self) -> int:
        """How many pages are held."""
