"""De-duplicate each article, decide its story's topics, index it, remember every URL judged."""

from __future__ import annotations

import functools
import logging
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.base.time import isoformat_utc
from crawler.dedup import DedupInputError, Deduplicator
from crawler.dedup.rejudge import rejudge_stories
from crawler.extensions.seenurls import SeenUrlsExtension
from crawler.furniture import MIN_PAGES, FurnitureLearner
from crawler.index import make_backend
from crawler.index.errors import IndexLocked
from crawler.topics import TopicMatcher

if TYPE_CHECKING:
    from typing import Any, Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.config import Config
    from crawler.crawl.seen import SeenUrls
    from crawler.index import IndexBackend
    from crawler.index.held import HeldPages
    from crawler.items import Article

logger = logging.getLogger(__name__)

# Deduplicator actions -> the stats keys the crawl summary reads.
# Another crawl holding the dedup lock for long (a big batch, a slow cluster) is
# not a reason to lose a story: the decision is tried again, then counted.
LOCK_ATTEMPTS = 3
LOCK_ERRORS: tuple[type[Exception], ...] = (IndexLocked,)


class NotStored(DropItem):
    """Dropped for now, not judged: the page stays unseen and is fetched again."""


# A batch ends when no item waits, or after this long: another crawl waiting for
# the lock, and searches, see the decisions at most this late.
BATCH_SECONDS = 1.0

ACTION_KEYS = {
    "new": "dedup/new",
    "copy": "dedup/copies_merged",
    "updated": "dedup/updated",
    "unchanged": "dedup/unchanged",
}


