"""Read RSS 2.0, Atom and RDF (RSS 1.0) feeds into listed entries."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from lxml import etree

from crawler.extract.cleantext import clean_inline
from crawler.extract.dates import parse_datetime
from crawler.listings.listing import ListedEntry, ListingError, child_text, local_name, parse_xml
from crawler.listings.salvage import Salvage, merge_in_order, root_kind, scan_entries

logger = logging.getLogger(__name__)

FEED_ROOTS = frozenset({"rss", "rdf", "feed"})
SY = "{http://purl.org/rss/1.0/modules/syndication/}"


@dataclass(frozen=True)
class FeedHints:
    """What a feed says about how often to read it, as written (the crawl converts units)."""

    ttl: str = ""  # RSS 2.0 <ttl>, minutes
    update_period: str = ""  # sy:updatePeriod: hourly, daily, weekly, monthly, yearly
    update_frequency: str = ""  # sy:updateFrequency: times per period


@dataclass(frozen=True)
class Feed:
    entries: list[ListedEntry]
    salvage: Salvage | None  # how it was salvaged when strict parsing failed, else None
    hints: FeedHints


def parse_feed(body: bytes) -> tuple[list[ListedEntry], Salvage | None]:
    """The entries of a feed, and how it was salvaged when strict parsing failed (else None).

    Raises ListingError when nothing usable is in it (not XML, not a feed).
    """
    feed = read_feed(body)
    return feed.entries, feed.salvage


def read_feed(body: bytes) -> Feed:
    """The feed's entries, salvage and polling hints; ListingError when nothing is usable."""
    parsed = parse_xml(body)
    root = parsed.root
    kind = local_name(root) if root is not None else ""
    hints = feed_hints(root) if root is not None and kind in FEED_ROOTS else FeedHints()
    if not parsed.damaged:
        if kind not in FEED_ROOTS:
            raise ListingError(f"not a feed (root element <{kind or '?'}>)")
        return Feed(_usable(_tree_entries(root, kind)), None, hints)
    entries, salvage = _salvage(body, root, kind)
    return Feed(entries, salvage, hints)


def feed_hints(root: etree._Element) -> FeedHints:
    """<ttl> and the syndication module's period, from the channel (or the feed's top level)."""
    channel = next((el for el in root if local_name(el) == "channel"), root)
    found: dict[str, str] = {}
    for scope in (channel, root):
        for child in scope:
            if not isinstance(child.tag, str):
                continue  # comments, processing instructions
            if local_name(child) == "ttl" and not child.tag.startswith("{"):
                found.setdefault("ttl", (child.text or "").strip())
            elif child.tag == SY + "updatePeriod":
                found.setdefault("update_period", (child.text or "").strip())
            elif child.tag == SY + "updateFrequency":
                found.setdefault("update_frequency", (child.text or "").strip())
    return FeedHints(**found)


def _salvage(
    body: bytes, root: etree._Element | None, kind: str
) -> tuple[list[ListedEntry], Salvage]:
    """A broken feed: the recovering parser's entries and a link scan's, merged."""
    text_kind = root_kind(body)
    if kind not in FEED_ROOTS and text_kind not in FEED_ROOTS:
        raise ListingError("not XML" if root is None else f"not a feed (root element <{kind}>)")
    parsed = _tree_entries(root, kind) if root is not None and kind in FEED_ROOTS else []
    # The recovering parser closes whatever was open where the text broke off,
    # so its last entry may carry a cut URL: the scan confirms whole ones.
    tree = _usable(parsed[:-1])
    scanned = [entry for _, entry in scan_entries(body, ("item", "entry"))]
    entries = merge_in_order(scanned, tree, body)
    if not entries:
        raise ListingError("malformed XML, no entry could be read")
    return entries, Salvage(tree=len(tree), scan=len(scanned), kept=len(entries))


def _tree_entries(root: etree._Element, kind: str) -> list[ListedEntry | None]:
    if kind == "feed":
        return [_atom_entry(entry) for entry in _descendants(root, "entry")]
    return [_rss_item(item) for item in _descendants(root, "item")]


def _usable(entries: list[ListedEntry | None]) -> list[ListedEntry]:
    return [entry for entry in entries if entry is not None]


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
        title=clean_inline(child_text(item, "title")),
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
        title=clean_inline(child_text(entry, "title")),
    )
