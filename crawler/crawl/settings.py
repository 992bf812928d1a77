"""Turn a validated newswatch config (plus the chosen topics/sources) into Scrapy settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.settings import Settings

from crawler.base.urls import host_of
from crawler.crawl.sources import source_domains

if TYPE_CHECKING:
    from crawler.config import Config


def crawl_settings(
    config: Config,
    topics: list[str] | None = None,
    sources: list[str] | None = None,
    base: Settings | None = None,
) -> Settings:
    """The crawler settings module, overridden by `config`.

    `base`: settings already holding the module, copied rather than built again
    (the crawl engine builds them once). Unknown topic or source names raise
    KeyError (the CLI reports them).
    """
    for name in topics or []:
        config.topic(name)
    chosen = [config.source(name) for name in sources] if sources else list(config.sources)
    if base is not None:
        settings = base.copy()
    else:
        settings = Settings()
        settings.setmodule("crawler.settings", priority="project")
    crawl = config.crawl
    settings.setdict(
        {
            "USER_AGENT": crawl.user_agent,
            "ROBOTSTXT_OBEY": crawl.obey_robots_txt,
            "DOWNLOAD_TIMEOUT": crawl.download_timeout.total_seconds(),
            "DOWNLOAD_MAXSIZE": crawl.max_response_bytes,
            "DOWNLOAD_WARNSIZE": crawl.max_response_bytes // 2,
            "CONCURRENT_REQUESTS": crawl.concurrent_requests,
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
            "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
            "RETRY_TIMES": crawl.retry_times,
            "CLOSESPIDER_TIMEOUT": crawl.time_limit.total_seconds(),
            "LOG_LEVEL": config.log_level,
            "NEWSWATCH_CONFIG": config,
            "NEWSWATCH_TOPICS": list(topics or []),
            "NEWSWATCH_SOURCES": [s.name for s in chosen],
            "NEWSWATCH_MIN_TEXT_LENGTH": crawl.min_text_length,
            # -1: one extraction worker per core (crawler.crawl.extraction).
            "NEWSWATCH_EXTRACTION_PROCESSES": (
                -1 if crawl.extraction_processes == "auto" else crawl.extraction_processes
            ),
            "DOWNLOAD_SLOTS": _slots(chosen),
        },
        priority="cmdline",
    )
    return settings


def _slots(sources: list) -> dict[str, dict[str, float]]:
    # A source's crawl delay applies to each of its hosts (Scrapy's download
    # slots are per host name): its entry points' hosts and allowed domains.
    slots: dict[str, dict[str, float]] = {}
    for source in sources:
        delay = source.crawl_delay.total_seconds()
        if delay > 0:
            urls = [*source.feeds, *source.sitemaps, *source.homepages]
            hosts = {host_of(url) for url in urls} | set(source_domains(source))
            for host in sorted(hosts - {""}):
                slots[host] = {"delay": max(delay, slots.get(host, {}).get("delay", 0.0))}
    return slots
