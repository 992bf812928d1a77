"""Damaged listings and badly encoded pages: what outlets nobody tuned for really serve.

Self-contained: the pages here are special pages reached only through the damaged
feed (`/feeds/damaged.xml` on Newsmix), never through an outlet's own feeds,
sitemaps or homepage, so the core world's ground truth is unchanged. A crawl that
lists the damaged feed must fetch every item in it, first and last included, and
store each page's title and text as a reader sees them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from tests.harness.newsweb.feeds import Entry, rss
from tests.harness.newsweb.model import Outlet, SpecialPage

OUTLET = "newsmix"
FEED_PATH = "/feeds/damaged.xml"
WHERE = ("start", "middle", "end")


@dataclass(frozen=True)
class DamagedPage:
    """An on-topic article whose bytes, label or metadata need repair before storing."""

    kind: str
    path: str
    raw_title: str  # as the page's metadata declares it (escaped, marked up, mojibake)
    title: str  # what a reader sees, and what must be stored
    paragraphs: tuple[str, ...]
    content_type: str = "text/html; charset=utf-8"
    expect: str = ""


# Four paragraphs of distinct reporting each, so no two pages are copies of one story.
PAGES: tuple[DamagedPage, ...] = (
    DamagedPage(
        "entity_title",
        "/damaged/pyongyang-doesnt-deny-shell-deliveries",
        "Pyongyang doesn&amp;#8217;t deny shell deliveries to Russia",
        "Pyongyang doesn\u2019t deny shell deliveries to Russia",
        (
            "North Korea\u2019s foreign ministry declined on Tuesday to deny reports that "
            "freight trains loaded with artillery shells crossed into Russia last month.",
            "A spokesman in Pyongyang called the reports \u201chostile fabrications\u201d but "
            "did not dispute the rail manifests that Ukrainian intelligence released.",
            "Analysts in Seoul said the shipments would let Russian gunners keep up their "
            "rate of fire along the front in eastern Ukraine through the winter.",
            "The manifests list more than two hundred wagons and a loading yard near the "
            "Tumen river bridge that links the two countries.",
        ),
        expect="og:title escaped twice: stored as doesn\u2019t, not doesn&#8217;t",
    ),
    DamagedPage(
        "mislabeled_charset",
        "/damaged/zurich-talks-on-north-korean-troops",
        "Z\u00fcrich talks weigh North Korean troops in Russia",
        "Z\u00fcrich talks weigh North Korean troops in Russia",
        (
            "Diplomats meeting in Z\u00fcrich on Friday discussed how to verify the number of "
            "North Korean soldiers serving with Russian units near Kursk.",
            "A drone maker\u2019s engineers told the delegates that imagery from the border "
            "showed new barracks built since the summer.",
            "Ukraine\u2019s envoy asked for sanctions on the shipping firms that move troops "
            "and munitions between Wonsan and Russian Pacific ports.",
            "The Z\u00fcrich meeting ended without a joint statement, but a follow-up session "
            "is planned in Geneva before the end of the year.",
        ),
        content_type="text/html; charset=ISO-8859-1",
        expect="UTF-8 bytes served as ISO-8859-1: stored as Z\u00fcrich, not Z\u00c3\u00bcrich",
    ),
    DamagedPage(
        "source_mojibake",
        "/damaged/kim-jong-un-visits-munitions-plant",
        "Kim Jong Un\u2019s visit to a munitions plant worries Kyiv",
        "Kim Jong Un\u2019s visit to a munitions plant worries Kyiv",
        (
            "Kim Jong Un toured a munitions plant on Wednesday, state media said, days after "
            "Ukraine\u2019s army reported North Korean rockets near Kharkiv.",
            "The factory\u2019s managers promised to double output of rocket launchers, a "
            "product Russian forces have fielded against Ukrainian positions.",
            "Officials in Kyiv said the visit confirmed that Pyongyang is retooling its arms "
            "industry for a war it does not fight itself.",
            "Satellite photographs of the plant show new assembly halls and a rail spur that "
            "did not exist two years ago.",
        ),
        expect="text decoded with the wrong charset by the outlet's CMS: repaired",
    ),
    DamagedPage(
        "unrepairable_encoding",
        "/damaged/lost-characters-report",
        "Report on North Korean workers in Russia",
        "",
        (
            "North Korean workers sent to Russian construction sites earn wages that flow "
            "back to Pyongyang, a report on labour in Russia found.",
            "The report names building firms in Vladivostok and Moscow that hired crews "
            "through intermediaries based in China.",
            "Ukrainian officials said the wages help finance the artillery shells that North "
            "Korea supplies for Russia\u2019s war.",
            "The authors counted at least twelve thousand workers, more than before the "
            "sanctions took effect.",
        ),
        expect="every non-ASCII character lost at the source: refused as bad_encoding",
    ),
    DamagedPage(
        "markup_title",
        "/damaged/breaking-north-korean-general-in-moscow",
        "<b>Breaking</b>: North Korean general <i>seen</i> in Moscow",
        "Breaking: North Korean general seen in Moscow",
        (
            "A senior North Korean general was photographed in Moscow on Thursday leaving "
            "Russia\u2019s defence ministry, according to Ukrainian military intelligence.",
            "The general commands the corps whose units have been deployed to the Kursk "
            "region, where Ukrainian troops still hold a strip of Russian territory.",
            "Neither Pyongyang nor the Kremlin commented on the visit, which came a week "
            "after a new round of arms talks between the two governments.",
            "Photographs posted by a Russian military blogger show the general with two aides "
            "and an interpreter outside the ministry\u2019s main entrance.",
        ),
        expect="<b>, <i> in og:title and the JSON-LD headline: stored as plain text",
    ),
)
KINDS = frozenset({"damaged_feed"} | {page.kind for page in PAGES})


def page(kind: str) -> DamagedPage:
    return next(p for p in PAGES if p.kind == kind)


def special_pages(published: datetime) -> list[SpecialPage]:
    """The damaged feed and its pages, unlisted in every normal listing."""
    pages = [
        SpecialPage(
            OUTLET,
            FEED_PATH,
            "damaged_feed",
            False,
            "an unescaped &, an unclosed tag and no closing </rss>: every item followed",
        )
    ]
    for number, item in enumerate(PAGES):
        pages.append(
            SpecialPage(
                OUTLET,
                item.path,
                item.kind,
                False,
                item.expect,
                item.title or item.raw_title,
                published - timedelta(minutes=10 * number),
            )
        )
    return pages


# -- the pages --------------------------------------------------------------------------
def render_page(special: SpecialPage, base: str) -> tuple[str, bytes]:
    """(Content-Type, body) of one damaged page."""
    item = page(special.kind)
    published = (special.published or datetime.now()).isoformat()
    paragraphs = list(item.paragraphs)
    if item.kind == "source_mojibake":
        # The CMS decoded UTF-8 as cp1252 once and stored the result.
        paragraphs = [p.encode("utf-8").decode("cp1252") for p in paragraphs]
    if item.kind == "unrepairable_encoding":
        paragraphs = [_lose_non_ascii(p) for p in paragraphs]
    json_ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": item.raw_title.replace("&amp;", "&"),
            "datePublished": published,
            "author": {"@type": "Person", "name": "Mira Sol\u00e9r"},
        },
        ensure_ascii=False,
    )
    body = "".join(f"<p>{escape(p, quote=False)}</p>\n" for p in paragraphs)
    html = (
        "<!DOCTYPE html>\n<html lang='en'><head>"
        f"<title>{escape(item.title or item.raw_title)} | Newsmix</title>"
        f'<meta property="og:title" content="{escape(item.raw_title, quote=True)}">'
        f'<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="{published}">'
        f'<link rel="canonical" href="{base}{item.path}">'
        f'<script type="application/ld+json">{json_ld}</script>'
        "</head><body><article>"
        f"<h1>{escape(item.title or item.raw_title)}</h1>"
        f"<p class='byline'>By Mira Sol\u00e9r</p>\n{body}"
        "</article></body></html>\n"
    )
    if item.kind == "entity_title":
        # The CMS escaped the title once more before writing the attribute.
        html = html.replace(escape(item.raw_title, quote=True), item.raw_title)
    return item.content_type, html.encode("utf-8")


def _lose_non_ascii(text: str) -> str:
    """Every character outside ASCII replaced, as a lossy re-encode at the source leaves it."""
    lost = "".join(ch if ch.isascii() else "\ufffd" for ch in text)
    # Apostrophes and accents are not enough to lose: the text lost letters too.
    return re.sub(r"[aeiou]", "\ufffd", lost, count=12)


# -- the listings -------------------------------------------------------------------------
def feed_entries(specials: list[SpecialPage], copies: list[Entry], base: str) -> list[Entry]:
    """The damaged feed: a damaged page first and last, story copies in between."""
    pages = [p for p in specials if p.kind in KINDS - {"damaged_feed"}]
    entries = [Entry(base + p.path, p.title, p.expect, p.published) for p in pages if p.published]
    first, last = entries[0], entries[-1]
    return [first, *copies[: 16 - len(entries)], *entries[1:-1], last]


def damaged_feed(outlet: Outlet, base: str, entries: list[Entry]) -> str:
    """The issue's feed: an unescaped &, an unclosed tag and no closing </rss>."""
    return break_rss(rss(outlet, base, entries), "start", "middle", "end")


