"""Read RSS 2.0, Atom and RDF (RSS 1.0) feeds into listed entries."""

from __future__ import annotations

import logging

from lxml import etree

from crawler.crawl.listing import ListedEntry, ListingError, child_text, local_name, parse_xml
from crawler.extract.dates import parse_datetime

logger = logging.getLogger(__name__)


def parse_feed(body: bytes) -> tuple[list[ListedEntry], bool]:
    """The entries of a feed and whether the feed was damaged (parsed by recovery).

    Raises ListingError when nothing usable is in it (not XML, not a feed).
    """
    parsed = parse_xml(body)
    root = parsed.root
    if root is None:
        raise ListingError("not XML")
    kind = local_name(root)
    if kind == "rss" or kind == "rdf":
        entries = [_rss_item(item) for item in _descendants(root, "item")]
    elif kind == "feed":
        entries = [_atom_entry(entry) for entry in _descendants(root, "entry")]
    else:
        raise ListingError(f"not a feed (root element <{kind or '?'}>)")
    if parsed.damaged:
        # The recovering parser closes whatever was open where the text broke
        # off, so the last item may carry a cut URL: only whole items count.
        entries = entries[:-1]
    usable = [entry for entry in entries if entry is not None]
    if parsed.damaged and not usable:
        raise ListingError("malformed XML, no entry could be read")
    return usable, parsed.damaged


def _descendants(root: etree._Element, name: str) -> list[etree._Element]:
    return [el for el in root.iter() if local_name(el) == name]


def _rss_item(item: etree._Element) -> ListedEntry | None:
    url = child_text(item, "link")
    if not url:
        # RSS 2.0: a guid is the item's URL unless isPermaLink="false"
        for child in item:
            if local_name(child) == "guid" and child.get("isPermaLink", "true") != "false":
                url = (child.text or "").strip()
    if not url:
        url = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
    if not url.startswith(("http://", "https://")):
        return None
    return ListedEntry(
        url=url,
        published=parse_datetime(child_text(item, "pubdate", "date", "published", "issued")),
        updated=parse_datetime(child_text(item, "updated", "modified")),
        title=child_text(item, "title"),
    )


def _atom_entry(entry: etree._Element) -> ListedEntry | None:
    url = ""
    for child in entry:
        if local_name(child) == "link" and child.get("rel", "alternate") == "alternate":
            url = (child.get("href") or "").strip()
            break
    if not url.startswith(("http://", "https://")):
        return None
    return ListedEntry(
        url=url,
        published=parse_datetime(child_text(entry, "published", "issued")),
        updated=parse_datetime(child_text(entry, "updated", "modified")),
        title=child_text(entry, "title"),
    )
