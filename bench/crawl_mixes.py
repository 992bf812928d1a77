"""The two page mixes crawl_throughput.py crawls, each served on loopback while in use.

- small: the mock news web of the test harness (tests.harness.newsweb), ~3 KB
  generated pages, four copies per story;
- realistic: the story web (bench/storyweb): the 80 real pages of
  ../shared/benchmarks/fundus-evaluation (~100 KB each) on their publishers' hosts and
  republished by four syndicators.
"""

from __future__ import annotations

import contextlib
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import yaml

from bench.story_quality import write_config as write_story_config
from bench.storyweb import build_web, load_originals, plan_outlets
from bench.storyweb.server import StoryWebServer
from tests.harness.newsweb.client import NewsWeb, start_newsweb
from tests.harness.newsweb.config import write_config as write_newsweb_config

# The same crawl settings for both mixes; extraction_processes stays at its default
# ("auto": one worker process per core), as a user runs it.
BENCH_CRAWL: dict[str, Any] = {
    "download_timeout": "20s",
    "retry_times": 1,
    "concurrent_requests": 32,
    "concurrent_requests_per_domain": 8,
    "autothrottle": False,
    "time_limit": "60m",
    "max_response_bytes": 2 * 1024 * 1024,
}

# (directory, Elasticsearch URL or None for the embedded index, index prefix) -> config path
Configure = Callable[[Path, "str | None", str], Path]


@dataclass
class Mix:
    name: str
    pages: list[tuple[str, str]]  # every article page: (URL, HTML), fetched outside any timing
    configure: Configure

    @property
    def average_kb(self) -> float:
        return sum(len(html.encode("utf-8")) for _, html in self.pages) / len(self.pages) / 1024


@contextlib.contextmanager
def small_mix(extra_stories: int) -> Iterator[Mix]:
    # The slow page answers at once here: retrying a timeout at the end of the crawl
    # would measure the timeout setting, not the throughput (the tests cover it).
    web = start_newsweb(seed=0, extra_stories=extra_stories, copies_per_story=4, slow_delay=0.1)
    try:

        def configure(directory: Path, es_url: str | None, prefix: str) -> Path:
            if es_url is None:
                return write_newsweb_config(web, directory, crawl=BENCH_CRAWL)
            return write_newsweb_config(
                web,
                directory,
                backend="elasticsearch",
                es_url=es_url,
                index_prefix=prefix,
                crawl=BENCH_CRAWL,
            )

        # Fetching every page first also warms the mock web's page cache, so no
        # contender pays for a page's first rendering.
        yield Mix("small", _newsweb_pages(web), configure)
    finally:
        web.stop()


def _newsweb_pages(web: NewsWeb) -> list[tuple[str, str]]:
    pages = []
    for copy in web.world.copies:
        if copy.crawlable:
            url = web.copy_url(copy)
            with urllib.request.urlopen(url, timeout=30) as response:
                pages.append((url, response.read().decode(copy.charset)))
    return pages


@contextlib.contextmanager
def realistic_mix() -> Iterator[Mix]:
    originals = load_originals()
    with StoryWebServer(plan_outlets(originals)) as server:
        web = build_web(server.bases, seed=0, originals=originals)
        server.publish(web.files)
        pages = []
        for url in web.pages:
            with urllib.request.urlopen(url, timeout=30) as response:
                charset = _charset(response.headers) or "utf-8"
                pages.append((url, response.read().decode(charset, "replace")))

        def configure(directory: Path, es_url: str | None, prefix: str) -> Path:
            directory.mkdir(parents=True, exist_ok=True)
            path = write_story_config(web, directory)
            config = yaml.safe_load(path.read_text(encoding="utf-8"))
            config["crawl"] = BENCH_CRAWL
            if es_url is not None:
                config["index"] = {
                    "backend": "elasticsearch",
                    "elasticsearch": {"url": es_url, "index_prefix": prefix},
                }
            path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
            return path

        yield Mix("realistic", pages, configure)


def _charset(headers: Message) -> str | None:
    return headers.get_content_charset()
