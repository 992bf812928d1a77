"""Article metadata from JSON-LD, OpenGraph and plain meta tags, in that order of trust."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crawler.base.page import PageFields
from crawler.extract.dates import parse_datetime

if TYPE_CHECKING:
    from datetime import datetime

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "backgroundnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "blogposting",
        "liveblogposting",
        "report",
    }
)


@dataclass(kw_only=True)
class PageMetadata(PageFields):
    """What the page says about itself (crawler/base/page.py's fields, `text` being
    the JSON-LD articleBody with its line breaks); empty fields were not declared."""

    site_name: str = ""
    canonical_url: str = ""
    og_url: str = ""
    section: str = ""
    declared_type: str = ""  # "article", "website", "video"... from JSON-LD @type or og:type


def read_metadata(tree: HtmlElement) -> PageMetadata:
    """Read JSON-LD first (most specific), then fill the gaps from meta tags."""
    meta = PageMetadata()
    for node in _jsonld_nodes(tree):
        _apply_jsonld(meta, node)
    _apply_meta_tags(meta, tree)
    if not meta.language:
        meta.language = _clean_language(tree.get("lang"))
    return meta


def _jsonld_nodes(tree: HtmlElement) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            # Broken JSON-LD is common (trailing commas, raw newlines); the
            # meta tags still give most fields, so it is not worth failing for.
            logger.debug("unreadable JSON-LD block skipped")
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            node = stack.pop(0)
            if not isinstance(node, dict):
                continue
            graph = node.get("@graph")
            if isinstance(graph, list):
                stack.extend(graph)
            nodes.append(node)
    return nodes


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _apply_jsonld(meta: PageMetadata, node: dict[str, Any]) -> None:
    types = _types(node)
    if "videoobject" in types and not meta.declared_type:
        meta.declared_type = "video"
    if not types & ARTICLE_TYPES:
        if "website" in types and not meta.site_name:
            meta.site_name = _text(node.get("name"))
        return
    meta.declared_type = "article"
    meta.title = meta.title or _text(node.get("headline") or node.get("name"))
    meta.description = meta.description or _text(node.get("description"))
    body = node.get("articleBody")
    if not meta.text and isinstance(body, str):
        meta.text = body.strip()
    meta.published = meta.published or parse_datetime(node.get("datePublished"))
    meta.updated = meta.updated or parse_datetime(node.get("dateModified"))
    meta.language = meta.language or _clean_language(_text(node.get("inLanguage")))
    meta.section = meta.section or _text(_first(node.get("articleSection")))
    if not meta.authors:
        meta.authors = _names(node.get("author"))
    if not meta.site_name:
        meta.site_name = _text(_get(node.get("publisher"), "name"))
    if not meta.top_image:
        meta.top_image = _image_url(node.get("image"))
    if not meta.tags:
        meta.tags = _keywords(node.get("keywords"))
    if not meta.og_url:
        meta.og_url = _text(node.get("url") or _get(node.get("mainEntityOfPage"), "@id"))


def _apply_meta_tags(meta: PageMetadata, tree: HtmlElement) -> None:
    tags: dict[str, list[str]] = {}
    for element in tree.xpath("//meta[@content]"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        if key:
            tags.setdefault(key, []).append(element.get("content").strip())

    def first(*keys: str) -> str:
        for key in keys:
            for value in tags.get(key, []):
                if value:
                    return value
        return ""

    og_type = first("og:type").lower()
    if og_type and not meta.declared_type:
        meta.declared_type = "video" if og_type.startswith("video") else og_type
    meta.title = meta.title or first("og:title", "twitter:title")
    meta.description = meta.description or first("description", "og:description")
    meta.site_name = meta.site_name or first("og:site_name", "application-name")
    meta.og_url = meta.og_url or first("og:url")
    meta.top_image = meta.top_image or first("og:image", "og:image:url", "twitter:image")
    meta.published = (
        meta.published
        or parse_datetime(
            first("article:published_time", "datepublished", "pubdate", "date", "dc.date")
        )
        or _page_time(tree)
    )
    meta.updated = meta.updated or parse_datetime(
        first("article:modified_time", "og:updated_time", "datemodified")
    )
    meta.section = meta.section or first("article:section")
    if not meta.tags:
        meta.tags = tags.get("article:tag", []) or _keywords(first("news_keywords", "keywords"))
    if not meta.authors:
        # article:author is often a profile URL, which names nobody.
        names = [a for a in tags.get("author", []) + tags.get("article:author", []) if a]
        meta.authors = _dedupe([a for a in names if not a.startswith("http")])
    if not meta.authors:
        meta.authors = _page_authors(tree)
    meta.language = meta.language or _clean_language(first("og:locale", "language"))
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    meta.canonical_url = meta.canonical_url or (canonical[0].strip() if canonical else "")


def _page_time(tree: HtmlElement) -> datetime | None:
    """The first machine-readable time in the page body (a byline's <time>), else a
    visible timestamp with a time of day ("November 25, 2026 04:38 UTC")."""
    for value in tree.xpath(
        '//*[@itemprop="datePublished"]/@content | //*[@itemprop="datePublished"]/@datetime'
        " | //body//time/@datetime"
    ):
        parsed = parse_datetime(value)
        if parsed is not None:
            return parsed
    for element in tree.xpath(_CLASS_XPATH.format(words=_DATE_CLASSES)):
        text = " ".join(element.text_content().split())
        if len(text) <= MAX_DATELINE_CHARS and _TIMESTAMP.search(text):
            parsed = parse_datetime(_DATELINE_LEAD.sub("", text))
            if parsed is not None:
                return parsed
    return None


def _page_authors(tree: HtmlElement) -> list[str]:
    """Names from a visible byline ("By A, B and C") when nothing declares them."""
    for element in tree.xpath(
        '//*[@rel="author"] | //*[@itemprop="author"] | '
        + _CLASS_XPATH.format(words=_AUTHOR_CLASSES)
    ):
        text = " ".join(element.text_content().split())
        if not text or len(text) > MAX_BYLINE_CHARS:
            continue
        text = _BY.sub("", text)
        names = [n.strip(" ,.") for n in _NAME_SEPARATORS.split(text)]
        names = [n for n in names if n and not any(ch.isdigit() for ch in n)]
        if names:
            return _dedupe(names)
    return []


# Elements whose class names say what they hold; matched on whole class words.
_CLASS_XPATH = "//body//*[{words}][not(ancestor::nav)][not(ancestor::footer)]"
_DATE_CLASSES = " or ".join(
    f'contains(concat(" ", normalize-space(@class), " "), " {word} ")'
    for word in (
        "date",
        "dateline",
        "timestamp",
        "published",
        "pubdate",
        "time",
        "story-date",
        "posted",
    )
)
_AUTHOR_CLASSES = " or ".join(
    f'contains(concat(" ", normalize-space(@class), " "), " {word} ")'
    for word in ("byline", "author", "author-name", "byline-name", "story-byline")
)
MAX_DATELINE_CHARS = 100
# "Published:", "Posted by Dana Reyes on", "Updated at": words before the timestamp.
_DATELINE_LEAD = re.compile(
    r"^(?:posted|published|updated)(?:\s+by\s+.+?\s+(?:on|at)\b|\s+(?:on|at)\b|\s*:)?\s*",
    re.IGNORECASE,
)
MAX_BYLINE_CHARS = 120
_TIMESTAMP = re.compile(r"\b(?:19|20)\d\d\b.*\b\d{1,2}:\d\d\b|\b\d{1,2}:\d\d\b.*\b(?:19|20)\d\d\b")
_BY = re.compile(r"^(?:by|von|par|por|door|di)\s+", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r",\s*|\s+(?:and|&|und|et|y|i)\s+")


def _text(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list) and value and isinstance(value[0], str):
        return " ".join(value[0].split())
    return ""


def _first(value: object) -> object:
    return value[0] if isinstance(value, list) and value else value


def _get(value: object, key: str) -> object:
    value = _first(value)
    return value.get(key) if isinstance(value, dict) else None


def _names(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names = []
    for item in values:
        name = _text(item.get("name")) if isinstance(item, dict) else _text(item)
        if name and not name.startswith("http"):
            names.append(name)
    return _dedupe(names)


def _image_url(value: object) -> str:
    value = _first(value)
    if isinstance(value, dict):
        return _text(value.get("url") or value.get("contentUrl"))
    return _text(value)


def _keywords(value: object) -> list[str]:
    if isinstance(value, list):
        words = [_text(v) for v in value]
    elif isinstance(value, str):
        words = [w.strip() for w in value.split(",")]
    else:
        words = []
    return _dedupe([w for w in words if w])


def _dedupe(values: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


def _clean_language(value: str | None) -> str | None:
    """`en-GB`, `en_GB` -> `en`."""
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 else None
