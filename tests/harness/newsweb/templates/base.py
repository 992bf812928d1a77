"""What every outlet template receives, and the metadata snippets some of them emit."""

# HTML lines are kept whole so that the markup reads like the page it renders.
# ruff: noqa: E501

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from tests.harness.newsweb.model import Outlet


@dataclass
class Block:
    kind: str  # "p", "h2", "insert" (an "Also read" link) or "read_more"
    text: str
    href: str = ""


@dataclass
class ArticlePage:
    outlet: Outlet
    base: str  # outlet base URL, no trailing slash
    url: str  # absolute URL of this page
    title: str
    description: str
    authors: list[str]
    published: datetime
    updated: datetime | None
    blocks: list[Block]
    canonical: str | None  # absolute; None means no rel=canonical and no og:url
    section: str
    tags: list[str]
    image_credit: str
    related: list[tuple[str, str]]  # (headline, absolute URL) of other stories
    sources_line: str = ""
    kind: str = "article"  # article | video | paywall
    charset: str = "utf-8"
    meta_charset: bool = True
    lang: str | None = "en"  # <html lang> (only the "native" template writes it)

    @property
    def image_url(self) -> str:
        return f"{self.base}/img/{zlib.crc32(self.url.encode()) % 10_000}.jpg"

    @property
    def feed_url(self) -> str:
        return self.base + self.outlet.feed_path

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "p"]


@dataclass
class ListingPage:
    outlet: Outlet
    base: str
    url: str
    heading: str
    kind: str  # home | section | tag
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (title, url, summary)

    @property
    def feed_url(self) -> str:
        return self.base + self.outlet.feed_path


def e(text: str) -> str:
    return escape(text, quote=True)


def head_meta(page: ArticlePage) -> str:
    """charset, description, canonical, alternate feed, then OpenGraph/JSON-LD if the outlet has them."""
    parts = []
    if page.meta_charset:
        parts.append(f'<meta charset="{page.charset}">')
    parts.append(f'<meta name="description" content="{e(page.description)}">')
    if page.canonical:
        parts.append(f'<link rel="canonical" href="{e(page.canonical)}">')
    parts.append(feed_link(page.outlet, page.feed_url))
    if page.outlet.open_graph:
        parts.append(open_graph(page))
    if page.outlet.json_ld:
        parts.append(json_ld(page))
    return "\n".join(parts)


def feed_link(outlet: Outlet, feed_url: str) -> str:
    return f'<link rel="alternate" type="{outlet.feed_mime}" title="{e(outlet.name)}" href="{feed_url}">'


def open_graph(page: ArticlePage) -> str:
    tags = [
        ("og:type", "article"),
        ("og:site_name", page.outlet.name),
        ("og:title", page.title),
        ("og:description", page.description),
        ("og:image", page.image_url),
        ("article:published_time", page.published.isoformat()),
        ("article:section", page.section),
    ]
    if page.canonical:
        tags.insert(1, ("og:url", page.canonical))
    if page.updated:
        tags.append(("article:modified_time", page.updated.isoformat()))
    tags += [("article:tag", tag) for tag in page.tags]
    return "\n".join(f'<meta property="{k}" content="{e(v)}">' for k, v in tags)


def json_ld(page: ArticlePage) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "description": page.description,
        "datePublished": page.published.isoformat(),
        "dateModified": (page.updated or page.published).isoformat(),
        "author": [{"@type": "Person", "name": name} for name in page.authors],
        "publisher": {"@type": "Organization", "name": page.outlet.name},
        "image": [page.image_url],
        "articleSection": page.section,
        "keywords": page.tags,
        "mainEntityOfPage": page.canonical or page.url,
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def human_date(moment: datetime) -> str:
    return moment.strftime("%B %-d, %Y %H:%M UTC")


def byline(authors: list[str]) -> str:
    if not authors:
        return ""
    if len(authors) == 1:
        return authors[0]
    return ", ".join(authors[:-1]) + " and " + authors[-1]


def body(page: ArticlePage, insert: str, read_more: str, paragraph: str = "<p>{}</p>") -> str:
    """Render blocks; `insert`/`read_more` are format strings taking (href, text)."""
    out = []
    for block in page.blocks:
        if block.kind == "p":
            out.append(paragraph.format(e(block.text)))
        elif block.kind == "h2":
            out.append(f"<h2>{e(block.text)}</h2>")
        elif block.kind == "insert":
            out.append(insert.format(e(block.href), e(block.text)))
        elif block.kind == "read_more":
            out.append(read_more.format(e(block.href), e(block.text)))
    return "\n".join(out)


def special_body(page: ArticlePage) -> str:
    """The body of the non-article kinds: a video player, or a paywall stub."""
    if page.kind == "video":
        return (
            f'<div class="video-player"><video controls src="{page.base}/media/clip.mp4" '
            f'poster="{page.image_url}"></video></div>\n<p class="caption">{e(page.paragraphs[0])}</p>'
        )
    return (
        f'<p>{e(page.paragraphs[0])}</p>\n<div class="paywall"><h3>Subscribe to continue '
        "reading</h3><p>Subscribers get unlimited access. Already a subscriber? "
        f'<a href="{page.base}/login">Log in</a></p></div>'
    )


def link_list(links: list[tuple[str, str]], item: str = '<li><a href="{}">{}</a></li>') -> str:
    return "\n".join(item.format(e(url), e(title)) for title, url in links)
