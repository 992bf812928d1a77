"""Article extraction and dedup signing off the reactor thread, in worker processes.

Extraction (lxml parsing plus trafilatura) and the dedup signature (normalised
paragraphs, content hash, MinHash band keys) are CPU-bound Python: run in the
crawl process, they cap a crawl at one core and stall downloads while they run.
The crawl has one pool (`ExtractionPool.of(crawler)`): the spider hands it each
page's HTML, and the step that last changes the text (the furniture pipeline)
has it sign that text, so the reactor keeps downloading and the crawl process's
one writer to the index only looks up and stores.

Workers start from a forkserver (never a fork of the crawl process, whose
reactor and store threads must not be copied) on the first page, so a crawl
that finds no article pays nothing.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from scrapy import signals

from crawler.dedup.signature import DedupSignature, sign
from crawler.extract import extract_article

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from crawler.extract import ExtractedPage

logger = logging.getLogger(__name__)

# Imported once in the forkserver, so each worker starts with them loaded.
PRELOAD = ["crawler.extract", "crawler.dedup.signature"]


def default_processes() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ExtractionPool:
    """Runs extraction and signing in `processes` worker processes, or inline when 0."""

    def __init__(self, processes: int, min_text_chars: int) -> None:
        self.processes = processes
        self.min_text_chars = min_text_chars
        self._executor: ProcessPoolExecutor | None = None

    @classmethod
    def of(
        cls, crawler: Crawler, processes: int | None = None, min_text_chars: int | None = None
    ) -> ExtractionPool:
        """The crawl's one pool, made by its first user (from the settings where no
        argument says otherwise) and closed when the spider closes."""
        pool = getattr(crawler, "newswatch_extraction", None)
        if isinstance(pool, ExtractionPool):
            return pool
        settings = crawler.settings
        shared = settings.get("NEWSWATCH_EXTRACTION_POOL")
        if isinstance(shared, ExtractionPool):
            # The crawl engine's warm pool: shared by its polls, closed by the engine.
            crawler.newswatch_extraction = shared  # type: ignore[attr-defined]
            return shared
        if processes is None:
            processes = settings.getint("NEWSWATCH_EXTRACTION_PROCESSES", -1)
        if processes < 0:
            processes = default_processes()
        if min_text_chars is None:
            old = settings.getint("NEWSWATCH_MIN_TEXT_CHARS", 400)  # its name before scripts
            min_text_chars = settings.getint("NEWSWATCH_MIN_TEXT_LENGTH", old)
        pool = cls(processes, min_text_chars)
        crawler.newswatch_extraction = pool  # type: ignore[attr-defined]
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    async def extract(self, html: str, url: str) -> ExtractedPage:
        """The extracted page; raises NotAnArticle as `extract_article` does."""
        if self.processes <= 0:
            return extract_article(html, url, min_text_chars=self.min_text_chars)
        future = self._start().submit(
            extract_article, html, url, min_text_chars=self.min_text_chars
        )
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): this page is extracted here,
            # and the next one gets a fresh pool.
            logger.warning("%s: an extraction worker died; extracting in the crawl process", url)
            self.close()
            return extract_article(html, url, min_text_chars=self.min_text_chars)

    async def sign(self, text: str, url: str) -> DedupSignature:
        """The dedup signature of a text no later step changes."""
        if self.processes <= 0:
            return sign(text)
        try:
            return await asyncio.wrap_future(self._start().submit(sign, text))
        except BrokenProcessPool:
            logger.warning("%s: an extraction worker died; signing in the crawl process", url)
            self.close()
            return sign(text)

    def _start(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(PRELOAD)
            self._executor = ProcessPoolExecutor(self.processes, mp_context=context)
        return self._executor

    def close(self) -> None:
        """Stop the workers; pages still queued are not extracted (the crawl is over)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
