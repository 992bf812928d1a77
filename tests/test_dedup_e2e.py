"""End to end: crawls of the local news web index one story per ground-truth story, with
every copy listed on it, on both backends, also when two crawls run at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from crawler.config import load_config
from crawler.dedup.reconcile import reconcile
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from crawler.story import Story
from tests.fixtures.newsweb import world_config

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb

REPO = Path(__file__).resolve().parents[1]
# Two crawls at once: each takes half of the outlets, so copies of one story
# arrive from both processes.
HALVES = (("newsmix", "frontline", "ledger"), ("wire", "observer", "metro"))


@pytest.fixture(params=["embedded", "elasticsearch"])
def config(request: pytest.FixtureRequest, newsweb_fresh: NewsWeb, tmp_path: Path) -> Path:
    if request.param == "embedded":
        return world_config(newsweb_fresh, tmp_path)
    return world_config(
        newsweb_fresh,
        tmp_path,
        backend="elasticsearch",
        es_url=request.getfixturevalue("es_url"),
        index_prefix=request.getfixturevalue("es_prefix"),
    )


def start_crawl(config: Path, sources: tuple[str, ...] = ()) -> subprocess.Popen[str]:
    args = [arg for source in sources for arg in ("--source", source)]
    return subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> dict[str, Any]:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr[-3000:]
    return json.loads(stdout.strip().splitlines()[-1])


def check_one_story_per_story(config: Path, web: NewsWeb, summaries: list[dict]) -> None:
    """Every crawlable copy is on the story of its ground-truth story, and nowhere else."""
    world = web.world
    truth = {web.copy_url(c): c.story_id for c in world.copies if c.crawlable}
    with make_backend(load_config(config)) as backend:
        stories = list(backend.export(SearchRequest()))
        assert len(stories) == len(world.on_topic_stories())
        for story in stories:
            urls = [c.url for c in story.copies]
            assert len(urls) == len(set(urls)), story.id
            story_ids = {truth[url] for url in urls}
            assert len(story_ids) == 1, f"{story.id} mixes stories {story_ids}"
            (story_id,) = story_ids
            wanted = {url for url, sid in truth.items() if sid == story_id}
            missing = {url: where(stories, url) for url in wanted - set(urls)}
            assert not missing, (story_id, missing, summaries)
            original = world.original(story_id)
            assert story.url == web.copy_url(original), story_id
            assert story.outlet_count == len(
                {c.outlet for c in world.copies_of(story_id) if c.crawlable}
            )
        # Nothing left split, nothing wrongly merged: reconciling changes nothing.
        assert reconcile(backend).merged == []


def where(stories: list[Story], url: str) -> list[str]:
    return [story.id for story in stories if url in story.copy_urls]


def test_a_crawl_indexes_one_story_per_story_with_every_copy(config: Path, newsweb_fresh) -> None:
    summary = finish(start_crawl(config))
    assert summary["copies_merged"] > 0
    check_one_story_per_story(config, newsweb_fresh, [summary])


def test_two_crawls_at_once_end_with_one_story_per_story(config: Path, newsweb_fresh) -> None:
    crawls = [start_crawl(config, half) for half in HALVES]
    summaries = [finish(crawl) for crawl in crawls]
    assert all(s["stories_new"] + s["copies_merged"] > 0 for s in summaries)
    check_one_story_per_story(config, newsweb_fresh, summaries)
