"""Ground-truth records of the mock news web: outlets, stories, copies, special pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# How a copy differs from the story's original page (see README.md).
VARIATIONS = (
    "original",
    "new_headline",
    "other_furniture",
    "truncated",
    "light_edit",
    "also_read_inserts",
    "different_byline_date",
    "canonical_to_original",
    "no_canonical",
    "tracking_params",
    "updated_in_place",
    "teaser_canonical",  # teasers.py: the lead only, no topic word, canonical
    "teaser_no_canonical",  # the same without a canonical link
)


@dataclass(frozen=True)
class Outlet:
    """One news site, served on its own loopback IP."""

    key: str  # short name; also the source name in generated configs
    name: str  # human-readable site name
    ip: str
    template: str  # module name in tests.harness.newsweb.templates
    feed_format: str  # rss | atom | rdf
    feed_path: str
    article_path: str  # str.format pattern: {slug} {yyyy} {mm} {dd}
    json_ld: bool
    open_graph: bool
    sections: tuple[str, ...]
    reporters: tuple[str, ...]
    disallow: tuple[str, ...] = ("/private/",)
    extra_feeds: tuple[str, ...] = ()  # more feed paths a config should list (may be broken)
    # <html lang> the "native" template writes: "story" (the story's language), a fixed
    # code (a CMS that marks every page "en", whatever its text) or None (no attribute).
    html_lang: str | None = "story"
    content_language: bool = False  # send Content-Language: <story language> with articles

    @property
    def feed_mime(self) -> str:
        return {
            "rss": "application/rss+xml",
            "atom": "application/atom+xml",
            "rdf": "application/rdf+xml",
        }[self.feed_format]


@dataclass
class Story:
    """One piece of reporting; every copy of it on any outlet is the same story."""

    id: str
    on_topic: bool
    kind: str  # frame name, e.g. "troops", "energy", "seed"
    title: str
    description: str
    paragraphs: list[str]
    published: datetime
    authors: list[str]
    origin: str  # outlet key of the original copy
    subheads: dict[int, str] = field(default_factory=dict)  # heading shown before paragraph i
    section: str = "world"
    tags: list[str] = field(default_factory=list)
    image_credit: str = ""
    sources_line: str = ""  # attribution line after the body ("Sources: ...")
    update_paragraph: str | None = None  # appended by world.advance() (updated_in_place)
    updated: datetime | None = None  # time of that update
    language: str = "en"  # ISO 639-1 code of the text (multilingual.py writes the others)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class Copy:
    """One outlet's page of a story: where it lives and what a crawler should read there."""

    story_id: str
    outlet: str
    path: str  # URL path the page is served at (no query)
    variation: str
    title: str
    authors: list[str]
    published: datetime
    paragraphs: list[str]  # body as this page shows it (version 0)
    listed_query: str = ""  # query string appended in feeds/sitemaps (tracking_params)
    canonical_path: str | None = None  # path on `canonical_outlet`; None = no canonical link
    canonical_outlet: str | None = None
    read_more: str | None = None  # "Read more at <outlet>" line of truncated copies
    inserts: list[str] = field(default_factory=list)  # "Also read" lines between paragraphs
    furniture: list[str] = field(default_factory=list)  # lines that must not reach the text
    charset: str = "utf-8"
    charset_header: bool = True
    skip_reason: str | None = None  # "robots" or "too_old": a polite crawler never indexes it
    update_paragraph: str | None = None  # appended at the same URL after world.advance()
    updated: datetime | None = None
    related: list[tuple[str, str]] = field(default_factory=list)  # (title, path) links shown
    in_feed: bool = True  # listed in the outlet's feed (all copies are in its sitemaps)

    @property
    def listed_path(self) -> str:
        """The URL path as feeds and sitemaps list it (with tracking parameters if any)."""
        return f"{self.path}?{self.listed_query}" if self.listed_query else self.path

    @property
    def crawlable(self) -> bool:
        return self.skip_reason is None

    def paragraphs_at(self, version: int) -> list[str]:
        """The body at world version `version` (1 = after `advance()`)."""
        if version and self.update_paragraph:
            return [*self.paragraphs, self.update_paragraph]
        return list(self.paragraphs)


