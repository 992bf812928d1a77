"""Feed documents: RSS 2.0, Atom 1.0 and RSS 1.0 (RDF), plus one deliberately malformed feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from tests.harness.newsweb.model import Outlet


@dataclass
class Entry:
    """One listed page, as feeds and sitemaps describe it."""

    url: str
    title: str
    summary: str
    published: datetime
    updated: datetime | None = None
    authors: list[str] = field(default_factory=list)

    @property
    def modified(self) -> datetime:
        return self.updated or self.published


def render(outlet: Outlet, base: str, entries: list[Entry]) -> str:
    return {"rss": rss, "atom": atom, "rdf": rdf}[outlet.feed_format](outlet, base, entries)


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def rss(outlet: Outlet, base: str, entries: list[Entry]) -> str:
    items = []
    for entry in entries:
        creators = "".join(f"<dc:creator>{_x(a)}</dc:creator>" for a in entry.authors)
        items.append(
            f"<item><title>{_x(entry.title)}</title><link>{_x(entry.url)}</link>"
            f'<guid isPermaLink="true">{_x(entry.url)}</guid>'
            f"<description>{_x(entry.summary)}</description>{creators}"
            f"<pubDate>{format_datetime(entry.published)}</pubDate></item>"
        )
    built = max((e.modified for e in entries), default=None)
    last_build = f"<lastBuildDate>{format_datetime(built)}</lastBuildDate>" if built else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{_x(outlet.name)}</title><link>{base}/</link>"
        f"<description>Latest stories from {_x(outlet.name)}</description>"
        f'<atom:link href="{base}{outlet.feed_path}" rel="self" type="application/rss+xml"/>'
        f"<language>en</language>{last_build}\n" + "\n".join(items) + "\n</channel></rss>\n"
    )


def atom(outlet: Outlet, base: str, entries: list[Entry]) -> str:
    items = []
    for entry in entries:
        authors = "".join(f"<author><name>{_x(a)}</name></author>" for a in entry.authors)
        items.append(
            f"<entry><title>{_x(entry.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{_x(entry.url)}"/>'
            f"<id>{_x(entry.url)}</id><published>{entry.published.isoformat()}</published>"
            f"<updated>{entry.modified.isoformat()}</updated>{authors}"
            f"<summary>{_x(entry.summary)}</summary></entry>"
        )
    updated = max((e.modified for e in entries), default=None)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{_x(outlet.name)}</title><id>{base}/</id>"
        f'<link rel="self" href="{base}{outlet.feed_path}"/><link href="{base}/"/>'
        f"<updated>{updated.isoformat() if updated else ''}</updated>\n"
        + "\n".join(items)
        + "\n</feed>\n"
    )


def rdf(outlet: Outlet, base: str, entries: list[Entry]) -> str:
    seq = "".join(f'<rdf:li rdf:resource="{_x(e.url)}"/>' for e in entries)
    items = []
    for entry in entries:
        creators = "".join(f"<dc:creator>{_x(a)}</dc:creator>" for a in entry.authors)
        items.append(
            f'<item rdf:about="{_x(entry.url)}"><title>{_x(entry.title)}</title>'
            f"<link>{_x(entry.url)}</link><description>{_x(entry.summary)}</description>"
            f"<dc:date>{entry.published.isoformat()}</dc:date>{creators}</item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<channel rdf:about="{base}{outlet.feed_path}"><title>{_x(outlet.name)}</title>'
        f"<link>{base}/</link><description>{_x(outlet.name)} news</description>"
        f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>\n" + "\n".join(items) + "\n</rdf:RDF>\n"
    )


def malformed(outlet: Outlet, base: str, entries: list[Entry]) -> str:
    """An RSS feed cut off mid-item, with an undefined entity: no XML parser accepts it."""
    text = rss(outlet, base, entries[:3])
    cut = text.index("</item>") + len("</item>")
    return text[:cut] + "\n<item><title>Culture &nbsp; notes</title><link>" + base + "/stories/cul"
