"""The lenient last pass over a broken feed or sitemap: every whole link it lists, by pattern.

A recovering XML parser gives up where the damage is worst (an unescaped `&`
or `<`, an unclosed tag, a document cut short) and, depending on where that
is, loses the first or the last entries. This scan does not build a tree: it
cuts the text at every `<item>`, `<entry>`, `<url>` or `<sitemap>` opening and
reads the link of each piece, so one entry's damage never costs another.
Only links whose element is closed count: a cut URL is never followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from crawler.extract.cleantext import clean_inline, unescape_entities
from crawler.extract.dates import parse_datetime
from crawler.listings.listing import ListedEntry

if TYPE_CHECKING:
    from collections.abc import Iterable

# Where an entry starts; `\b` keeps <items>, <urlset> and <sitemapindex> out.
_OPENING = re.compile(r"<(?:[\w.-]+:)?(item|entry|url|sitemap)\b[^>]*>", re.IGNORECASE)
_ROOT = re.compile(r"<(?:[\w.-]+:)?(rss|rdf|feed|urlset|sitemapindex)\b", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_ATTRIBUTE = r"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)')"""
_PERMALINK_FALSE = re.compile(_ATTRIBUTE.format(name="isPermaLink"), re.IGNORECASE)
_ABOUT = re.compile(_ATTRIBUTE.format(name=r"(?:rdf:)?about"), re.IGNORECASE)
_HREF = re.compile(_ATTRIBUTE.format(name="href"), re.IGNORECASE)
_REL = re.compile(_ATTRIBUTE.format(name="rel"), re.IGNORECASE)
_LINK_TAG = re.compile(r"<(?:[\w.-]+:)?link\b([^>]*)>", re.IGNORECASE)
_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Salvage:
    """How a listing that failed strict parsing was read: entries found by each pass."""

    tree: int  # entries the recovering XML parser gave
    scan: int  # entries the pattern scan found
    kept: int  # the union of both, in document order

    @property
    def beyond_tree(self) -> int:
        """Entries the recovering parser alone would have lost."""
        return max(0, self.kept - self.tree)

    def describe(self) -> str:
        return (
            f"{self.kept} salvaged: recovering parser {self.tree}, link scan {self.scan}, "
            f"{self.beyond_tree} beyond the parser"
        )


def root_kind(body: bytes) -> str:
    """The listing's kind from its first root-like tag ("rss", "feed", "urlset"...), or ""."""
    match = _ROOT.search(decode(body))
    return match.group(1).lower() if match else ""


def scan_entries(body: bytes, kinds: Iterable[str]) -> list[tuple[str, ListedEntry]]:
    """(kind, entry) for every entry of `kinds` whose link element is whole, in document order."""
    text = decode(body)
    wanted = {kind.lower() for kind in kinds}
    openings = list(_OPENING.finditer(text))
    found: list[tuple[str, ListedEntry]] = []
    for number, opening in enumerate(openings):
        kind = opening.group(1).lower()
        if kind not in wanted:
            continue
        end = openings[number + 1].start() if number + 1 < len(openings) else len(text)
        piece = text[opening.start() : end]
        url = _entry_url(kind, opening.group(0), piece)
        if url:
            found.append((kind, _entry(url, piece)))
    return found


def decode(body: bytes) -> str:
    """The document as text, in the encoding its XML declaration names (else UTF-8)."""
    declared = _DECLARED_ENCODING.search(body[:256])
    if declared:
        try:
            return body.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass  # an encoding Python does not know: UTF-8 is the XML default
    return body.decode("utf-8", errors="replace")


