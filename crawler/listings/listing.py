"""Entries read from a feed or sitemap, and the XML parsing both share."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

# Decompressed listings larger than this are refused (zip bombs in .xml.gz).
MAX_LISTING_BYTES = 50 * 1024 * 1024


class ListingError(ValueError):
    """A feed or sitemap that yields nothing usable."""


@dataclass(frozen=True)
class ListedEntry:
    """One story URL as a feed or sitemap lists it."""

    url: str
    published: datetime | None = None
    updated: datetime | None = None
    title: str = ""

    @property
    def changed(self) -> datetime | None:
        """The date that tells whether the story changed since it was fetched."""
        return self.updated or self.published


@dataclass
class ParsedXml:
    root: etree._Element | None
    damaged: bool  # the strict parse failed; `root` is what the recovering parser kept


def parse_xml(body: bytes) -> ParsedXml:
    """Parse strictly; on failure keep what a recovering parser can read."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip(body)
    strict = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return ParsedXml(etree.fromstring(body, parser=strict), damaged=False)
    except etree.XMLSyntaxError:
        pass
    lenient = etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser=lenient)
    except etree.XMLSyntaxError:
        root = None
    return ParsedXml(root, damaged=True)


def _gunzip(body: bytes) -> bytes:
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, MAX_LISTING_BYTES)
    except zlib.error as exc:
        raise ListingError(f"bad gzip data: {exc}") from None
    if decompressor.unconsumed_tail:
        raise ListingError(f"decompressed listing larger than {MAX_LISTING_BYTES} bytes")
    return data


def local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return etree.QName(tag).localname.lower()


def child_text(element: etree._Element, *names: str) -> str:
    """Text of the first child whose local name is one of `names` (any namespace)."""
    for name in names:
        for child in element:
            if local_name(child) == name:
                return (child.text or "").strip()
    return ""


__all__ = ["ListedEntry", "ListingError", "ParsedXml", "child_text", "local_name", "parse_xml"]
