"""Typed configuration objects: what a newswatch YAML file may say, and the defaults."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from crawler.base.urls import host_of
from crawler.config.alerts import AlertsConfig, checked_language

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(value: object) -> timedelta:
    """Read `90s`, `15m`, `6h`, `7d`, `2w` or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return timedelta(seconds=value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            return timedelta(seconds=float(match[1]) * _UNIT_SECONDS[match[2]])
    raise ValueError("expected a duration such as 90s, 15m, 6h or 7d")


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


class _Strict(BaseModel):
    # Unknown keys are errors: a typo must not silently fall back to a default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Topic(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    query: str = Field(min_length=1)
    description: str = ""

    @field_validator("query")
    @classmethod
    def _query_parses(cls, value: str) -> str:
        from crawler.query import parse_query

        parse_query(value)  # raises QuerySyntaxError (a ValueError) with the position
        return value


class Schedule(_Strict):
    every: Duration | None = None
    cron: str | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Schedule:
        if self.every is not None and self.cron is not None:
            raise ValueError("give either 'every' or 'cron', not both")
        return self


class Source(_Strict):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    outlet: str = ""
    feeds: list[str] = []
    sitemaps: list[str] = []
    homepages: list[str] = []
    allowed_domains: list[str] = []
    max_age: Duration = timedelta(days=7)
    crawl_delay: Duration = timedelta(0)
    language: str | None = None
    every: Duration | None = None
    cron: str | None = None
    # This source's bounds of the adaptive interval (default: the scheduler's).
    min_every: Duration | None = None
    max_every: Duration | None = None

    @field_validator("feeds", "sitemaps", "homepages")
    @classmethod
    def _web_urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not url.startswith(("http://", "https://")) or not host_of(url):
                raise ValueError(f"expected an http(s) URL, got {url!r}")
        return urls

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str | None) -> str | None:
        return checked_language(value) if value is not None else None

    @model_validator(mode="after")
    def _has_entry_point(self) -> Source:
        if not (self.feeds or self.sitemaps or self.homepages):
            raise ValueError("a source needs at least one of 'feeds', 'sitemaps' or 'homepages'")
        if self.every is not None and self.cron is not None:
            raise ValueError("give either 'every' or 'cron', not both")
        _check_bounds(self.min_every, self.max_every)
        return self

    def outlet_name(self, site_name: str, url: str) -> str:
        """The one display name of the outlet a page of this source belongs to: the
        config's `outlet:`, else the site's own name, else the page's host."""
        return self.outlet or site_name or host_of(url).removeprefix("www.")


class EmbeddedIndex(_Strict):
    path: Path = Path("data/newswatch.sqlite3")


