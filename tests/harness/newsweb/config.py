"""Write a newswatch YAML config whose sources are the outlets of a running mock news web."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from crawler.config.load import DEFAULT_CONFIG
from tests.harness.newsweb.client import NewsWeb

ENTRY_POINTS = ("feeds", "sitemaps", "homepages")
# Short limits so the bad cases (slow page, 12 MB page) cost a test seconds, not minutes.
TEST_CRAWL = {
    "download_timeout": "2s",
    "max_response_bytes": 2 * 1024 * 1024,
    "retry_times": 1,
    "concurrent_requests_per_domain": 4,
    "autothrottle": False,
    "time_limit": "5m",
}


def default_topics() -> list[dict[str, str]]:
    """The topics of the shipped default config (North Korea's role in Russia's war)."""
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    return [dict(topic) for topic in raw["topics"]]


def source_entry(
    web: NewsWeb, outlet: str, entry_points: tuple[str, ...] = ENTRY_POINTS
) -> dict[str, Any]:
    unknown = set(entry_points) - set(ENTRY_POINTS)
    if unknown:
        raise ValueError(f"unknown entry points {sorted(unknown)}; expected some of {ENTRY_POINTS}")
    source: dict[str, Any] = {
        "name": outlet,
        "outlet": web.world.outlet(outlet).name,
        "allowed_domains": [web.host(outlet)],
        "max_age": "7d",
    }
    if "feeds" in entry_points:
        source["feeds"] = web.feed_urls(outlet)
    if "sitemaps" in entry_points:
        source["sitemaps"] = [web.sitemap_url(outlet)]
    if "homepages" in entry_points:
        source["homepages"] = [web.homepage_url(outlet)]
    return source


def write_config(
    web: NewsWeb,
    directory: Path,
    backend: str = "embedded",
    es_url: str | None = None,
    index_prefix: str | None = None,
    sources: list[str] | None = None,
    entry_points: tuple[str, ...] = ENTRY_POINTS,
    crawl: dict[str, Any] | None = None,
    topics: list[dict[str, str]] | None = None,
) -> Path:
    """Write `directory/newswatch.yaml` and return its path.

    `sources` picks outlets by key (default: all); `entry_points` which of feeds,
    sitemaps and homepages each source lists; `crawl` overrides crawl settings.
    """
    if backend == "elasticsearch" and not es_url:
        raise ValueError("backend='elasticsearch' needs es_url (the es_url fixture)")
    directory.mkdir(parents=True, exist_ok=True)
    index: dict[str, Any] = {
        "backend": backend,
        "embedded": {"path": str(directory / "newswatch.sqlite3")},
    }
    if es_url:
        index["elasticsearch"] = {"url": es_url}
        if index_prefix:
            index["elasticsearch"]["index_prefix"] = index_prefix
    outlets = sources if sources is not None else [o.key for o in web.world.outlets]
    config = {
        "state_dir": str(directory / "state"),
        "log_level": "INFO",
        "index": index,
        "crawl": {**TEST_CRAWL, **(crawl or {})},
        "topics": topics if topics is not None else default_topics(),
        "sources": [source_entry(web, outlet, entry_points) for outlet in outlets],
    }
    path = directory / "newswatch.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
