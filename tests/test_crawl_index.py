"""A crawl into each index backend, and a crawl stopped by SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from elasticsearch import Elasticsearch

from crawler.config import load_config
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from tests.fixtures.newsweb import world_config
from tests.test_crawl_e2e import crawl

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb

REPO = Path(__file__).resolve().parents[1]
OUTLET = "frontline"


def expected_urls(web: NewsWeb) -> set[str]:
    """On-topic copies the outlet's feed lists and a polite crawler may index."""
    world = web.world
    on_topic = {s.id for s in world.on_topic_stories()}
    return {
        web.copy_url(c)
        for c in world.copies_on(OUTLET)
        if c.story_id in on_topic and c.crawlable and c.in_feed
    }


def indexed_urls(config: Path) -> tuple[int, set[str]]:
    with make_backend(load_config(config)) as backend:
        stories = list(backend.export(SearchRequest()))
    return len(stories), {u for s in stories for u in s.copy_urls}


def test_one_outlet_feed_into_the_embedded_index(newsweb: NewsWeb, tmp_path: Path) -> None:
    config = world_config(newsweb, tmp_path, sources=[OUTLET], entry_points=("feeds",))
    run = crawl(config)
    assert run.returncode == 0, run.log[-3000:]
    count, urls = indexed_urls(config)
    wanted = expected_urls(newsweb)
    assert wanted and wanted <= urls
    assert count == run.summary["stories_new"]
    assert Path(load_config(config).index.embedded.path).exists()


@pytest.mark.elasticsearch
def test_one_outlet_feed_into_elasticsearch(
    newsweb: NewsWeb, tmp_path: Path, es_url: str, es_prefix: str, es_client: Elasticsearch
) -> None:
    config = world_config(
        newsweb,
        tmp_path,
        backend="elasticsearch",
        es_url=es_url,
        index_prefix=es_prefix,
        sources=[OUTLET],
        entry_points=("feeds",),
    )
    run = crawl(config)
    assert run.returncode == 0, run.log[-3000:]
    count, urls = indexed_urls(config)
    assert expected_urls(newsweb) <= urls
    assert count == run.summary["stories_new"] > 0
    # the documents are in the cluster itself, not only behind the backend
    es_client.indices.refresh(index=f"{es_prefix}*")
    # (the stories alone: the furniture index holds the outlet's learned lines too)
    hits = es_client.search(index=f"{es_prefix}-stories", query={"match_all": {}}, size=100)
    cluster_urls = {u for h in hits["hits"]["hits"] for u in h["_source"].get("copy_urls", [])}
    assert expected_urls(newsweb) <= cluster_urls
    # a second run knows what it fetched: the seen state lives in the cluster too
    again = crawl(config)
    assert again.summary["articles_extracted"] == 0


@contextmanager
def started_crawl(config: Path) -> Iterator[subprocess.Popen[str]]:
    """A crawl subprocess, killed at the end if a failed test left it running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_sigterm_stops_the_crawl_cleanly_with_a_summary(newsweb: NewsWeb, tmp_path: Path) -> None:
    # metro serves the slow page, so the crawl is still running when the signal comes
    config = world_config(newsweb, tmp_path, sources=["metro", "observer"])
    with started_crawl(config) as process:
        for line in process.stderr or ():
            if "Dropped " in line:  # mid-crawl: pages are being judged
                break
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr[-3000:]
    summary = json.loads(stdout.strip().splitlines()[-1])
    assert summary["finished_reason"] == "shutdown"
    assert summary["pages_fetched"] > 0
    assert "Crawl finished (shutdown)" in stderr
    # the pipeline closed the index: what the summary counts as new is stored
    count, _ = indexed_urls(config)
    assert count == summary["stories_new"]


def test_sigterm_while_the_crawl_starts_still_gives_a_summary(
    newsweb: NewsWeb, tmp_path: Path
) -> None:
    config = world_config(newsweb, tmp_path, sources=["observer"])
    with started_crawl(config) as process:
        for line in process.stderr or ():
            if "Spider opened" in line:  # the index is still being opened
                break
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=120)
    assert process.returncode == 0
    assert json.loads(stdout.strip().splitlines()[-1])["finished_reason"] == "shutdown"