class ElasticsearchIndex(_Strict):
    url: list[str] = ["http://localhost:9200"]
    username: str | None = None
    password: str | None = None
    api_key: str | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    index_prefix: str = Field(default="newswatch", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    bulk_chunk_size: int = Field(default=500, gt=0)
    max_retries: int = Field(default=5, ge=0)
    request_timeout: Duration = timedelta(seconds=30)
    # How the write spool syncs: `normal` survives a killed process (the case a
    # crawl meets) and keeps bulk writes near raw speed; `full` also survives a
    # power cut at about a tenth of the speed (bench/index_throughput.py).
    spool_sync: Literal["normal", "full"] = "normal"

    @field_validator("url", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if isinstance(value, str):
            return [u.strip() for u in value.split(",") if u.strip()]
        return value


class IndexConfig(_Strict):
    backend: Literal["embedded", "elasticsearch"] = "embedded"
    embedded: EmbeddedIndex = EmbeddedIndex()
    elasticsearch: ElasticsearchIndex = ElasticsearchIndex()


class EngineConfig(_Strict):
    """The long-running crawl engine (crawler/engine) that runs scheduled polls."""

    # "process": the old way, a `newswatch crawl` process per poll (a fallback).
    mode: Literal["engine", "process"] = "engine"
    # Polls one engine process runs at once; more wait for a free slot.
    concurrency: int = Field(default=32, gt=0)
    # The engine restarts itself gracefully (nothing lost) after this many polls...
    recycle_polls: int = Field(default=5000, gt=0)
    # ...or once its resident memory passes this many MB.
    recycle_rss_mb: int = Field(default=1024, gt=0)


class CrawlConfig(_Strict):
    user_agent: str = "newswatch/0.1 (+https://github.com/newswatch/newswatch)"
    obey_robots_txt: bool = True
    download_timeout: Duration = timedelta(seconds=30)
    max_response_bytes: int = Field(default=5 * 1024 * 1024, gt=0)
    concurrent_requests: int = Field(default=16, gt=0)
    concurrent_requests_per_domain: int = Field(default=2, gt=0)
    autothrottle: bool = True
    retry_times: int = Field(default=3, ge=0)
    # Shorter pages are no story: length in Latin-script characters, a Han character
    # counting 3 and kana or Hangul 2 (crawler/base/scripts.py), so 300 characters of
    # Chinese pass. `min_text_chars`, its old name, is still read.
    min_text_length: int = Field(default=400, ge=0)
    time_limit: Duration = timedelta(minutes=20)
    # Worker processes that extract article text; "auto" is one per core, 0 runs
    # extraction in the crawl process itself (no workers to start).
    extraction_processes: int | Literal["auto"] = Field(default="auto")
    engine: EngineConfig = EngineConfig()

    @model_validator(mode="before")
    @classmethod
    def _old_threshold_name(cls, data: object) -> object:
        if isinstance(data, dict) and "min_text_chars" in data:
            if "min_text_length" in data:
                raise ValueError("min_text_chars is min_text_length's old name: set only one")
            data = {**data, "min_text_length": data["min_text_chars"]}
            del data["min_text_chars"]
        return data

    @field_validator("extraction_processes")
    @classmethod
    def _processes_not_negative(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 0:
            raise ValueError("must be 0 or more, or 'auto'")
        return value


def _check_bounds(lower: timedelta | None, upper: timedelta | None) -> None:
    if lower is not None and lower <= timedelta(0):
        raise ValueError("min_every must be longer than 0s")
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(f"min_every ({lower}) is longer than max_every ({upper})")


class SchedulerConfig(_Strict):
    default_every: Duration = timedelta(minutes=30)
    jitter: Duration = timedelta(seconds=60)
    misfire_grace: Duration = timedelta(minutes=5)
    jobstore_url: str | None = None  # default: a SQLite file in state_dir
    # The adaptive interval's bounds (as Miniflux's: 5 min to 24 h); a source may set its own.
    min_every: Duration = timedelta(minutes=5)
    max_every: Duration = timedelta(hours=24)
    # Consecutive failures after which a source is paused (probed at max_every); 0: never.
    pause_after: int = Field(default=5, ge=0)

    @model_validator(mode="after")
    def _bounds(self) -> SchedulerConfig:
        _check_bounds(self.min_every, self.max_every)
        return self


class DispatchConfig(_Strict):
    """Where crawls run: in the scheduler's own subprocesses, or on workers behind a queue."""

    mode: Literal["embedded", "queue"] = "embedded"
    broker_url: str = "redis://localhost:6379/0"
    # Redis key prefix: several deployments can share one Redis.
    namespace: str = Field(default="newswatch", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    queue: str = Field(default="crawl", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    # A worker silent this long is dead: its job is re-delivered and its source locks expire.
    worker_timeout: Duration = timedelta(seconds=60)
    # How long an idle worker sleeps at most between looks at the queue.
    poll: Duration = timedelta(milliseconds=50)
    # Crawls the scheduler has on workers at once (each waited for by one thread).
    max_in_flight: int = Field(default=64, gt=0)


class ApiConfig(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(default=8000, gt=0, lt=65536)
    api_key: str | None = None
    # Saving searches and alerts from the app and the API; off when unset.
    editor_key: str | None = None
    cors_origins: list[str] = []
    max_page_size: int = Field(default=100, gt=0)
    max_query_chars: int = Field(default=1000, gt=0)


class Config(_Strict):
    state_dir: Path = Path("data")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    topics: list[Topic] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    # OPML or CSV files of more sources (crawler/config/sourcefiles.py), relative to the
    # config file; load_config adds their sources to `sources`.
    source_files: list[Path] = []
    index: IndexConfig = IndexConfig()
    crawl: CrawlConfig = CrawlConfig()
    scheduler: SchedulerConfig = SchedulerConfig()
    dispatch: DispatchConfig = DispatchConfig()
    api: ApiConfig = ApiConfig()
    alerts: AlertsConfig = AlertsConfig()

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        for kind, names in (
            ("topics", [t.name for t in self.topics]),
            ("sources", [s.name for s in self.sources]),
        ):
            seen: set[str] = set()
            for name in names:
                if name in seen:
                    raise ValueError(f"{kind}: the name {name!r} is used twice")
                seen.add(name)
        self.alerts.check_topics({t.name for t in self.topics})
        return self

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Config:
        # Frozen and never changed once validated: Scrapy copies its settings (which
        # carry the config) for every crawler, and a copy of thousands of sources
        # would cost each poll of the crawl engine milliseconds.
        return self

    def topic(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(name)

    def source(self, name: str) -> Source:
        for source in self.sources:
            if source.name == name:
                return source
        raise KeyError(name)
