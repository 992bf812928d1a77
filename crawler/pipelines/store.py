"""De-duplicate and index each kept article, and remember every URL the crawl judged."""

from __future__ import annotations

import logging
import time
from contextlib import ExitStack
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor
from twisted.internet.threads import deferToThreadPool
from twisted.python.threadpool import ThreadPool

from crawler.crawl.seen import SeenState
from crawler.dedup import DedupInputError, Deduplicator
from crawler.index import make_backend
from crawler.index.sqlite import IndexLockedError

if TYPE_CHECKING:
    from typing import Any, Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.config import Config
    from crawler.index import IndexBackend
    from crawler.items import Article

logger = logging.getLogger(__name__)

# Deduplicator actions -> the stats keys the crawl summary reads.
# Another crawl holding the dedup lock for long (a big batch, a slow cluster) is
# not a reason to lose a story: the decision is tried again, then counted.
LOCK_ATTEMPTS = 3
LOCK_ERRORS: tuple[type[Exception], ...] = (TimeoutError, IndexLockedError)


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

    The backend also holds the seen-URL state (`self.seen`), which the spider
    shares: an off-topic page is remembered as judged (no story id) when it is
    dropped, a kept one with its story id once it is stored.

    De-duplication and indexing run in one worker thread, in arrival order: a
    durable write waits for fsync (embedded) or for the cluster, and meanwhile
    the reactor thread keeps downloading and extracting. One thread keeps the
    dedup decisions serial, as the backends' dedup_lock expects.
    """

    def __init__(self, config: Config, stats: StatsCollector | None, seen_batch: int) -> None:
        self.config = config
        self.stats = stats
        self.seen_batch = seen_batch
        self.backend: IndexBackend | None = None
        self.dedup: Deduplicator | None = None
        self.seen: SeenState | None = None
        self.pool: ThreadPool | None = None
        # Decisions batched under one held dedup lock (backends whose puts are
        # durable inside it): one lease and one publishing flush per batch.
        self.pending = 0  # items handed to the worker and not yet stored
        self._batch: ExitStack | None = None
        self._batch_started = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("STORE_PIPELINE_ENABLED", True):
            raise NotConfigured("STORE_PIPELINE_ENABLED is off")
        config = settings.get("NEWSWATCH_CONFIG")
        if config is None:
            raise NotConfigured("no NEWSWATCH_CONFIG: no index to store into")
        pipeline = cls(config, crawler.stats, settings.getint("STORE_SEEN_BATCH", 100))
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self) -> None:
        self.backend = make_backend(self.config)
        self.backend.open()
        self.dedup = Deduplicator(self.backend)
        self.seen = SeenState(self.backend, batch=self.seen_batch)
        self.pool = ThreadPool(minthreads=1, maxthreads=1, name="newswatch-store")
        self.pool.start()
        # A crawl stopped while still opening never calls close_spider, and a
        # live worker thread would keep the process from exiting.
        # (twisted's interface stub types the event type as a callable)
        reactor.addSystemEventTrigger("during", "shutdown", self._stop_pool)  # type: ignore[arg-type]

    def _stop_pool(self) -> None:
        if self.pool is not None and self.pool.started:
            self.pool.stop()

    def close_spider(self) -> None:
        self._stop_pool()  # Scrapy closes the spider once every item is processed
        if self.backend is None:
            return
        try:
            self._end_batch()
            if self.seen is not None:
                self.seen.flush()
            self.backend.flush()
            self._copy_stats()
        finally:
            self.backend.close()

    async def process_item(self, item: Article) -> Article:
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
        self._inc(ACTION_KEYS.get(action, f"dedup/{action}"))

    def store(self, item: Article) -> str:
        """De-duplicate, index and remember one article (in the worker thread)."""
        assert self.dedup is not None and self.seen is not None
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
        self.seen.mark(item.url, story_id=outcome.story_id, listed_updated=item.listed_updated)
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

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def _copy_stats(self) -> None:
        # Backend and dedup counters (index/errors/429, dedup/match/near, ...)
        # end up next to the crawl's own, in one place for the summary.
        if self.stats is None:
            return
        sources = [getattr(self.backend, "stats", None)]
        if self.dedup is not None:
            sources.append({k: v for k, v in self.dedup.stats.items() if "/match/" in k})
        for counters in sources:
            if isinstance(counters, dict):
                for key, value in counters.items():
                    if isinstance(value, int | float):
                        self.stats.set_value(key, value)
