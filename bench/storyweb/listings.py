"""Feeds, sitemaps, homepages and robots.txt of the story web's outlets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape


@dataclass(frozen=True)
class Entry:
    url: str  # as listed (tracking parameters included)
    title: str
    published: datetime
    summary: str = ""


def rss(title: str, home: str, entries: list[Entry], language: str = "en") -> str:
    items = "\n".join(
        f"""<item><title>{escape(e.title)}</title><link>{escape(e.url)}</link>
<guid isPermaLink="true">{escape(e.url)}</guid><pubDate>{format_datetime(e.published)}</pubDate>
<description>{escape(e.summary)}</description></item>"""
        for e in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{escape(home)}</link>
<description>Latest stories</description><language>{language}</language>
{items}
</channel></rss>
"""


def atom(title: str, home: str, feed_url: str, entries: list[Entry]) -> str:
    """Atom whose entries carry only a summary: the copies behind them are truncated too."""
    updated = max((e.published for e in entries), default=datetime(2024, 3, 1))
    items = "\n".join(
        f"""<entry><title>{escape(e.title)}</title><link rel="alternate" href="{escape(e.url)}"/>
<id>{escape(e.url)}</id><published>{e.published.isoformat()}</published>
<updated>{e.published.isoformat()}</updated><summary>{escape(e.summary)}</summary></entry>"""
        for e in entries
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{escape(title)}</title>
<link rel="self" href="{escape(feed_url)}"/><link rel="alternate" href="{escape(home)}"/>
<id>{escape(feed_url)}</id><updated>{updated.isoformat()}</updated>
{items}
</feed>
"""


def news_sitemap(name: str, language: str, entries: list[Entry]) -> str:
    urls = "\n".join(
        f"""<url><loc>{escape(e.url)}</loc><news:news><news:publication>
<news:name>{escape(name)}</news:name><news:language>{language}</news:language></news:publication>
<news:publication_date>{e.published.isoformat()}</news:publication_date>
<news:title>{escape(e.title)}</news:title></news:news></url>"""
        for e in entries
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
"""


def homepage(name: str, language: str, feed_url: str, entries: list[Entry]) -> str:
    """A front page that advertises its feed (feed discovery) and links its stories."""
    links = "\n".join(
        f'<li class="portada__item"><a href="{escape(e.url)}">{escape(e.title)}</a></li>'
        for e in entries
    )
    return f"""<!DOCTYPE html>
<html lang="{language}"><head><meta charset="utf-8"><title>{escape(name)}</title>
<link rel="alternate" type="application/rss+xml" title="{escape(name)}" href="{escape(feed_url)}">
</head><body><h1>{escape(name)}</h1><ul class="portada">
{links}
</ul></body></html>
"""


def robots(sitemap: str | None = None) -> str:
    return "User-agent: *\nDisallow: /admin/\n" + (f"Sitemap: {sitemap}\n" if sitemap else "")
