"""Read sitemaps, sitemap indexes and Google News sitemaps, also when cut short or broken."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.extract.cleantext import clean_inline
from crawler.extract.dates import parse_datetime
from crawler.listings.listing import ListedEntry, ListingError, child_text, local_name, parse_xml
from crawler.listings.salvage import Salvage, merge_in_order, root_kind, scan_entries

if TYPE_CHECKING:
    from lxml import etree

SITEMAP_ROOTS = ("urlset", "sitemapindex")


@dataclass
class Sitemap:
    kind: str  # "urlset" or "sitemapindex"
    entries: list[ListedEntry] = field(default_factory=list)  # urlset: story URLs
    sitemaps: list[ListedEntry] = field(default_factory=list)  # index: child sitemaps
    # Set when strict parsing failed: how `entries` and `sitemaps` were salvaged.
    salvage: Salvage | None = None

    @property
    def damaged(self) -> bool:
        return self.salvage is not None


def parse_sitemap(body: bytes) -> Sitemap:
    """Raises ListingError when nothing usable is in it."""
    parsed = parse_xml(body)
    root = parsed.root
    kind = local_name(root) if root is not None else ""
    if parsed.damaged and kind not in SITEMAP_ROOTS:
        kind = root_kind(body)
    if kind not in SITEMAP_ROOTS:
        if root is None:
            raise ListingError("not XML")
        raise ListingError(f"not a sitemap (root element <{local_name(root) or '?'}>)")
    result = Sitemap(kind=kind)
    nodes = [] if root is None else [n for n in root if local_name(n) in ("url", "sitemap")]
    if parsed.damaged:
        # The last element is where the text broke off; its <loc> may be cut.
        nodes = nodes[:-1]
    for node in nodes:
        entry = _node_entry(node)
        if entry is not None:
            (result.sitemaps if local_name(node) == "sitemap" else result.entries).append(entry)
    if parsed.damaged:
        _salvage(body, result)
    return result


def _salvage(body: bytes, result: Sitemap) -> None:
    """Merge what a link scan reads from the broken text into what the parser kept."""
    tree = len(result.entries) + len(result.sitemaps)
    scanned = scan_entries(body, ("url", "sitemap"))
    urls = [entry for kind, entry in scanned if kind == "url"]
    children = [entry for kind, entry in scanned if kind == "sitemap"]
    result.entries = merge_in_order(urls, result.entries, body)
    result.sitemaps = merge_in_order(children, result.sitemaps, body)
    kept = len(result.entries) + len(result.sitemaps)
    if not kept:
        raise ListingError("malformed XML, no URL could be read")
    result.salvage = Salvage(tree=tree, scan=len(scanned), kept=kept)


def _node_entry(node: etree._Element) -> ListedEntry | None:
    loc = child_text(node, "loc")
    if not loc.startswith(("http://", "https://")):
        return None  # a <url> cut off before its <loc> ended
    updated = parse_datetime(child_text(node, "lastmod"))
    if local_name(node) == "sitemap":
        return ListedEntry(url=loc, updated=updated)
    news = next((c for c in node if local_name(c) == "news"), None)
    published = None
    title = ""
    if news is not None:
        published = parse_datetime(child_text(news, "publication_date"))
        title = clean_inline(child_text(news, "title"))
    return ListedEntry(url=loc, published=published, updated=updated, title=title)
