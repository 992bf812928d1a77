"""Two crawls adding copies of the same stories at once end with one story each; reconcile
merges stories that are copies when a decision was ever made without the lock."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

from crawler.base.time import isoformat_utc
from crawler.cli import main as newswatch
from crawler.dedup import Deduplicator
from crawler.dedup import story as stories
from crawler.dedup.normalise import body_paragraphs, body_words, content_hash
from crawler.dedup.reconcile import reconcile
from crawler.dedup.signature import band_keys
from crawler.items import Article
from tests.fixtures.backends import index_settings, open_backend
from tests.test_dedup_corpus import (
    ACCORD_STORY,
    REWRITE_STORY,
    SEED_PARAGRAPHS,
    SHELLS_STORY,
    body,
    light_edit,
    truncated,
)

STORIES = [SEED_PARAGRAPHS, SHELLS_STORY, ACCORD_STORY, REWRITE_STORY]


def copy_of(index: int, outlet: str) -> Article:
    """Outlet `alpha` runs each story as is, `beta` lightly edited: near copies."""
    paragraphs = STORIES[index]
    text = body(paragraphs) if outlet == "alpha" else light_edit(paragraphs)
    url = f"https://{outlet}.example/story-{index}"
    return Article(
        url=url,
        canonical_url=url,
        source=outlet,
        outlet=outlet,
        title=f"Story {index}",
        text=text,
        published=datetime(2026, 11, 26, 8, index, tzinfo=UTC),
        fetched_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
    )


def _crawl(spec: dict, outlet: str) -> None:
    """Child process: wait for "go" on stdin, then add this outlet's copy of every story."""
    backend = open_backend(spec)
    try:
        dedup = Deduplicator(backend)
        print("ready", flush=True)
        sys.stdin.readline()
        outcomes = [dedup.add(copy_of(i, outlet)).action for i in range(len(STORIES))]
        backend.flush()
        print(json.dumps(outcomes), flush=True)
    finally:
        backend.close()


def test_two_processes_racing_end_with_one_story_per_story(backend_store):
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.test_dedup_concurrency",
                json.dumps(backend_store.spec),
                o,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for o in ("alpha", "beta")
    ]
    for child in children:
        assert child.stdout.readline().strip() == "ready"
    for child in children:  # both start adding at once
        child.stdin.write("go\n")
        child.stdin.flush()
    results = [json.loads(child.communicate(timeout=240)[0]) for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert sorted(a for r in results for a in r) == ["copy"] * 4 + ["new"] * 4
    backend = backend_store.reopen()
    assert backend.count() == len(STORIES)
    for index in range(len(STORIES)):
        story = backend.find_by_url(f"https://alpha.example/story-{index}")
        assert story.outlets == ["alpha", "beta"], index


def _lockless_story(article: Article) -> dict:
    """What a crawl that lost the lock would have written: a story of its own."""
    words = body_words(article.text)
    seen = isoformat_utc(article.fetched_at)
    return stories.new_story(
        article, content_hash(words), band_keys(body_paragraphs(article.text)), seen
    )


def _put_split_stories(backend) -> None:
    """Story 0 twice (near copies), story 1 twice (one truncated), story 2 once; the
    alpha copies were seen first."""
    pairs = [
        (copy_of(0, "alpha"), copy_of(0, "beta")),
        (copy_of(1, "alpha"), copy_of(1, "beta")),
    ]
    short = copy_of(1, "beta")
    short.text = truncated(SHELLS_STORY, 3, "alpha.example")
    pairs[1] = (pairs[1][0], short)
    for first, second in pairs:
        second.fetched_at = datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # the later crawl
        backend.put_story(_lockless_story(first))
        backend.put_story(_lockless_story(second))
    backend.put_story(_lockless_story(copy_of(2, "alpha")))
    backend.flush()


def test_reconcile_merges_stories_that_are_copies_idempotently(backend):
    _put_split_stories(backend)
    assert backend.count() == 5
    report = reconcile(backend)
    assert len(report.merged) == 2
    assert backend.count() == 3
    for index in (0, 1):
        story = backend.find_by_url(f"https://beta.example/story-{index}")
        assert story.outlets == ["alpha", "beta"]
        assert story.id == stories.story_id(f"https://alpha.example/story-{index}")
        assert [c.match for c in story.copies] == ["original", "near"]
    assert backend.find_by_url("https://alpha.example/story-2").outlet_count == 1
    again = reconcile(backend)
    assert again.merged == [] and again.checked == 3
    assert backend.count() == 3
    # After reconciling, a further copy joins the merged story.
    dedup = Deduplicator(backend)
    late = copy_of(0, "gamma")
    assert dedup.add(late).story_id == stories.story_id("https://alpha.example/story-0")


def test_reconcile_merges_two_stories_holding_the_same_url(backend):
    """Two crawls that both took one page for new (a lost lock) left two stories of it."""
    page = copy_of(0, "alpha")
    backend.put_story(_lockless_story(page))
    rewritten = copy_of(0, "alpha")
    rewritten.text = body(REWRITE_STORY)  # the page changed between the two fetches
    rewritten.canonical_url = "https://alpha.example/story-0?amp"
    backend.put_story(_lockless_story(rewritten))
    backend.flush()
    assert backend.count() == 2
    report = reconcile(backend)
    assert len(report.merged) == 1
    assert backend.count() == 1
    (story,) = [backend.find_by_url("https://alpha.example/story-0")]
    assert [c.url for c in story.copies] == ["https://alpha.example/story-0"]


def test_reconcile_dry_run_writes_nothing(backend):
    _put_split_stories(backend)
    report = reconcile(backend, dry_run=True)
    assert len(report.merged) == 2
    assert backend.count() == 5


def test_reconcile_command(backend_store, tmp_path, capsys):
    backend = backend_store.current
    _put_split_stories(backend)
    spec = backend_store.spec
    index = index_settings(spec)
    config = {
        "state_dir": spec.get("state_dir", str(tmp_path / "state")),
        "topics": [{"name": "dprk", "query": '"North Korea"'}],
        "sources": [{"name": "alpha", "outlet": "Alpha", "feeds": ["https://alpha.example/feed"]}],
        "index": index,
    }
    path = tmp_path / "newswatch.yaml"
    path.write_text(json.dumps(config))  # JSON is YAML
    assert newswatch(["dedup", "reconcile", "--config", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (summary["checked"], summary["merged"]) == (5, 2)
    assert backend_store.reopen().count() == 3
    assert newswatch(["dedup", "reconcile", "--config", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["merged"] == 0


if __name__ == "__main__":
    _crawl(json.loads(sys.argv[1]), sys.argv[2])
