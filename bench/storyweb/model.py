"""What the story web is made of, and its ground truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING

from crawler.query import compile_matcher, parse_query

if TYPE_CHECKING:
    from collections.abc import Callable

# Two topics in newswatch's query language. Their words are in the bodies of some
# originals (sometimes once, far down) and in some pages' furniture lines.
TOPICS = {
    "gaza-war": "Gaza OR Gazans OR Hamas OR UNRWA",
    "russia-ukraine": "(Russia OR Russian OR Russians OR Putin OR Kremlin OR Moscow)"
    " AND (Ukraine OR Ukrainian OR Ukrainians OR Kyiv)",
}


@cache
def topic_matchers() -> dict[str, Callable[..., bool]]:
    return {name: compile_matcher(parse_query(query)) for name, query in TOPICS.items()}


def decide_topics(title: str, paragraphs: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The ground-truth topics of a story: the queries applied to its body and title."""
    document = {"title": title, "text": "\n".join(paragraphs)}
    return frozenset(name for name, match in topic_matchers().items() if match(document))


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    ip: str  # every outlet has its own loopback address, so outlets differ by host
    kind: str  # publisher | syndicator
    entry_points: dict[str, list[str]]  # feeds/sitemaps/homepages: paths on the outlet


@dataclass(frozen=True)
class Reply:
    content_type: str
    body: bytes


@dataclass
class PageTruth:
    url: str  # where it is served, without tracking parameters
    listed_url: str  # as its outlet's feed or sitemap lists it
    outlet: str
    story: str  # the ground-truth story it belongs to
    kind: str  # original | full | truncated | teasers | splice | roundup
    title: str
    paragraphs: list[str]  # the story text this page shows
    published: datetime
    canonical: str | None = None
    furniture: list[str] = field(default_factory=list)  # lines shown that are not story text


@dataclass(frozen=True)
class StoryTruth:
    key: str
    title: str
    body: tuple[str, ...]  # the reference body ("[...]" paragraphs optional)
    topics: frozenset[str]
    origin: str  # original | splice | roundup


@dataclass
class StoryWeb:
    outlets: dict[str, Outlet]
    bases: dict[str, str]  # outlet key -> http://ip:port
    pages: dict[str, PageTruth]  # by URL
    stories: dict[str, StoryTruth]
    files: dict[str, dict[str, Reply]]  # outlet key -> path -> reply
    topics: dict[str, str] = field(default_factory=lambda: dict(TOPICS))

    def page_html(self, url: str) -> bytes:
        page = self.pages[url]
        path = url.removeprefix(self.bases[page.outlet])
        return self.files[page.outlet][path].body

    def entry_points(self, outlet: str) -> dict[str, list[str]]:
        base = self.bases[outlet]
        return {
            kind: [base + p for p in paths]
            for kind, paths in self.outlets[outlet].entry_points.items()
        }

    def copies_of(self, story: str) -> list[PageTruth]:
        return [p for p in self.pages.values() if p.story == story]

    @property
    def hard_negatives(self) -> list[StoryTruth]:
        return [s for s in self.stories.values() if s.origin != "original"]
