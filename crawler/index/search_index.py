"""The read-only port of searches: the search CLI, the API, the web app, alerts and export."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index.alert_state import AlertState
    from crawler.index.saved_searches import SavedSearches
    from crawler.story import Story


@dataclass(frozen=True)
class SearchRequest:
    """A search over stories; `query` is in the one query language (crawler.query)."""

    query: str = ""
    topics: tuple[str, ...] = ()
    # A story passes the outlet filter when it ran on one of `outlets` (display names,
    # exactly as stored) or has a copy on one of `hosts` (lower case, no "www.";
    # host_prefixes() lists the URL beginnings that mean a host).
    outlets: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    min_outlets: int = 1
    sort: Literal["relevance", "date"] = "relevance"
    limit: int = 20
    cursor: str | None = None  # opaque; from SearchPage.next_cursor
    highlight: bool = True


def host_prefixes(host: str) -> list[str]:
    """How every URL on `host` begins: either scheme, with or without www., with or
    without a port (a URL's host ends at "/" or ":")."""
    return [
        f"{scheme}://{www}{host}{end}"
        for scheme in ("http", "https")
        for www in ("", "www.")
        for end in ("/", ":")
    ]


@dataclass
class SearchHit:
    story: Story
    score: float | None = None
    snippet: str = ""  # the match marked with « and »


@dataclass
class SearchPage:
    hits: list[SearchHit]
    total: int
    next_cursor: str | None = None


@dataclass
class Bucket:
    key: str
    count: int


@dataclass
class Aggregations:
    """Counts of the stories a request selects: the facets and the coverage charts.

    `timeline` has one bucket per UTC day (by published) that has stories, in day
    order; the others are the `size` largest, most stories first.
    """

    timeline: list[Bucket] = field(default_factory=list)  # key: YYYY-MM-DD
    outlets: list[Bucket] = field(default_factory=list)
    topics: list[Bucket] = field(default_factory=list)
    languages: list[Bucket] = field(default_factory=list)
    # 1: exact. n > 1: counted over every n-th matching story and multiplied by n,
    # because the caller allowed an estimate above a number of matches (`estimate_above`).
    every: int = 1
    # How many stories were counted (x every); None when the backend did not say.
    total: int | None = None


# The stored names a filter can be resolved against (crawler/search/names.py).
NameKind = Literal["outlet", "topic", "language"]


class SearchIndex(abc.ABC):
    """Searches, aggregations and export over stories; never writes.

    A bad cursor raises crawler.index.errors.InvalidCursor, a bad query
    crawler.query's QuerySyntaxError, on every backend.
    """

    name: str

    @abc.abstractmethod
    def open(self) -> None:
        """Connect; a whole backend also makes sure the schema exists (idempotent)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; a whole backend flushes pending writes first."""

    def __enter__(self) -> SearchIndex:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchPage: ...

    @abc.abstractmethod
    def aggregate(
        self, request: SearchRequest, size: int = 10, estimate_above: int | None = None
    ) -> Aggregations:
        """Exact counts; with `estimate_above`, a backend for which counting many matches
        costs far more than finding them may estimate when more stories match (and says so
        in `Aggregations.every`)."""

    def search_with_facets(
        self, request: SearchRequest, size: int = 10, estimate_above: int | None = None
    ) -> tuple[SearchPage, Aggregations]:
        """One page of `request` and the aggregations of all its matches (the results
        page's facets and histogram). A backend that can answer both at once does so
        (Elasticsearch: one request); this default asks one after the other."""
        from dataclasses import replace

        page = self.search(request)
        return page, self.aggregate(replace(request, cursor=None), size, estimate_above)

    @abc.abstractmethod
    def stored_names(self, kind: NameKind) -> list[str]:
        """Every distinct stored value of `kind` (outlet display names, topics, languages)."""

    @abc.abstractmethod
    def export(self, request: SearchRequest) -> Iterator[Story]:
        """Every matching story, streamed in constant memory, newest first."""

    @abc.abstractmethod
    def get_story(self, story_id: str) -> Story | None: ...

    @abc.abstractmethod
    def count(self) -> int: ...

    @abc.abstractmethod
    def alert_state(self) -> AlertState:
        """Where alerts keep their records and cursors (crawler/index/alert_state.py), in
        this index's store; its own connection, closed by the caller."""

    @abc.abstractmethod
    def saved_searches(self) -> SavedSearches:
        """The analysts' saved searches (crawler/index/saved_searches.py), in this index's
        store; its own connection, closed by the caller. The only write a read-only
        search index makes."""
