"""Turn one fetched HTML page into story text and metadata, or say why it is no story."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import lxml.html
import trafilatura
from lxml.etree import ParserError
from trafilatura.settings import Document, set_date_params

from crawler.base import storytext
from crawler.base.page import PageFields, page_fields
from crawler.base.scripts import text_length
from crawler.extract.cleantext import EncodingDamage, clean_page
from crawler.extract.dates import parse_datetime
from crawler.extract.lines import (
    anchor_texts,
    drop_author_box,
    drop_header,
    drop_teasers,
    keep_body_lines,
)
from crawler.extract.metadata import PageMetadata, read_metadata
from crawler.furniture.prior import strip_furniture

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# An index or tag page: many headline links, and the "text" trafilatura finds
# there is mostly those headlines again, or the list of teasers under them
# (trafilatura writes list items as "- " lines).
MIN_INDEX_LINKS = 8
MAX_LINKED_TEXT_SHARE = 0.5


def trafilatura_options() -> dict[str, Any]:
    """How the crawler calls trafilatura (bench/crawl_throughput.py measures the same)."""
    return {
        "include_comments": False,
        "include_tables": False,
        "include_images": False,
        "include_links": False,
        "with_metadata": True,
        # htmldate's extensive search ends in dateparser trying every locale on
        # any date-like text, ~0.3 s a page; read_metadata already found the
        # page's date in nearly every case, so the quick search is enough.
        "date_extraction_params": set_date_params(extensive=False),
    }


class NotAnArticle(Exception):
    """The page is no story; `reason` is the stats key suffix (crawl/dropped/<reason>)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[NotAnArticle], tuple[str, str]]:
        # Raised in extraction worker processes: rebuilt from both fields, not from args.
        return (NotAnArticle, (self.reason, self.detail))


@dataclass(kw_only=True)
class ExtractedPage(PageFields):
    """The page's fields (crawler/base/page.py) as extraction found them, and what
    only extraction knows."""

    # trafilatura's date (htmldate) is a day without a time of day: a feed's
    # or sitemap's date is better, so it is kept apart as the last resort.
    published_day: datetime | None = None
    site_name: str = ""
    canonical_url: str = ""  # as declared (rel=canonical, else og:url), not normalised


def extract_article(html: str, url: str, *, min_text_chars: int = 400) -> ExtractedPage:
    """Extract the story on `html` (fetched from `url`).

    Raises NotAnArticle("not_article") for index/tag pages and pages declared
    as something else (a video), NotAnArticle("too_short") when the text left
    is shorter than `min_text_chars` (`crawler.base.scripts.text_length`: Latin-script
    characters, a Han character 3, kana and Hangul 2; paywall stubs, video pages, empty shells),
    NotAnArticle("bad_encoding") when its text cannot be repaired to clean Unicode.
    """
    tree = _parse(html)
    meta = read_metadata(tree)
    anchors = anchor_texts(tree, url)
    linked = {text for text in anchors if len(text) >= 25}
    page_text = _visible_text(tree) if meta.text else ""
    # trafilatura prunes the tree it is given: everything read from the page comes first.
    document = trafilatura.bare_extraction(tree, url=url, **trafilatura_options())
    if not isinstance(document, Document) or not document.text:
        raise NotAnArticle("too_short", "no main text found")
    title = meta.title or (document.title or "")
    text = _clean(structured_lines(document), title, meta, anchors, page_text)
    if meta.declared_type != "article" and _looks_like_index(text, linked):
        raise NotAnArticle("not_article", f"index page ({len(linked)} headline links)")
    if text_length(text) < min_text_chars:  # Han counts 3, kana and Hangul 2 (base/scripts)
        if meta.declared_type == "video":
            raise NotAnArticle("not_article", "video page")
        raise NotAnArticle("too_short", f"{text_length(text)} characters of text, by script")
    try:
        return clean_page(_combine(meta, document, title, text))
    except EncodingDamage as exc:
        raise NotAnArticle("bad_encoding", str(exc)) from None