class StorePipeline:
    """Opens the configured index backend for the crawl, like Scrapy's MongoPipeline.

    Topics belong to the story, so they are decided after dedup, under its lock
    (crawler/dedup/README.md): a copy joins its story whatever its own text says,
    and a page that joins no story and matches no topic is dropped as off-topic
    and held (not indexed) in case a later copy makes its story on-topic.

    Every judged page is marked in the crawl's seen-URL state (SeenUrlsExtension,
    shared with the spider): an off-topic page as judged (no story id) when it
    is dropped, a kept one with its story id once it is stored.

    De-duplication and indexing run in one worker thread, in arrival order: a
    durable write waits for fsync (embedded) or for the cluster, and meanwhile
    the reactor thread keeps downloading and extracting. One thread keeps the
    dedup decisions serial, as the backends' dedup_lock expects.
    """

    def __init__(
        self,
        config: Config,
        stats: StatsCollector | None,
        seen: SeenUrls | None,
        topics: TopicMatcher | None = None,
        held_days: float = 7.0,
        held_max: int = 100_000,
        furniture_min_pages: int = MIN_PAGES,
    ) -> None:
        self.config = config
        self.stats = stats
        self.seen = seen  # None: no seen state in this crawl (SEEN_URLS_ENABLED off)
        self.topics = topics  # None: every page is kept, untagged
        self.held_days = held_days
        self.held_max = held_max
        self.furniture_min_pages = furniture_min_pages
        self.backend: IndexBackend | None = None
        self.held: HeldPages | None = None
        self.dedup: Deduplicator | None = None
        self.pool: ThreadPool | None = None
        # Decisions batched under one held dedup lock (backends whose puts are
        # durable inside it): one lease and one publishing flush per batch.
        self.pending = 0  # items handed to the worker and not yet stored
        # Stories this crawl stored: judged again when it ends (_rejudge_stories).
        self.stored_stories: set[str] = set()
        self._batch: ExitStack | None = None
        self._batch_started = 0.0
        self._trigger: object | None = None
        # Open the index at the first item, not at the start: most polls store nothing.
        self.lazy = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("STORE_PIPELINE_ENABLED", True):
            raise NotConfigured("STORE_PIPELINE_ENABLED is off")
        config = settings.get("NEWSWATCH_CONFIG")
        if config is None:
            raise NotConfigured("no NEWSWATCH_CONFIG: no index to store into")
        topics = None
        if settings.getbool("STORE_TOPICS_ENABLED", True):
            chosen = set(settings.getlist("NEWSWATCH_TOPICS"))
            topics = topic_matcher(
                tuple((t.name, t.query) for t in config.topics if not chosen or t.name in chosen)
            )
        pipeline = cls(
            config,
            crawler.stats,
            SeenUrlsExtension.of(crawler),
            topics,
            held_days=settings.getfloat("STORE_HELD_DAYS", 7.0),
            held_max=settings.getint("STORE_HELD_MAX", 100_000),
            furniture_min_pages=settings.getint("FURNITURE_MIN_PAGES", MIN_PAGES),
        )
        pipeline.lazy = settings.getbool("NEWSWATCH_LAZY_STORES")
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        if not self.lazy:
            self._open()

    def _open(self) -> None:
        self.backend = make_backend(self.config)
        self.backend.open()
        # Off-topic pages are held only where topics decide what is kept.
        self.held = self.backend.held_pages() if self.topics is not None else None
        self.dedup = Deduplicator(self.backend, topics=self.topics, held=self.held)
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="newswatch-store")
        self.pool.start()
        # A crawl stopped while still running never calls close_spider, and a
        # live worker thread would keep the process from exiting.
        # (twisted's interface stub types the event type as a callable)
        self._trigger = reactor.addSystemEventTrigger("during", "shutdown", self._stop_pool)  # type: ignore[arg-type]

    def _stop_pool(self) -> None:
        if self.pool is not None and self.pool.started:
            self.pool.stop()

    def close_spider(self) -> None:
        self._stop_pool()  # Scrapy closes the spider once every item is processed
        if self._trigger is not None:
            # In the crawl engine the reactor outlives this crawl: drop its trigger.
            reactor.removeSystemEventTrigger(self._trigger)  # type: ignore[call-arg,misc]  # as above
            self._trigger = None
        if self.backend is None:
            return
        try:
            self._end_batch()
            self._rejudge_stories()
            self.backend.flush()
            self._prune_held()
            self._copy_stats()
        finally:
            self.backend.close()

    async def process_item(self, item: Article) -> Article:
        if self.backend is None:
            self._open()
        assert self.pool is not None
        self.pending += 1
        try:
            action = await maybe_deferred_to_future(
                deferToThreadPool(reactor, self.pool, self.store, item)
            )
        except DedupInputError as exc:
            self._inc("crawl/dropped/no_text")
            raise DropItem(f"no text to de-duplicate: {exc}") from None
        except LOCK_ERRORS as exc:
            # Not marked seen: the next crawl fetches the page again.
            self._inc("crawl/errors/index_locked")
            logger.error("%s: not stored, the index stayed locked: %s", item.url, exc)
            raise NotStored(f"index locked: {exc}") from None
        self.count_outcome(action)
        return item

    def count_outcome(self, action: str) -> None:
        """Count a stored page's action; drop (and count) an off-topic one.

        A dropped page is logged in one line by crawler.logformatter and marked
        seen, without a story, by `item_dropped`.
        """
        if action == "off_topic":
            self._inc("crawl/dropped/off_topic")
            raise DropItem("off-topic")
        self._inc(ACTION_KEYS.get(action, f"dedup/{action}"))

    def store(self, item: Article) -> str:
        """De-duplicate, index and remember one article (in the worker thread)."""
        assert self.dedup is not None
        try:
            for attempt in range(1, LOCK_ATTEMPTS + 1):
                try:
                    self._start_batch()
                    outcome = self.dedup.add(item)
                    break
                except LOCK_ERRORS as exc:
                    if attempt == LOCK_ATTEMPTS:
                        raise
                    self._inc("dedup/lock_retries")
                    logger.warning("%s: index locked (%s); trying again", item.url, exc)
        finally:
            self.pending -= 1
            if not self.pending or time.monotonic() - self._batch_started > BATCH_SECONDS:
                self._end_batch()
        if outcome.joined:
            # Held pages of earlier fetches that joined this page's new story.
            self._inc("dedup/copies_merged", outcome.joined)
        if outcome.story_id is not None:
            self.stored_stories.add(outcome.story_id)
        if outcome.story_id is not None and self.seen is not None:
            self.seen.mark(item.url, story_id=outcome.story_id, listed_updated=item.listed_updated)
        for name in item.topics:  # the story's topics, decided under the dedup lock
            self._inc(f"crawl/topics/{name}")
        return outcome.action

    def _start_batch(self) -> None:
        assert self.backend is not None
        if self._batch is None and self.backend.durable_inside_lock:
            batch = ExitStack()
            batch.enter_context(self.backend.dedup_lock())
            self._batch, self._batch_started = batch, time.monotonic()

    def _end_batch(self) -> None:
        """Release the lock held across decisions: other crawls see them from now on."""
        batch, self._batch = self._batch, None
        if batch is not None:
            batch.close()

    def item_dropped(self, item: Any, response: Any, exception: Exception) -> None:
        if self.seen is None or not hasattr(item, "url") or isinstance(exception, NotStored):
            return
        self.seen.mark(item.url, listed_updated=getattr(item, "listed_updated", None))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, count)

    def _rejudge_stories(self) -> None:
        """Judge this crawl's stories again with the furniture its later pages taught.

        A page is cleaned with what its outlet had taught when it arrived: an
        outlet's first pages, and lines it rotates among (one newsletter of several),
        keep furniture that only later pages reveal (crawler/dedup/rejudge.py).
        """
        if not self.stored_stories or self.topics is None or self.backend is None:
            return
        learner = FurnitureLearner(self.backend.furniture_store(), self.furniture_min_pages)
        try:
            counts = rejudge_stories(self.backend, self.stored_stories, learner.strip, self.topics)
        except Exception as exc:  # the stories stand as decided; the next copy re-decides
            self._inc("dedup/errors/rejudge")
            logger.warning("stories not judged again: %s: %s", type(exc).__name__, exc)
            return
        for key, count in counts.items():
            self._inc(key, count)

    def _prune_held(self) -> None:
        """Held pages wait a bounded time and number: a copy comes within days or never."""
        if self.held is None:
            return
        cutoff = isoformat_utc(datetime.now(UTC) - timedelta(days=self.held_days))
        assert cutoff is not None
        try:
            pruned = self.held.prune(cutoff, self.held_max)
        except Exception as exc:  # maintenance: retried at the next crawl's end
            self._inc("dedup/errors/held_prune")
            logger.warning("held pages not pruned: %s: %s", type(exc).__name__, exc)
            return
        if pruned:
            logger.info(
                "held pages: %d older than %g days or beyond the newest %d pruned",
                pruned,
                self.held_days,
                self.held_max,
            )
            self._inc("dedup/held/pruned", pruned)

    def _copy_stats(self) -> None:
        # Backend and dedup counters (index/errors/429, dedup/match/near, ...)
        # end up next to the crawl's own, in one place for the summary.
        if self.stats is None:
            return
        sources = [getattr(self.backend, "stats", None)]
        if self.dedup is not None:
            sources.append({k: v for k, v in self.dedup.stats.items() if _copied(k)})
        for counters in sources:
            if isinstance(counters, dict):
                for key, value in counters.items():
                    if isinstance(value, int | float):
                        self.stats.set_value(key, value)


@functools.lru_cache(maxsize=16)
def topic_matcher(topics: tuple[tuple[str, str], ...]) -> TopicMatcher:
    """The compiled topic queries, once per process: the crawl engine runs a crawl per poll."""
    return TopicMatcher(dict(topics))


def _copied(key: str) -> bool:
    """Dedup counters the crawl summary shows beside the crawl's own."""
    return "/match/" in key or "/held/" in key or "/signatures/" in key
