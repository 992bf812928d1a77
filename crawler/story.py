"""A story and its copies: the one model dedup, the index, search, export and the API share.

A story is one news story however many outlets ran it. `Story.to_document()` and
`Story.from_document()` are the one place that knows its stored form, a JSON-able
dict the same on both index backends (`index_mappings/stories.json` maps exactly
these keys). Times stay in their stored spelling, ISO-8601 UTC strings
(`2026-11-26T10:00:00Z`, crawler/base/time.py), so they order as strings.
The document's keys:

    id               stable id: sha1 hex of the canonical URL of the copy that created it
    url, canonical_url, outlet, source, title, description, text, authors[],
    published, updated, language, top_image, tags[], topics[]
                     taken from the primary copy (the earliest published)
    first_seen, last_seen
    copies[]         {url, canonical_url, outlet, source, title, published, text,
                      language, first_seen, match: original|url|canonical|exact|near, score}
                     (text: stored not searched; text and language absent on copies
                      indexed before they were kept)
    copy_urls[]      every copy's url and canonical_url (lookup by any copy's URL)
    outlets[], outlet_count
    content_hashes[] exact-text hashes of every copy (dedup)
    dedup_bands[]    LSH band keys of every copy (dedup candidates)
    dedup_text       the longest copy's body, stored not searched (dedup verification)

Documents written before a key existed read with that key's empty value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Copy:
    """One outlet's page of the story, as dedup recorded it."""

    url: str
    canonical_url: str
    outlet: str
    source: str
    title: str
    published: str | None
    first_seen: str
    match: str  # original|url|canonical|exact|near
    score: float | None = None
    # None on copies indexed before copies kept their text; left out of their document.
    text: str | None = None
    language: str | None = None  # detected from the copy's text (crawler/analysis/detect.py)

    def to_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "url": self.url,
            "canonical_url": self.canonical_url,
            "outlet": self.outlet,
            "source": self.source,
            "title": self.title,
            "published": self.published,
        }
        if self.text is not None:
            doc["text"] = self.text
        if self.language is not None:
            doc["language"] = self.language
        doc.update(first_seen=self.first_seen, match=self.match, score=self.score)
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Copy:
        return cls(
            url=doc["url"],
            canonical_url=doc.get("canonical_url") or "",
            outlet=doc.get("outlet") or "",
            source=doc.get("source") or "",
            title=doc.get("title") or "",
            published=doc.get("published"),
            first_seen=doc.get("first_seen") or "",
            match=doc.get("match") or "original",
            score=doc.get("score"),
            text=doc.get("text"),
            language=doc.get("language"),
        )


@dataclass
class Story:
    """One story: the primary copy's fields, every copy, and the dedup state."""

    id: str
    url: str
    canonical_url: str = ""
    outlet: str = ""
    source: str = ""
    title: str = ""
    description: str = ""
    text: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    language: str | None = None
    top_image: str | None = None
    tags: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    first_seen: str = ""
    last_seen: str = ""
    copies: list[Copy] = field(default_factory=list)
    # Derived from the copies (crawler/dedup/story.py refresh): stored for look-ups.
    copy_urls: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    outlet_count: int = 0
    content_hashes: list[str] = field(default_factory=list)
    dedup_bands: list[str] = field(default_factory=list)
    dedup_text: str = ""

    def to_document(self) -> dict[str, Any]:
        """The stored form (see the module docstring)."""
        return {
            "id": self.id,
            "url": self.url,
            "canonical_url": self.canonical_url,
            "outlet": self.outlet,
            "source": self.source,
            "title": self.title,
            "description": self.description,
            "text": self.text,
            "authors": list(self.authors),
            "published": self.published,
            "updated": self.updated,
            "language": self.language,
            "top_image": self.top_image,
            "tags": list(self.tags),
            "topics": list(self.topics),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "copies": [copy.to_document() for copy in self.copies],
            "copy_urls": list(self.copy_urls),
            "outlets": list(self.outlets),
            "outlet_count": self.outlet_count,
            "content_hashes": list(self.content_hashes),
            "dedup_bands": list(self.dedup_bands),
            "dedup_text": self.dedup_text,
        }

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Story:
        """A story from its stored form, tolerating keys that older documents lack."""
        outlets = list(doc.get("outlets") or [])
        return cls(
            id=doc["id"],
            url=doc.get("url") or "",
            canonical_url=doc.get("canonical_url") or "",
            outlet=doc.get("outlet") or "",
            source=doc.get("source") or "",
            title=doc.get("title") or "",
            description=doc.get("description") or "",
            text=doc.get("text") or "",
            authors=list(doc.get("authors") or []),
            published=doc.get("published"),
            updated=doc.get("updated"),
            language=doc.get("language"),
            top_image=doc.get("top_image"),
            tags=list(doc.get("tags") or []),
            topics=list(doc.get("topics") or []),
            first_seen=doc.get("first_seen") or "",
            last_seen=doc.get("last_seen") or "",
            copies=[Copy.from_document(copy) for copy in doc.get("copies") or []],
            copy_urls=list(doc.get("copy_urls") or []),
            outlets=outlets,
            outlet_count=doc.get("outlet_count") or len(outlets),
            content_hashes=list(doc.get("content_hashes") or []),
            dedup_bands=list(doc.get("dedup_bands") or []),
            dedup_text=doc.get("dedup_text") or "",
        )