@dataclass(frozen=True)
class HardNegative:
    """Two different stories that must never be merged, and what they share."""

    a: str
    b: str
    kind: str  # "quote", "background" or "rewrite" (same event, other words)
    shared: str  # the shared paragraph ("" for rewrites)


@dataclass(frozen=True)
class SpecialPage:
    """A page that is not a story copy: a non-article page or a bad case."""

    outlet: str
    path: str
    kind: str  # see README.md: video, paywall, section, tag, not_found, server_error, ...
    listed: bool  # listed in the outlet's feed and sitemap (crawlers meet it there)
    expect: str  # what a crawler should see, in words
    title: str = ""
    published: datetime | None = None


@dataclass
class World:
    """Everything the mock web serves, as data; `version` flips with advance()/reset()."""

    seed: int
    now: datetime
    outlets: list[Outlet]
    stories: list[Story]
    copies: list[Copy]
    hard_negative_pairs: list[HardNegative]
    special_pages: list[SpecialPage]
    offsite: Outlet  # a host no source allows; off-site redirects point here
    version: int = 0
    _cache_key: tuple[int, int] = field(default=(-1, -1), init=False, repr=False, compare=False)
    _cache: Any = field(default=None, init=False, repr=False, compare=False)

    def advance(self) -> None:
        """Switch updated_in_place stories to their updated version."""
        self.version = 1

    def reset(self) -> None:
        self.version = 0

    def outlet(self, key: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.key == key:
                return outlet
        raise KeyError(key)

    def story(self, story_id: str) -> Story:
        return self._stories_by_id()[story_id]

    def copies_of(self, story_id: str) -> list[Copy]:
        return list(self._index()[1].get(story_id, []))

    def copies_on(self, outlet: str) -> list[Copy]:
        return list(self._index()[2].get(outlet, []))

    def copy_at(self, outlet: str, path: str) -> Copy:
        """The copy served at `path` on `outlet` (query strings ignored)."""
        for copy in self._index()[2].get(outlet, []):
            if copy.path == path.split("?", 1)[0]:
                return copy
        raise KeyError((outlet, path))

    def on_topic_stories(self, crawlable_only: bool = True) -> list[Story]:
        """On-topic stories; by default only those a polite crawler can index."""
        return [s for s in self.stories if s.on_topic and self._wanted(s, crawlable_only)]

    def crawlable_copies(self) -> list[Copy]:
        """Copies a polite crawler fetches and indexes (not robots-blocked, not too old)."""
        return [c for c in self.copies if c.crawlable]

    def off_topic_stories(self) -> list[Story]:
        return [s for s in self.stories if not s.on_topic]

    def original(self, story_id: str) -> Copy:
        """The earliest-published copy (the primary copy a story document should show)."""
        return min(self.copies_of(story_id), key=lambda c: (c.published, c.variation != "original"))

    def pages(self, outlet: str | None = None) -> list[Copy]:
        return [c for c in self.copies if outlet is None or c.outlet == outlet]

    def _wanted(self, story: Story, crawlable_only: bool) -> bool:
        return not crawlable_only or any(c.crawlable for c in self.copies_of(story.id))

    def _stories_by_id(self) -> dict[str, Story]:
        return self._index()[0]

    def _index(self) -> tuple[dict[str, Story], dict[str, list[Copy]], dict[str, list[Copy]]]:
        # Built once per shape of the world: rendering 2,000 pages asks for these a lot.
        key = (len(self.stories), len(self.copies))
        if self._cache_key != key:
            by_story: dict[str, list[Copy]] = {}
            by_outlet: dict[str, list[Copy]] = {}
            for copy in self.copies:
                by_story.setdefault(copy.story_id, []).append(copy)
                by_outlet.setdefault(copy.outlet, []).append(copy)
            self._cache = ({s.id: s for s in self.stories}, by_story, by_outlet)
            self._cache_key = key
        return self._cache
