"""robots.txt, the sitemap index, article sitemaps, the Google News sitemap, a truncated one."""

from __future__ import annotations

from datetime import datetime, timedelta
from xml.sax.saxutils import escape

from tests.harness.newsweb.feeds import Entry
from tests.harness.newsweb.model import Outlet

SITEMAP_INDEX = "/sitemap_index.xml"
NEWS_SITEMAP = "/sitemaps/news.xml"
ARTICLES_SITEMAP = "/sitemaps/articles-{}.xml"
TRUNCATED_SITEMAP = "/sitemaps/archive.xml"
CHUNK = 200  # URLs per article sitemap: big worlds need several, as on real sites
NEWS_WINDOW = timedelta(days=2)  # Google News sitemaps list the last two days only


def robots(outlet: Outlet, base: str) -> str:
    disallow = "\n".join(f"Disallow: {path}" for path in outlet.disallow)
    return (
        f"# robots.txt for {outlet.name}\nUser-agent: *\n{disallow}\n\n"
        "User-agent: BadBot\nDisallow: /\n\n"
        f"Sitemap: {base}{SITEMAP_INDEX}\n"
    )


def chunk_count(entries: list[Entry]) -> int:
    return max(1, -(-len(entries) // CHUNK))


def index(base: str, entries: list[Entry], truncated: bool) -> str:
    modified = max((e.modified for e in entries), default=None)
    lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
    paths = [NEWS_SITEMAP] + [
        ARTICLES_SITEMAP.format(n) for n in range(1, chunk_count(entries) + 1)
    ]
    if truncated:
        paths.append(TRUNCATED_SITEMAP)
    items = "\n".join(f"<sitemap><loc>{base}{p}</loc>{lastmod}</sitemap>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{items}\n</sitemapindex>\n"
    )


def urlset(entries: list[Entry]) -> str:
    items = "\n".join(
        f"<url><loc>{escape(e.url)}</loc><lastmod>{e.modified.isoformat()}</lastmod></url>"
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{items}\n</urlset>\n"
    )


def articles(entries: list[Entry], number: int) -> str | None:
    """Article sitemap `number` (1-based), or None past the last one."""
    if not 1 <= number <= chunk_count(entries):
        return None
    return urlset(entries[(number - 1) * CHUNK : number * CHUNK])


def news(outlet: Outlet, entries: list[Entry], now: datetime) -> str:
    items = []
    for e in entries:
        if now - e.published > NEWS_WINDOW:
            continue
        items.append(
            f"<url><loc>{escape(e.url)}</loc><lastmod>{e.modified.isoformat()}</lastmod>"
            "<news:news><news:publication>"
            f"<news:name>{escape(outlet.name)}</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>{e.published.isoformat()}"
            f"</news:publication_date><news:title>{escape(e.title)}</news:title>"
            "</news:news></url>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        + "\n".join(items)
        + "\n</urlset>\n"
    )


def truncated(entries: list[Entry]) -> str:
    """A urlset cut off in the middle of a <url>: the download was interrupted upstream."""
    text = urlset(entries[:5])
    return text[: text.index("</url>", text.index("</url>") + 1) + 30]
