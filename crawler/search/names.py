"""Filter values as analysts type them, resolved to what the index stores.

An outlet can be named by its display name (any case), its source's name in the
config (`usatoday-com`) or its host (`usatoday.com`, `https://www.usatoday.com/`);
topics and languages by their names in any case. A value that names nothing is
kept in the request (so it matches nothing, never everything) and reported, so that
a page can say "no outlet called X" beside its results instead of a silent 0.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.analysis.detect import language_code
from crawler.base.urls import host_of
from crawler.index import SearchRequest

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.config import Config
    from crawler.config.schema import Source
    from crawler.index import NameKind, SearchIndex

# Stored names change as crawls add outlets: re-read them this often at most, and
# at once (but not more than every MISS_REFRESH seconds) when a value names nothing.
TTL = 300.0
MISS_REFRESH = 5.0


@dataclass(frozen=True)
class UnknownName:
    """A filter value that names nothing in the index or the config."""

    filter: str  # the filter's parameter: outlet, topic, language
    value: str

    @property
    def message(self) -> str:
        what = {"outlet": "outlet", "topic": "topic", "language": "stories in language"}
        return f"No {what.get(self.filter, self.filter)} called {self.value!r}"


@dataclass
class Resolved:
    request: SearchRequest
    unknown: list[UnknownName] = field(default_factory=list)


def host_name(value: str) -> str:
    """`https://www.Example.com/path` or `example.com` as `example.com`."""
    text = value.strip()
    host = host_of(text if "://" in text else f"http://{text}")
    return host.removeprefix("www.")


def source_hosts(source: Source) -> set[str]:
    urls = [*source.feeds, *source.sitemaps, *source.homepages]
    hosts = {host_name(url) for url in urls} | {host_name(d) for d in source.allowed_domains}
    return {host for host in hosts if host}


@dataclass(frozen=True)
class OutletMatch:
    names: tuple[str, ...] = ()
    hosts: tuple[str, ...] = ()


class NameDirectory:
    """Resolves filter values against the index's stored names and the config."""

    def __init__(
        self, sources: Iterable[Source] = (), topics: Iterable[str] = (), ttl: float = TTL
    ) -> None:
        self._sources = {source.name.casefold(): source for source in sources}
        self._source_hosts = {h for s in self._sources.values() for h in source_hosts(s)}
        self._topics = tuple(topics)
        self._ttl = ttl
        self._lock = threading.Lock()
        self._stored: dict[str, tuple[float, dict[str, list[str]]]] = {}

    @classmethod
    def from_config(cls, config: Config) -> NameDirectory:
        return cls(config.sources, [topic.name for topic in config.topics])

    def _names(self, index: SearchIndex, kind: NameKind, key: str) -> list[str]:
        """Stored names of `kind` whose casefold is `key` (re-read when stale or missing)."""
        with self._lock:
            read_at, by_key = self._stored.get(kind, (0.0, {}))
        age = time.monotonic() - read_at
        if age > self._ttl or (key not in by_key and age > MISS_REFRESH):
            by_key = {}
            for name in index.stored_names(kind):
                by_key.setdefault(name.casefold(), []).append(name)
            with self._lock:
                self._stored[kind] = (time.monotonic(), by_key)
        return by_key.get(key, [])

    def outlet(self, index: SearchIndex, value: str) -> OutletMatch:
        key = value.strip().casefold()
        names = list(self._names(index, "outlet", key))
        hosts: set[str] = set()
        source = self._sources.get(key)
        if source is not None:
            if source.outlet:
                names.append(source.outlet)
            hosts |= source_hosts(source)
        if "." in value:
            host = host_name(value)
            if host in self._source_hosts or _has_copies_on(index, host):
                hosts.add(host)
        return OutletMatch(tuple(dict.fromkeys(names)), tuple(sorted(hosts)))

    def resolve(self, request: SearchRequest, index: SearchIndex) -> Resolved:
        """`request` with every name as stored; values that name nothing are reported."""
        unknown: list[UnknownName] = []
        outlets: list[str] = []
        hosts: list[str] = list(request.hosts)
        for value in request.outlets:
            found = self.outlet(index, value)
            if not found.names and not found.hosts:
                unknown.append(UnknownName("outlet", value))
                outlets.append(value)
            outlets += found.names
            hosts += found.hosts
        topics = self._plain(index, "topic", request.topics, self._topics, unknown)
        # Stories carry ISO 639 codes: "RU" and "ru-RU" find them too.
        codes = tuple(language_code(value) or value for value in request.languages)
        languages = self._plain(index, "language", codes, (), unknown)
        resolved = dataclasses.replace(
            request,
            outlets=tuple(dict.fromkeys(outlets)),
            hosts=tuple(dict.fromkeys(hosts)),
            topics=topics,
            languages=languages,
        )
        return Resolved(resolved, unknown)

    def _plain(
        self,
        index: SearchIndex,
        kind: NameKind,
        values: tuple[str, ...],
        configured: tuple[str, ...],
        unknown: list[UnknownName],
    ) -> tuple[str, ...]:
        out: list[str] = []
        for value in values:
            key = value.strip().casefold()
            found = [name for name in configured if name.casefold() == key]
            found += self._names(index, kind, key)
            if not found:
                unknown.append(UnknownName(kind, value))
                found = [value]
            out += found
        return tuple(dict.fromkeys(out))


def _has_copies_on(index: SearchIndex, host: str) -> bool:
    """Whether any story has a copy on `host` (a host the config does not list)."""
    if not host or urlsplit(f"http://{host}").hostname != host:
        return False
    probe = SearchRequest(hosts=(host,), limit=1, highlight=False)
    return index.search(probe).total > 0
