"""Build the story web: 80 real originals on their publishers' hosts, and four syndicators.

`build_web(bases, seed)` decides every copy with a seeded RNG and renders every
page, feed and sitemap in memory, with the ground truth: which page is a copy of
which story, which stories are on which topic (decided on the original's
ground-truth body and title) and the body each page shows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from bench.storyweb import listings
from bench.storyweb.corpus import Original, load_originals, slug
from bench.storyweb.model import Outlet, PageTruth, Reply, StoryTruth, StoryWeb, decide_topics
from bench.storyweb.specials import roundup_page, splice_page
from bench.storyweb.templates import SYNDICATORS, CopyPage, Syndicator

HTML = "text/html; charset=utf-8"
TRUNCATED_MIN_CHARS = 500  # "first paragraphs": enough for the crawler to take it as a story
TRACKING = {
    "relay": "?utm_source=rss&utm_medium=feed&utm_campaign=latest",
    "nordpost": "?at_medium=atom&at_campaign=alle",
    "lefil": "?ito=sitemap_news",
    "sur": "?fbclid=IwAR0storyweb",
}
AUTHORS = {
    "relay": ["Mira Vasquez", "Relay staff"],
    "nordpost": ["Jonas Brandt", "Nordpost-Redaktion"],
    "lefil": ["Claire Morel", "La rédaction"],
    "sur": ["Lucía Ferrer", "Redacción"],
}
VARIANT_PREFIX = {
    "relay": "Analysis: ",
    "nordpost": "Hintergrund: ",
    "lefil": "Décryptage : ",
    "sur": "Claves: ",
}


def plan_outlets(originals: list[Original]) -> dict[str, Outlet]:
    """One host per publisher (its RSS feed lists its originals) and per syndicator."""
    outlets = {}
    publishers = sorted({o.publisher for o in originals})
    for number, publisher in enumerate(publishers, start=1):
        key = publisher.casefold()
        outlets[key] = Outlet(
            key, publisher, f"127.0.3.{number}", "publisher", {"feeds": ["/rss.xml"]}
        )
    points = {
        "rss": {"feeds": ["/rss/latest.xml"]},
        "atom": {"feeds": ["/feeds/alle.atom"]},
        "sitemap": {"sitemaps": ["/sitemaps/news.xml"]},
        "homepage": {"homepages": ["/"]},
    }
    for number, syndicator in enumerate(SYNDICATORS, start=101):
        outlets[syndicator.key] = Outlet(
            syndicator.key,
            syndicator.name,
            f"127.0.3.{number}",
            "syndicator",
            points[syndicator.listing],
        )
    return outlets


@dataclass
class _Copy:
    original: Original
    syndicator: Syndicator
    kind: str  # full | truncated | teasers
    canonical: bool
    variant_title: bool
    tracking: bool


def _plan_copies(rng: random.Random, on: list[Original], off: list[Original]) -> list[_Copy]:
    """Who republishes what, and how: every on-topic story three times, some off-topic ones once."""
    by_key = {s.key: s for s in SYNDICATORS}
    others = [s for s in SYNDICATORS if s.key != "nordpost"]
    copies = []
    for number, original in enumerate(on):
        chosen = rng.sample(others, 2)
        kinds = ["full", rng.choice(["teasers", "truncated", "full"])]
        copies.append(
            _Copy(original, by_key["nordpost"], "truncated", number % 2 == 0, False, False)
        )
        for syndicator, kind in zip(chosen, kinds, strict=True):
            copies.append(_Copy(original, syndicator, kind, rng.random() < 0.5, False, False))
    for number, original in enumerate(rng.sample(off, min(28, len(off)))):
        syndicator = SYNDICATORS[number % len(SYNDICATORS)]
        kind = (
            "truncated"
            if syndicator.key == "nordpost"
            else rng.choice(["teasers", "teasers", "full"])
        )
        copies.append(_Copy(original, syndicator, kind, rng.random() < 0.4, False, False))
    for copy in copies:
        copy.variant_title = rng.random() < 0.3
        copy.tracking = rng.random() < 0.35
    return copies


def _truncation(paragraphs: tuple[str, ...]) -> int | None:
    """How many first paragraphs a truncated copy keeps, or None when the story is too short."""
    for keep in range(2, len(paragraphs)):
        if len(" ".join(paragraphs[:keep])) >= TRUNCATED_MIN_CHARS:
            return keep if keep <= max(2, len(paragraphs) * 2 // 3) else None
    return None


def _variant(syndicator: Syndicator, title: str) -> str:
    head = title.split(":")[0].strip()
    if ":" in title and len(head) >= 25:
        return head  # the part before the colon: a shorter headline, no new words
    return VARIANT_PREFIX[syndicator.key] + title


class _Builder:
    def __init__(self, originals: list[Original], bases: dict[str, str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.originals = originals
        self.outlets = plan_outlets(originals)
        self.bases = bases
        self.files: dict[str, dict[str, Reply]] = {key: {} for key in self.outlets}
        self.pages: dict[str, PageTruth] = {}
        self.stories: dict[str, StoryTruth] = {}
        self.number = 1000
        self.served = {o.key: bases[o.publisher.casefold()] + o.path for o in originals}

    def serve(self, outlet: str, path: str, content_type: str, body: str | bytes) -> str:
        self.files[outlet][path] = Reply(
            content_type, body if isinstance(body, bytes) else body.encode()
        )
        return self.bases[outlet] + path

    def add_originals(self) -> None:
        for original in self.originals:
            outlet = original.publisher.casefold()
            url = self.serve(outlet, original.path, HTML, original.html)
            topics = decide_topics(original.title, original.paragraphs)
            self.stories[original.key] = StoryTruth(
                original.key, original.title, original.body, topics, "original"
            )
            self.pages[url] = PageTruth(
                url,
                url,
                outlet,
                original.key,
                "original",
                original.title,
                list(original.paragraphs),
                original.crawled,
            )

    def add_copy(self, copy: _Copy, teasers: list[Original]) -> None:
        original, syndicator = copy.original, copy.syndicator
        self.number += 1
        published = original.crawled + timedelta(
            hours=self.rng.randint(2, 30), minutes=self.rng.randint(0, 59)
        )
        title = _variant(syndicator, original.title) if copy.variant_title else original.title
        path = syndicator.path(slug(title), self.number, published)
        url = self.bases[syndicator.key] + path
        paragraphs = list(original.paragraphs)
        kind = copy.kind
        keep = _truncation(original.paragraphs) if kind == "truncated" else None
        if kind == "truncated" and keep is None:
            kind = "full"
        if keep is not None:
            paragraphs = paragraphs[:keep]
        page = CopyPage(
            url,
            title,
            paragraphs,
            published,
            self.rng.choice(AUTHORS[syndicator.key]),
            "world" if self.rng.random() < 0.5 else "other",
            canonical=self.served[original.key] if copy.canonical else None,
            continue_to=(self.served[original.key], original.publisher) if keep else None,
        )
        if kind == "teasers" or (keep and self.rng.random() < 0.5):
            self._add_teasers(page, original, teasers)
        listed = url + (TRACKING[syndicator.key] if copy.tracking else "")
        self.add_page(syndicator, page, original.key, kind, listed)

    def _add_teasers(self, page: CopyPage, original: Original, pool: list[Original]) -> None:
        """Inline "others are reading" lines; one carries another story's topic-word headline."""
        trap = self.rng.choice([o for o in pool if o.key != original.key])
        other = self.rng.choice(
            [o for o in self.originals if o.key not in (original.key, trap.key)]
        )
        last = max(0, len(page.paragraphs) - 2)
        for after, linked in ((min(1, last), trap), (last, other)):
            page.teasers.append((after, linked.title, self.served[linked.key]))

    def add_page(
        self, syndicator: Syndicator, page: CopyPage, story: str, kind: str, listed: str
    ) -> None:
        path = page.url.removeprefix(self.bases[syndicator.key])
        self.serve(syndicator.key, path, HTML, syndicator.render(syndicator, page))
        body = list(page.paragraphs) + [lead for _, _, lead in page.items]
        self.pages[page.url] = PageTruth(
            page.url,
            listed,
            syndicator.key,
            story,
            kind,
            page.title,
            body,
            page.published,
            page.canonical,
            syndicator.furniture(page),
        )

    def add_listings(self) -> None:
        for key, outlet in self.outlets.items():
            pages = sorted(
                (p for p in self.pages.values() if p.outlet == key),
                key=lambda p: p.published,
                reverse=True,
            )
            entries = [
                listings.Entry(p.listed_url, p.title, p.published, p.paragraphs[0][:200])
                for p in pages
            ]
            base = self.bases[key]
            sitemap = None
            if outlet.kind == "publisher":
                self.serve(
                    key,
                    "/rss.xml",
                    "application/rss+xml",
                    listings.rss(outlet.name, base + "/", entries),
                )
            elif key == "relay":
                self.serve(
                    key,
                    "/rss/latest.xml",
                    "application/rss+xml",
                    listings.rss(outlet.name, base + "/", entries),
                )
            elif key == "nordpost":
                feed = base + "/feeds/alle.atom"
                self.serve(
                    key,
                    "/feeds/alle.atom",
                    "application/atom+xml",
                    listings.atom(outlet.name, base + "/", feed, entries),
                )
            elif key == "lefil":
                sitemap = base + "/sitemaps/news.xml"
                self.serve(
                    key,
                    "/sitemaps/news.xml",
                    "application/xml",
                    listings.news_sitemap(outlet.name, "fr", entries),
                )
            else:
                self.serve(
                    key,
                    "/feeds/portada.xml",
                    "application/rss+xml",
                    listings.rss(outlet.name, base + "/", entries, "es"),
                )
                self.serve(
                    key,
                    "/",
                    HTML,
                    listings.homepage(outlet.name, "es", base + "/feeds/portada.xml", entries),
                )
            self.serve(key, "/robots.txt", "text/plain", listings.robots(sitemap))


def build_web(
    bases: dict[str, str] | None = None, seed: int = 0, originals: list[Original] | None = None
) -> StoryWeb:
    """The whole web in memory; `bases` maps outlet keys to http://ip:port (default port 8080)."""
    originals = originals if originals is not None else load_originals()
    outlets = plan_outlets(originals)
    bases = bases or {key: f"http://{outlet.ip}:8080" for key, outlet in outlets.items()}
    builder = _Builder(originals, bases, seed)
    builder.add_originals()
    on = [o for o in originals if builder.stories[o.key].topics]
    off = [o for o in originals if not builder.stories[o.key].topics]
    traps = [o for o in on if decide_topics(o.title, [])]  # headlines that alone match a topic
    for copy in _plan_copies(builder.rng, on, off):
        builder.add_copy(copy, traps)
    splice_page(builder, on, off)
    roundup_page(builder, on, off)
    builder.add_listings()
    return StoryWeb(builder.outlets, bases, builder.pages, builder.stories, builder.files)
