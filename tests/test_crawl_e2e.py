"""End to end: `python -m crawler crawl` on the local mock news web, checked on its ground truth.

Each crawl runs as a subprocess (a Twisted reactor cannot restart inside one
pytest process) and ends stdout with the JSON summary line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from crawler.config import load_config
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from crawler.story import Story
from tests.fixtures.newsweb import world_config
from tests.harness.newsweb import teasers

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb
    from tests.harness.newsweb.model import Copy

REPO = Path(__file__).resolve().parents[1]
SUMMARY_KEYS = {
    "sources",
    "pages_fetched",
    "articles_extracted",
    "stories_new",
    "stories_updated",
    "copies_merged",
    "unchanged",
    "seen_skipped",
    "dropped",
    "errors",
    "finished_reason",
    "hints",
}
# What each bad case of the mock web must end as: (group, key) in the summary.
BAD_CASE_COUNTERS = {
    "not_found": ("errors", "http_404"),
    "server_error": ("errors", "http_500"),
    "slow": ("errors", "timeout"),
    "redirect_loop": ("errors", "redirect_loop"),
    "offsite_redirect": ("dropped", "offsite_redirect"),
    "binary_png": ("dropped", "binary"),
    "binary_pdf": ("dropped", "binary"),
    "oversized": ("dropped", "too_large"),
    "oversized_stream": ("dropped", "too_large"),
    "malformed_feed": ("errors", "malformed_feed"),
    "truncated_sitemap": ("errors", "truncated_sitemap"),
}
NOT_ARTICLE_REASONS = {"not_article", "too_short"}


@dataclass
class CrawlRun:
    returncode: int
    summary: dict[str, Any]
    stdout: str
    log: str


def crawl(config: Path, *args: str) -> CrawlRun:
    process = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = process.stdout.strip().splitlines()
    assert lines, f"no output; stderr ends:\n{process.stderr[-3000:]}"
    return CrawlRun(process.returncode, json.loads(lines[-1]), process.stdout, process.stderr)


def stories_of(config: Path) -> list[Story]:
    with make_backend(load_config(config)) as backend:
        return list(backend.export(SearchRequest()))


def story_with(stories: list[Story], web: NewsWeb, copy: Copy) -> Story | None:
    url = web.copy_url(copy)
    return next((s for s in stories if url in s.copy_urls), None)


def iso(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def article_hits(web: NewsWeb) -> dict[str, int]:
    return {web.copy_url(c): web.hit_count(web.copy_url(c)) for c in web.world.copies}


@pytest.fixture(scope="module")
def full_crawl(newsweb: NewsWeb, tmp_path_factory: pytest.TempPathFactory):
    """One crawl of every outlet through feeds, sitemaps and homepages."""
    newsweb.reset()
    config = world_config(newsweb, tmp_path_factory.mktemp("full"))
    run = crawl(config)
    return config, run, stories_of(config)


def test_crawl_exits_zero_with_the_json_summary(full_crawl) -> None:
    _, run, _ = full_crawl
    assert run.returncode == 0, run.log[-3000:]
    assert set(run.summary) == SUMMARY_KEYS
    assert run.summary["finished_reason"] == "finished"
    assert run.summary["sources"] == ["newsmix", "frontline", "ledger", "wire", "observer", "metro"]
    # the human summary goes to stderr when --json is given, progress lines too
    assert "Crawl finished (finished)" in run.log


def test_every_on_topic_story_is_found_with_its_metadata(full_crawl, newsweb: NewsWeb) -> None:
    _, run, stories = full_crawl
    world = newsweb.world
    wanted = world.on_topic_stories()
    assert len(stories) == len(wanted)
    for story in wanted:
        original = world.original(story.id)
        found = story_with(stories, newsweb, original)
        assert found is not None, f"{story.id} ({newsweb.copy_url(original)}) not indexed"
        assert found.title == original.title, story.id
        assert found.published == iso(original.published), story.id
        assert found.authors == original.authors, story.id
        assert found.outlet == world.outlet(original.outlet).name, story.id
        assert "dprk-russia-war" in found.topics
        for paragraph in original.paragraphs:
            assert paragraph in found.text, (story.id, paragraph)
        crawlable = [c for c in world.copies_of(story.id) if c.crawlable]
        assert found.outlet_count == len({c.outlet for c in crawlable}), story.id


def test_no_furniture_line_reaches_a_story_text(full_crawl, newsweb: NewsWeb) -> None:
    _, _, stories = full_crawl
    for story in stories:
        lines = set(story.text.splitlines())
        for copy in newsweb.world.copies_of(_story_id(newsweb, story)):
            leaked = [f for f in copy.furniture if f in lines or f"\n{f}" in story.text]
            assert not leaked, (story.url, leaked)
        assert "Also read" not in story.text, story.url


def _story_id(web: NewsWeb, story: Story) -> str:
    for copy in web.world.copies:
        if web.copy_url(copy) in story.copy_urls:
            return copy.story_id
    raise AssertionError(f"{story.url} is no copy of the ground truth")


def test_no_off_topic_story_is_indexed(full_crawl, newsweb: NewsWeb) -> None:
    _, run, stories = full_crawl
    indexed = {url for story in stories for url in story.copy_urls}
    for story in newsweb.world.off_topic_stories():
        for copy in newsweb.world.copies_of(story.id):
            assert newsweb.copy_url(copy) not in indexed, copy.path
    assert run.summary["dropped"]["off_topic"] > 0


def test_polite_crawler_skips_disallowed_old_and_offsite_pages(
    full_crawl, newsweb: NewsWeb
) -> None:
    _, run, stories = full_crawl
    indexed = {url for story in stories for url in story.copy_urls}
    for copy in newsweb.world.copies:
        if copy.skip_reason is not None:
            assert newsweb.copy_url(copy) not in indexed, (copy.path, copy.skip_reason)
        if copy.skip_reason == "robots":
            assert newsweb.hit_count(newsweb.copy_url(copy)) == 0, copy.path
    offsite = [p for p in newsweb.world.special_pages if p.kind == "offsite_target"]
    for page in offsite:
        assert newsweb.hit_count(page.outlet, page.path) == 0
    assert run.summary["dropped"]["robots_txt"] >= 1


def test_every_bad_case_is_logged_with_its_url_and_counted(full_crawl, newsweb: NewsWeb) -> None:
    _, run, _ = full_crawl
    expected: dict[tuple[str, str], int] = {}
    for page in newsweb.world.special_pages:
        if page.outlet not in newsweb.bases:
            continue  # the off-site host: never fetched (see the politeness test)
        url = newsweb.url(page.outlet, page.path)
        if page.kind in BAD_CASE_COUNTERS:
            group, key = BAD_CASE_COUNTERS[page.kind]
            if page.kind == "redirect_loop" and not page.listed:
                continue  # the other end of the loop is reached through the first
            expected[(group, key)] = expected.get((group, key), 0) + 1
            assert url in run.log, f"{page.kind}: {url} not in the log"
        elif page.kind in ("video", "paywall"):
            assert url in run.log, f"{page.kind}: {url} not in the log"
    for (group, key), count in expected.items():
        assert run.summary[group].get(key, 0) >= count, (group, key, run.summary[group])
    not_articles = sum(run.summary["dropped"].get(r, 0) for r in NOT_ARTICLE_REASONS)
    assert not_articles >= sum(p.kind in ("video", "paywall") for p in newsweb.world.special_pages)


def teaser_matches(stories: list[Story], web: NewsWeb) -> dict[str, str]:
    """How each copy of the teaser story joined the story of its original: variation -> match."""
    world = web.world
    story = story_with(stories, web, world.original(teasers.STORY_ID))
    assert story is not None, "the teaser story was not indexed"
    by_url = {c.url: c.match for c in story.copies}
    copies = world.copies_of(teasers.STORY_ID)
    return {c.variation: by_url.get(web.copy_url(c), "missing") for c in copies}


def test_teasers_without_topic_words_join_their_story(full_crawl, newsweb: NewsWeb) -> None:
    _, _, stories = full_crawl
    matches = teaser_matches(stories, newsweb)
    # The two teasers carry the same text: whichever comes second may match the first.
    assert matches["teaser_canonical"] in ("canonical", "exact")
    assert matches["teaser_no_canonical"] in ("near", "exact")


def test_teasers_crawled_before_their_original_join_it_in_a_later_crawl(
    newsweb: NewsWeb, tmp_path: Path
) -> None:
    """Two crawls, two processes: the teasers are held, then the original makes the story."""
    teaser_outlets = [outlet for outlet, *_ in teasers.TEASERS]
    first = crawl(world_config(newsweb, tmp_path, sources=teaser_outlets, entry_points=("feeds",)))
    assert first.returncode == 0, first.log[-3000:]
    assert first.summary["dropped"]["off_topic"] >= 2
    teaser_urls = {newsweb.copy_url(c) for c in newsweb.world.copies_of(teasers.STORY_ID)[1:]}
    config = world_config(newsweb, tmp_path, sources=[teasers.ORIGIN], entry_points=("feeds",))
    assert not teaser_urls & {u for s in stories_of(config) for u in s.copy_urls}

    second = crawl(config)
    assert second.returncode == 0, second.log[-3000:]
    matches = teaser_matches(stories_of(config), newsweb)
    assert matches == {
        "original": "original",
        "teaser_canonical": "canonical",
        "teaser_no_canonical": "near",
    }
    assert second.summary["copies_merged"] >= 2


@pytest.mark.parametrize("entry_point", ["feeds", "sitemaps", "homepages"])
def test_each_entry_point_alone_finds_its_stories(
    entry_point: str, newsweb: NewsWeb, tmp_path: Path
) -> None:
    outlets = ["newsmix", "frontline", "ledger", "wire", "observer"]  # metro: the bad cases
    config = world_config(newsweb, tmp_path, sources=outlets, entry_points=(entry_point,))
    run = crawl(config)
    assert run.returncode == 0, run.log[-3000:]
    stories = stories_of(config)
    world = newsweb.world
    # Homepages advertise their feed, so they reach what the feeds list.
    listed_only = entry_point in ("feeds", "homepages")
    for story in world.on_topic_stories():
        reachable = [
            c
            for c in world.copies_of(story.id)
            if c.crawlable and c.outlet in outlets and (c.in_feed or not listed_only)
        ]
        if reachable:
            assert any(story_with(stories, newsweb, c) for c in reachable), story.id
    off_topic_urls = {
        newsweb.copy_url(c) for s in world.off_topic_stories() for c in world.copies_of(s.id)
    }
    assert not off_topic_urls & {u for s in stories for u in s.copy_urls}


def test_second_crawl_fetches_no_article_again_and_updates_in_place(
    newsweb_fresh: NewsWeb, tmp_path: Path
) -> None:
    web = newsweb_fresh
    config = world_config(web, tmp_path, sources=["frontline", "observer", "newsmix"])
    first = crawl(config)
    assert first.returncode == 0
    assert first.summary["stories_new"] > 0
    count = len(stories_of(config))
    hits = article_hits(web)

    second = crawl(config)
    assert second.returncode == 0
    assert second.summary["articles_extracted"] == 0
    assert second.summary["stories_new"] == 0
    assert article_hits(web) == hits, "an article page was fetched again"
    assert "Not modified since the last crawl" in second.log

    web.advance()
    updated = [c for c in web.world.copies if c.update_paragraph and c.outlet == "frontline"]
    assert updated, "the mock web has no updated_in_place story on this outlet"
    third = crawl(config)
    assert third.returncode == 0
    assert third.summary["stories_updated"] >= 1
    stories = stories_of(config)
    assert len(stories) == count  # updated in place, not a new story
    after = article_hits(web)
    for copy in updated:
        url = web.copy_url(copy)
        assert after[url] == hits[url] + 1, f"{url} was not fetched again"
        story = story_with(stories, web, copy)
        assert story is not None and copy.update_paragraph in story.text
    refetched = {u for u in after if after[u] != hits[u]}
    assert refetched <= {web.copy_url(c) for c in web.world.copies if c.update_paragraph}


def test_unknown_source_is_a_config_error(newsweb: NewsWeb, tmp_path: Path) -> None:
    config = world_config(newsweb, tmp_path, sources=["wire"])
    process = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--source", "nope"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 2
    assert "--source 'nope' is not configured" in process.stderr
