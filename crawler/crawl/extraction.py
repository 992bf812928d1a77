"""Article extraction and dedup signing off the reactor thread, in worker processes.

Extraction (lxml parsing plus trafilatura) and the dedup signature (normalised
paragraphs, content hash, MinHash band keys) are CPU-bound Python: run in the
crawl process, they cap a crawl at one core and stall downloads while they run.
The pool hands each page's HTML to a worker process, which returns the page and
its signature, so the reactor keeps downloading and the crawl process's one
writer to the index only looks up and stores.

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

from crawler.dedup.signature import DedupSignature, sign
from crawler.extract import extract_article

if TYPE_CHECKING:
    from crawler.extract import ExtractedPage

logger = logging.getLogger(__name__)

# Imported once in the forkserver, so each worker starts with them loaded.
PRELOAD = ["crawler.extract", "crawler.dedup.signature"]


def extract_and_sign(
    html: str, url: str, min_text_chars: int
) -> tuple[ExtractedPage, DedupSignature]:
    """The extracted page and the dedup signature of its text (one worker call)."""
    page = extract_article(html, url, min_text_chars=min_text_chars)
    return page, sign(page.text)


def default_processes() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ExtractionPool:
    """Runs `extract_and_sign` in `processes` worker processes, or inline when 0."""

    def __init__(self, processes: int, min_text_chars: int) -> None:
        self.processes = processes
        self.min_text_chars = min_text_chars
        self._executor: ProcessPoolExecutor | None = None

    async def extract(self, html: str, url: str) -> tuple[ExtractedPage, DedupSignature]:
        """The extracted page and its signature; raises NotAnArticle as `extract_article` does."""
        if self.processes <= 0:
            return extract_and_sign(html, url, self.min_text_chars)
        future = self._start().submit(extract_and_sign, html, url, self.min_text_chars)
        try:
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): this page is extracted here,
            # and the next one gets a fresh pool.
            logger.warning("%s: an extraction worker died; extracting in the crawl process", url)
            self.close()
            return extract_and_sign(html, url, self.min_text_chars)

    async def sign(self, text: str, url: str) -> DedupSignature:
        """The dedup signature of a text changed after extraction (furniture stripped)."""
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