def break_rss(text: str, *where: str) -> str:
    """An RSS 2.0 or Atom document damaged at `where` (start, middle, end), links kept whole."""
    closing = "</item>" if "</item>" in text else "</entry>"
    items = text.split(closing)
    body, tail = items[:-1], items[-1]
    if "start" in where:
        # An unescaped & and an unclosed <title> in the first entry.
        cut = max(body[0].find("<item>"), body[0].find("<entry>"))
        head, first = body[0][:cut], body[0][cut:]
        body[0] = head + first.replace("<title>", "<title>Q&A: ", 1).replace("</title>", "", 1)
    if "middle" in where:
        # A stray < and an unclosed <description>/<summary> halfway down.
        middle = len(body) // 2
        body[middle] = re.sub(r"</(description|summary)>", "", body[middle], count=1)
        body[middle] = body[middle].replace("<title>", "<title>Kim <-> Putin & ", 1)
    text = closing.join(body) + closing + tail
    if "end" in where:
        # Cut after the last entry: no closing </channel></rss> or </feed>.
        text = text[: text.rindex(closing) + len(closing)]
    return text


def break_sitemap(text: str, *where: str) -> str:
    """A urlset damaged at `where`, every <loc> kept whole."""
    urls = text.split("</url>")
    body, tail = urls[:-1], urls[-1]
    if "start" in where:
        body[0] = body[0].replace("<url>", "<url><lastmod>2026-11-25 & later<lastmod>", 1)
    if "middle" in where:
        middle = len(body) // 2
        body[middle] = body[middle].replace("<lastmod>", "<lastmod><<", 1)
    text = "</url>".join(body) + "</url>" + tail
    if "end" in where:
        text = text[: text.rindex("</loc>") + len("</loc>")]
    return text
