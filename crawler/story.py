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

from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar


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
    match: str = "original"  # original|url|canonical|exact|near
    score: float | None = None
    # None on copies indexed before copies kept their text; left out of their document.
    text: str | None = None
    language: str | None = None  # detected from the copy's text (crawler/analysis/detect.py)

    def to_document(self) -> dict[str, Any]:
        doc = _document(self)
        for optional in ("text", "language"):  # absent rather than null, as before
            if doc[optional] is None:
                del doc[optional]
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Copy:
        return _from_document(cls, doc)


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
        doc = _document(self)
        doc["copies"] = [copy.to_document() for copy in self.copies]
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Story:
        """A story from its stored form, tolerating keys that older documents lack."""
        outlets = list(doc.get("outlets") or [])
        return _from_document(
            cls,
            doc,
            copies=[Copy.from_document(copy) for copy in doc.get("copies") or []],
            outlet_count=doc.get("outlet_count") or len(outlets),
        )


def _document(record: Copy | Story) -> dict[str, Any]:
    """Every field of the record under its name, lists copied."""
    values = {f.name: getattr(record, f.name) for f in fields(record)}
    return {k: list(v) if isinstance(v, list) else v for k, v in values.items()}


R = TypeVar("R", Copy, Story)


def _from_document(cls: type[R], doc: dict[str, Any], **given: Any) -> R:
    """A record of `cls` from a stored document: a key the document lacks (or holds
    empty) takes the field's empty value; `given` values are taken as they are."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in given:
            values[f.name] = given[f.name]
            continue
        value = doc.get(f.name)
        if f.default is MISSING and f.default_factory is MISSING:
            empty = None if "None" in str(f.type) else ""
            values[f.name] = value if value is not None else empty
        elif f.default_factory is not MISSING:
            values[f.name] = list(value or [])
        elif value is None or (not value and isinstance(f.default, str)):
            values[f.name] = f.default
        else:
            values[f.name] = value
    return cls(**values)