def merge_in_order(
    scanned: list[ListedEntry], parsed: list[ListedEntry], body: bytes
) -> list[ListedEntry]:
    """The union of two passes over one document `body`, each in document order.

    The scan is the backbone (it sees the whole text); an entry only the parser
    found is placed after the last entry both passes share before it. Where
    both found an entry, the scan's fields (read from closed elements only)
    win and the parser's fill the gaps. libxml2's recovery can drop entity
    references after an error (`?a=1&amp;b=2` read as `?a=1b=2`), so a URL
    only the parser found counts only if the document holds it verbatim.
    """
    text = decode(body)
    parsed = [entry for entry in parsed if _verbatim(entry.url, text)]
    by_url = {entry.url: entry for entry in parsed}
    merged = [_fill(entry, by_url.get(entry.url)) for entry in scanned]
    position = {entry.url: index for index, entry in enumerate(merged)}
    cursor = 0
    for entry in parsed:
        if entry.url in position:
            cursor = position[entry.url] + 1
            continue
        merged.insert(cursor, entry)
        position = {e.url: index for index, e in enumerate(merged)}
        cursor += 1
    return merged


def _verbatim(url: str, text: str) -> bool:
    return url in text or xml_escape(url) in text


def _fill(entry: ListedEntry, other: ListedEntry | None) -> ListedEntry:
    if other is None:
        return entry
    return replace(
        entry,
        published=entry.published or other.published,
        updated=entry.updated or other.updated,
        title=entry.title or other.title,
    )


def _entry_url(kind: str, opening: str, piece: str) -> str:
    if kind in ("url", "sitemap"):
        return _checked(_element_text(piece, "loc"))
    if kind == "entry":
        return _checked(_atom_link(piece))
    url = _checked(_element_text(piece, "link"))
    if not url:
        for guid in re.finditer(r"<guid\b([^>]*)>(.*?)</guid>", piece, re.DOTALL | re.I):
            permalink = _PERMALINK_FALSE.search(guid.group(1))
            if not permalink or (permalink.group(1) or permalink.group(2)) != "false":
                url = _checked(_value(guid.group(2)))
    if not url:
        url = _checked(_attribute(_ABOUT, opening))  # RDF: <item rdf:about="...">
    return url or _checked(_atom_link(piece))


def _atom_link(piece: str) -> str:
    for tag in _LINK_TAG.finditer(piece):
        attributes = tag.group(1)
        if _attribute(_REL, attributes) in ("", "alternate"):
            href = _attribute(_HREF, attributes)
            if href:
                return href
    return ""


def _entry(url: str, piece: str) -> ListedEntry:
    def first(*names: str) -> str:
        for name in names:
            value = _element_text(piece, name)
            if value:
                return value
        return ""

    return ListedEntry(
        url=url,
        published=parse_datetime(
            first("pubDate", "dc:date", "published", "issued", "news:publication_date")
        ),
        updated=parse_datetime(first("updated", "modified", "lastmod")),
        title=clean_inline(first("title", "news:title")),
    )


def _element_text(piece: str, name: str) -> str:
    """Text of the first closed <name> element of `piece` (any prefix when `name` has none)."""
    prefix = "" if ":" in name else r"(?:[\w.-]+:)?"
    # (?<!/)> : a self-closing <atom:link href=.../> has no text to read
    tag = prefix + re.escape(name)
    pattern = rf"<{tag}(?:\s[^>]*)?(?<!/)>(.*?)</{tag}\s*>"
    match = re.search(pattern, piece, re.DOTALL | re.IGNORECASE)
    return _value(match.group(1)) if match else ""


def _value(raw: str) -> str:
    raw = _CDATA.sub(lambda m: m.group(1), raw)
    return unescape_entities(raw, rounds=1).strip()


def _attribute(pattern: re.Pattern[str], attributes: str) -> str:
    match = pattern.search(attributes)
    if not match:
        return ""
    return _value(match.group(1) if match.group(1) is not None else match.group(2))


def _checked(url: str) -> str:
    """`url` if it is one whole absolute URL, else ""."""
    if not url.startswith(_SCHEMES) or any(ch.isspace() or ch in "<>\"'" for ch in url):
        return ""
    return url


__all__ = ["Salvage", "merge_in_order", "root_kind", "scan_entries"]