def _parse(html: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that still carries an XML encoding declaration.
    html = _XML_DECLARATION.sub("", html, count=1)
    # trafilatura's own parser: a tree from lxml.html directly loses paragraphs
    # on some pages (nested markup it repairs differently).
    try:
        tree = trafilatura.load_html(html)
    except (ParserError, ValueError) as exc:
        raise NotAnArticle("not_article", f"unparsable HTML: {exc}") from None
    if tree is None:
        raise NotAnArticle("not_article", "unparsable HTML")
    return tree


def _visible_text(tree: lxml.html.HtmlElement) -> str:
    return " ".join(tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]"))


def structured_lines(document: Document) -> list[str]:
    """trafilatura's text lines with the body's subheadings and block quotes marked
    (crawler/base/storytext.py); its list items already carry their "- " mark."""
    kinds: dict[str, storytext.TextBlock] = {}
    body = document.body
    for element in body.iter("head", "quote") if body is not None else ():
        text = " ".join(" ".join(element.itertext()).split())
        if not text:
            continue
        if element.tag == "head":
            rend = element.get("rend") or ""
            level = int(rend[1]) if rend[1:2].isdigit() else 2
            kinds.setdefault(text, storytext.TextBlock("heading", text, level))
        else:
            kinds.setdefault(text, storytext.TextBlock("quote", text))
    lines = []
    for raw in (document.text or "").splitlines():
        line = " ".join(raw.split())
        if line:
            known = kinds.get(line)
            lines.append(known.line() if known else line)
    return lines


def _clean(
    marked: list[str],
    title: str,
    meta: PageMetadata,
    anchors: set[str],
    page_text: str,
) -> str:
    """Story lines only: no JSON-LD-refuted lines, prior furniture, teasers, header
    or closing author box; no page headline (h1) on top.

    Each judge reads a line's words (`storytext.plain`), never its mark; a marked
    subheading is no line the JSON-LD body can refute (bodies leave them out).
    """
    blocks = [storytext.block(line) for line in marked]
    if blocks and blocks[0].kind == "heading" and blocks[0].level == 1:
        blocks = blocks[1:]  # the page's headline, whatever its wording
    if meta.text:
        kept = keep_body_lines([b.text for b in blocks], meta.text, page_text)
        blocks = _subsequence(blocks, kept, keep=lambda b: b.kind == "heading")
    blocks = _subsequence(
        blocks, strip_furniture("\n".join(b.text for b in blocks), title).splitlines()
    )
    blocks = _subsequence(blocks, drop_teasers([b.text for b in blocks], anchors))
    blocks = _subsequence(blocks, drop_header([b.text for b in blocks], meta.authors, [title]))
    blocks = _subsequence(blocks, drop_author_box([b.text for b in blocks], meta.authors))
    return storytext.join(blocks)


def _subsequence(
    blocks: list[storytext.TextBlock],
    kept: list[str],
    keep: Callable[[storytext.TextBlock], bool] = lambda _: False,
) -> list[storytext.TextBlock]:
    """The blocks whose text a line filter kept (it keeps lines in order), and those
    `keep` protects from it."""
    out, at = [], 0
    for block in blocks:
        if at < len(kept) and block.text.strip() == kept[at].strip():
            out.append(block)
            at += 1
        elif keep(block):
            out.append(block)
    return out


def _looks_like_index(text: str, linked: set[str]) -> bool:
    if len(linked) < MIN_INDEX_LINKS or not text:
        return False
    blocks = storytext.blocks(text)
    listed = sum(
        len(b.text)
        for b in blocks
        if b.kind == "item" or any(b.text.casefold() in link for link in linked)
    )
    return listed / max(1, sum(len(b.text) for b in blocks)) > MAX_LINKED_TEXT_SHARE


def _combine(meta: PageMetadata, document: Document, title: str, text: str) -> ExtractedPage:
    authors = meta.authors or [a.strip() for a in (document.author or "").split(";") if a.strip()]
    tags = list(meta.tags)
    for extra in [meta.section, *(document.categories or [])]:
        if extra and extra.casefold() not in {t.casefold() for t in tags}:
            tags.append(extra)
    fields = page_fields(meta) | {
        "title": title,
        "text": text,
        "description": meta.description or (document.description or ""),
        "authors": authors,
        "top_image": meta.top_image or document.image or None,
        "tags": tags,
    }
    return ExtractedPage(
        **fields,
        published_day=parse_datetime(document.date),
        site_name=meta.site_name,
        canonical_url=meta.canonical_url or meta.og_url,
    )
