"""Article extraction off the reactor thread, in worker processes that use every core.

Extraction (lxml parsing plus trafilatura) is CPU-bound Python: run on the
reactor thread, it caps a crawl at one core and stalls downloads while it runs.
The pool hands each page's HTML to a worker process and awaits the result, so
the reactor keeps downloading, and de-duplication in the crawl process overlaps
with extraction in the workers.

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

from crawler.extract import extract_article

if TYPE_CHECKING:
    from crawler.extract import ExtractedPage

logger = logging.getLogger(__name__)

# Imported once in the forkserver, so each worker starts with them loaded.
PRELOAD = ["crawler.extract"]


def default_processes() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ExtractionPool:
    """Runs `extract_article` in `processes` worker processes, or inline when 0."""

    def __init__(self, processes: int, min_text_chars: int) -> None:
        self.processes = processes
        self.min_text_chars = min_text_chars
        self._executor: ProcessPoolExecutor | None = None

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
