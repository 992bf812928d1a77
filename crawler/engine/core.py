"""The engine proper: polls run as crawlers in this process's one reactor.

Each poll is its own Scrapy `Crawler` (one source, its own settings, time limit,
download slots, robots.txt cache, stats and summary), run by one
`AsyncCrawlerRunner`. What is costly to build lives here once and is shared
by every poll: the extraction worker pool (kept warm), the index connections
(crawler/engine/shared.py) and the imported code.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from typing import TYPE_CHECKING

from scrapy.crawler import AsyncCrawlerRunner, Crawler

from crawler.crawl.extraction import ExtractionPool, default_processes
from crawler.crawl.settings import crawl_settings
from crawler.crawl.summary import CrawlSummary, summarize
from crawler.engine.poll import PollReply
from crawler.engine.settings import PollSettings
from crawler.middlewares.robots import RobotsCache
from crawler.spiders.news import NewsSpider

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.engine.poll import Outcome, PollRequest

logger = logging.getLogger(__name__)

#: A poll still running this long after its time limit (CLOSESPIDER_TIMEOUT) is
#: given up on: reported timed out while its crawler is stopped.
GRACE = 30.0


def cpu_seconds() -> float:
    """CPU time of this process so far (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class CrawlEngine:
    """Runs one crawler per poll in the running reactor (an asyncio one)."""

    def __init__(self, config: Config, *, grace: float = GRACE) -> None:
        self.config = config
        self.grace = grace
        crawl = config.crawl
        processes = (
            default_processes()
            if crawl.extraction_processes == "auto"
            else crawl.extraction_processes
        )
        self.extraction = ExtractionPool(processes, crawl.min_text_length)
        self.runner = AsyncCrawlerRunner()
        self.settings = PollSettings()
        self.settings.setmodule("crawler.settings", priority="project")
        self.robots = RobotsCache(self.settings.getfloat("ROBOTS_CACHE_TTL"))
        self.polls = 0
        self.stuck = 0  # polls given up on whose crawler never ended
        self._running: dict[Crawler, PollRequest] = {}
        self._expired: set[Crawler] = set()

    async def poll(self, request: PollRequest) -> PollReply:
        """Run one poll to its end (or its time limit plus the grace); never raises."""
        self.polls += 1
        started_cpu = cpu_seconds()
        try:
            crawler = self._crawler(request)
        except KeyError as exc:
            return PollReply(request.id, "failed", error=f"not in the engine's config: {exc}")
        task = self.runner.crawl(crawler)
        self._running[crawler] = request
        error: str | None = None
        try:
            await asyncio.wait_for(asyncio.shield(task), request.time_limit + self.grace)
        except TimeoutError:
            self.stuck += 1
            logger.warning(
                "source %s: still running %gs after its time limit; given up on",
                request.source,
                self.grace,
            )
            self._stop(crawler)
        except Exception as exc:  # a crawler that could not start (a component raised)
            logger.exception("source %s: the crawl could not run", request.source)
            error = f"{type(exc).__name__}: {exc}"
        finally:
            del self._running[crawler]
        expired = crawler in self._expired
        self._expired.discard(crawler)
        stats = dict(crawler.stats.get_stats()) if crawler._stats is not None else {}
        summary = summarize(stats, [request.source])
        outcome, reason = judge(summary, expired=expired)
        return PollReply(
            request.id,
            "failed" if error else outcome,
            summary,
            error or reason,
            round(cpu_seconds() - started_cpu, 4),
        )

    def _crawler(self, request: PollRequest) -> Crawler:
        settings = crawl_settings(
            self.config, request.topics or None, [request.source], base=self.settings
        )
        settings.setdict(
            {
                "CLOSESPIDER_TIMEOUT": request.time_limit,
                "LOG_INSTALL_ROOT_HANDLER": False,
                "NEWSWATCH_EXTRACTION_POOL": self.extraction,
                "NEWSWATCH_LAZY_STORES": True,
                "NEWSWATCH_ROBOTS_CACHE": self.robots,
                # The engine watches its own memory (crawler/engine/child.py).
                "MEMUSAGE_ENABLED": False,
                # Scrapy counts records from this level up (log_count/*): only problems.
                "LOG_LEVEL": "DEBUG" if self.config.log_level == "DEBUG" else "WARNING",
            },
            priority="cmdline",
        )
        return Crawler(NewsSpider, settings)

    def expire_all(self) -> None:
        """Stop every running poll now, as if its time limit had passed."""
        for crawler in list(self._running):
            self._stop(crawler)

    def _stop(self, crawler: Crawler) -> None:
        self._expired.add(crawler)
        asyncio.ensure_future(crawler.stop_async())

    async def close(self) -> None:
        """Let running polls end (a given-up one at most `grace` more), then stop the workers."""
        try:
            await asyncio.wait_for(self.runner.join(), self.grace if self.stuck else None)
        except TimeoutError:
            logger.warning("engine: %d crawl(s) would not stop; leaving them", len(self._running))
        self.extraction.close()


def judge(summary: CrawlSummary, *, expired: bool) -> tuple[Outcome, str | None]:
    """A finished poll's outcome and error text, from its summary."""
    reason = summary.get("finished_reason")
    if expired or reason == "closespider_timeout":
        return "timed_out", "stopped at the time limit"
    if reason == "unknown":
        return "failed", "the crawl ended without a finish reason"
    if not summary.get("pages_fetched") and summary.get("errors"):
        # It ran but could not fetch a single page: the source is down, not quiet.
        return "failed", f"no page fetched; errors: {summary['errors']}"
    return "ok", None
