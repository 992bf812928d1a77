"""Read sitemaps, sitemap indexes and Google News sitemaps, also when cut short."""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.crawl.listing import ListedEntry, ListingError, child_text, local_name, parse_xml
from crawler.extract.dates import parse_datetime


@dataclass
class Sitemap:
    kind: str  # "urlset" or "sitemapindex"
    entries: list[ListedEntry] = field(default_factory=list)  # urlset: story URLs
    sitemaps: list[ListedEntry] = field(default_factory=list)  # index: child sitemaps
    damaged: bool = False  # truncated or malformed; `entries` holds what could be read


def parse_sitemap(body: bytes) -> Sitemap:
    """Raises ListingError when nothing usable is in it."""
    parsed = parse_xml(body)
    root = parsed.root
    if root is None:
        raise ListingError("not XML")
    kind = local_name(root)
    if kind not in ("urlset", "sitemapindex"):
        raise ListingError(f"not a sitemap (root element <{kind or '?'}>)")
    result = Sitemap(kind=kind, damaged=parsed.damaged)
    nodes = [node for node in root if local_name(node) in ("url", "sitemap")]
    if parsed.damaged:
        # The last element is where the text broke off; its <loc> may be cut.
        nodes = nodes[:-1]
    for node in nodes:
        name = local_name(node)
        loc = child_text(node, "loc")
        if not loc.startswith(("http://", "https://")):
            continue  # a <url> cut off before its <loc> ended
        if name == "sitemap":
            result.sitemaps.append(
                ListedEntry(url=loc, updated=parse_datetime(child_text(node, "lastmod")))
            )
            continue
        news = next((c for c in node if local_name(c) == "news"), None)
        published = title = None
        if news is not None:
            published = parse_datetime(child_text(news, "publication_date"))
            title = child_text(news, "title")
        result.entries.append(
            ListedEntry(
                url=loc,
                published=published,
                updated=parse_datetime(child_text(node, "lastmod")),
                title=title or "",
            )
        )
    if parsed.damaged and not (result.entries or result.sitemaps):
        raise ListingError("malformed XML, no URL could be read")
    return result
