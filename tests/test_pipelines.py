"""The storing pipeline (dedup, then topics), on hand-made articles and a real embedded index."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.config import Config
from crawler.config.schema import ElasticsearchIndex, IndexConfig
from crawler.crawl.stores import open_side_backend
from crawler.extensions.seenurls import SeenUrlsExtension
from crawler.items import Article
from crawler.pipelines.store import LOCK_ATTEMPTS, LOCK_ERRORS, NotStored, StorePipeline
from tests.harness.newsweb.seed import seed_path

SEED = seed_path().read_text(encoding="utf-8")


def make_config(tmp_path: Path) -> Config:
    return Config.model_validate(
        {
            "state_dir": str(tmp_path),
            "index": {"embedded": {"path": str(tmp_path / "index.sqlite3")}},
            "topics": [
                {
                    "name": "dprk-russia-war",
                    "query": '("North Korea" OR Pyongyang) AND (Russia OR Ukraine)',
                },
                {"name": "energy", "query": "gas OR pipeline OR LNG"},
            ],
            "sources": [{"name": "outlet", "feeds": ["https://outlet.example/feed"]}],
        }
    )


def article(url: str, title: str, text: str, outlet: str = "Outlet") -> Article:
    return Article(
        url=url,
        canonical_url=url,
        source="outlet",
        outlet=outlet,
        title=title,
        text=text,
        published=datetime(2026, 11, 20, 8, tzinfo=UTC),
    )


def crawler_for(config: Config, **settings: object):
    extensions = {SeenUrlsExtension: 0}
    crawler = get_crawler(
        Spider, {"NEWSWATCH_CONFIG": config, "EXTENSIONS": extensions, **settings}
    )
    crawler.spider = crawler._create_spider("test")
    return crawler


def open_store(pipeline: StorePipeline, crawler) -> None:
    """What the engine does when the spider opens: the pipeline, then the seen state."""
    pipeline.open_spider()
    extension = crawler.get_extension(SeenUrlsExtension)
    extension.seen.open(lambda: open_side_backend(extension.config, "seen")).result()


def close_store(pipeline: StorePipeline, crawler) -> None:
    """What the engine does when the spider closes: the pipeline, then the seen state."""
    try:
        pipeline.close_spider()
    finally:
        done = crawler.get_extension(SeenUrlsExtension).seen.close()
        if done is not None:
            done.result()


SEED_BODY = "\n".join(line for line in SEED.splitlines()[6:] if line.strip())
OFF_TOPIC = (
    "The city council approved the new budget on Tuesday after a long debate about "
    "school buildings, bus lanes and the price of parking in the old town. " * 5
)


# -- topics ----------------------------------------------------------------------
def stored(config: Config, *items: Article, **settings: object):
    """Each item's action through a real StorePipeline on the embedded index, and the crawler."""
    crawler = crawler_for(config, **settings)
    pipeline = StorePipeline.from_crawler(crawler)
    open_store(pipeline, crawler)
    actions = []
    try:
        for item in items:
            action = pipeline.store(item)
            actions.append(action)
            try:
                pipeline.count_outcome(action)
            except DropItem as exc:
                actions[-1] = f"dropped: {exc}"
                pipeline.item_dropped(item, None, exc)
    finally:
        close_store(pipeline, crawler)
    return actions, crawler


def test_article_is_tagged_with_every_topic_it_matches(tmp_path: Path) -> None:
    text = SEED_BODY + "\nMoscow also offered Pyongyang cheap gas."
    item = article("https://outlet.example/a", "Title", text)
    actions, crawler = stored(make_config(tmp_path), item)
    assert actions == ["new"]
    assert item.topics == ["dprk-russia-war", "energy"]
    assert crawler.stats.get_value("crawl/topics/energy") == 1


def test_off_topic_article_is_dropped_counted_and_not_indexed(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    # mentions "Korea" but not North Korea's role in the war: no topic
    text = OFF_TOPIC + " A Korean restaurant opened near the station."
    actions, crawler = stored(config, article("https://outlet.example/b", "Budget", text))
    assert actions == ["dropped: off-topic"]
    assert crawler.stats.get_value("crawl/dropped/off_topic") == 1

    from crawler.index import make_backend

    with make_backend(config) as backend:
        assert backend.count() == 0  # no story written for it
        assert backend.held_pages().count() == 1  # held for a later on-topic copy
        record = backend.get_seen(["https://outlet.example/b"])["https://outlet.example/b"]
    assert record.story_id is None


def test_held_pages_beyond_the_cap_are_pruned_when_the_crawl_ends(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    items = [
        article(f"https://outlet.example/off{n}", "Budget", f"{n}. {OFF_TOPIC}") for n in (1, 2)
    ]
    actions, crawler = stored(config, *items, STORE_HELD_MAX=1)
    assert actions == ["dropped: off-topic"] * 2
    assert crawler.stats.get_value("dedup/held/pruned") == 1

    from crawler.index import make_backend

    with make_backend(config) as backend:
        assert backend.held_pages().count() == 1


def test_only_the_chosen_topics_are_matched(tmp_path: Path) -> None:
    item = article("https://outlet.example/a", "Title", SEED_BODY)
    actions, _ = stored(make_config(tmp_path), item, NEWSWATCH_TOPICS=["energy"])
    assert actions == ["dropped: off-topic"]


def test_without_topics_every_article_is_kept_untagged(tmp_path: Path) -> None:
    item = article("https://outlet.example/b", "Budget", OFF_TOPIC)
    actions, _ = stored(make_config(tmp_path), item, STORE_TOPICS_ENABLED=False)
    assert actions == ["new"] and item.topics == []


def test_a_dropped_item_is_logged_in_one_line_without_its_text() -> None:
    from crawler.logformatter import NewsLogFormatter

    item = article("https://outlet.example/b", "Budget", OFF_TOPIC)
    entry = NewsLogFormatter().dropped(item, DropItem("off-topic"), None, Spider("test"))
    line = entry["msg"] % entry["args"]
    assert line == "Dropped https://outlet.example/b (off-topic): Budget"


# -- store ----------------------------------------------------------------------
def test_store_pipeline_indexes_dedups_and_remembers(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    crawler = crawler_for(config)
    pipeline = StorePipeline.from_crawler(crawler)
    open_store(pipeline, crawler)
    try:
        # store() is what process_item runs in the pipeline's worker thread
        first = article("https://outlet.example/a", "Ukraine warns", SEED_BODY)
        copy = article(
            "https://copy.example/b",
            "Kyiv: North Korea role grows",
            SEED_BODY,
            outlet="Copycat",
        )
        actions = [pipeline.store(first), pipeline.store(copy), pipeline.store(first)]
        for action in actions:
            pipeline.count_outcome(action)
    finally:
        close_store(pipeline, crawler)
    assert actions == ["new", "copy", "unchanged"]
    stats = crawler.stats
    assert stats.get_value("dedup/new") == 1
    assert stats.get_value("dedup/copies_merged") == 1
    assert stats.get_value("dedup/unchanged") == 1

    from crawler.index import make_backend

    with make_backend(config) as backend:
        assert backend.count() == 1
        story = backend.find_by_url("https://copy.example/b")
        assert story is not None
        assert story.outlet_count == 2
        seen = backend.get_seen(["https://outlet.example/a", "https://copy.example/b"])
    assert seen["https://outlet.example/a"].story_id == story.id
    assert seen["https://copy.example/b"].story_id == story.id


def test_dropped_items_are_remembered_without_a_story(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    crawler = crawler_for(config)
    pipeline = StorePipeline.from_crawler(crawler)
    open_store(pipeline, crawler)
    item = article("https://outlet.example/off", "Budget", OFF_TOPIC)
    pipeline.item_dropped(item, None, DropItem("off-topic"))
    close_store(pipeline, crawler)

    from crawler.index import make_backend

    with make_backend(config) as backend:
        record = backend.get_seen(["https://outlet.example/off"])["https://outlet.example/off"]
        assert backend.count() == 0
    assert record.story_id is None


def test_a_locked_index_is_retried_then_leaves_the_page_unseen(tmp_path: Path) -> None:
    """Another crawl holding the dedup lock costs retries, never a story marked as judged."""
    import subprocess
    import sys

    from tests.fixtures.backends import make_story

    config = make_config(tmp_path)
    crawler = crawler_for(config)
    pipeline = StorePipeline.from_crawler(crawler)
    open_store(pipeline, crawler)
    # A second process takes the embedded index's write lock and keeps it.
    spec = {"kind": "embedded", "path": str(tmp_path / "index.sqlite3")}
    holder = subprocess.Popen(
        [sys.executable, "-m", "tests.fixtures.backends", "hold-lock", json.dumps(spec),
         json.dumps(make_story("https://other.example/held").to_document())],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        # Wait 0.2 s for the lock instead of a minute.
        pipeline.backend._conn.execute("PRAGMA busy_timeout = 200")  # type: ignore[union-attr]
        item = article("https://outlet.example/a", "Ukraine warns", SEED_BODY)
        with pytest.raises(LOCK_ERRORS):
            pipeline.store(item)
        assert crawler.stats.get_value("dedup/lock_retries") == LOCK_ATTEMPTS - 1
        pipeline.item_dropped(item, None, NotStored("index locked"))
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=30)
        close_store(pipeline, crawler)

    from crawler.index import make_backend

    with make_backend(config) as backend:
        assert backend.get_seen(["https://outlet.example/a"]) == {}


def test_elasticsearch_decisions_are_batched_under_one_lease(
    tmp_path: Path, es_url: str, es_prefix: str
) -> None:
    """While items wait, the worker keeps the dedup lease; the last one publishes all."""
    from elasticsearch import Elasticsearch

    config = make_config(tmp_path).model_copy(
        update={
            "index": IndexConfig(
                backend="elasticsearch",
                elasticsearch=ElasticsearchIndex(url=[es_url], index_prefix=es_prefix),
            )
        }
    )
    crawler = crawler_for(config)
    pipeline = StorePipeline.from_crawler(crawler)
    open_store(pipeline, crawler)
    client = Elasticsearch(es_url)
    lease_held = []
    try:
        pipeline.pending = 3  # three items queued for the worker
        for number in range(3):
            text = f"{SEED_BODY}\n\nCopy {number} adds its own closing line here."
            pipeline.store(article(f"https://outlet{number}.example/a", "Ukraine warns", text))
            lease_held.append(client.exists(index=f"{es_prefix}-locks", id="dedup").body)
        client.indices.refresh(index=f"{es_prefix}-stories")
        stories = client.search(index=f"{es_prefix}-stories")["hits"]["hits"]
    finally:
        close_store(pipeline, crawler)
    assert lease_held == [True, True, False]  # released once nothing waits
    assert len(stories) == 1 and stories[0]["_source"]["outlet_count"] == 1
    assert len(stories[0]["_source"]["copies"]) == 3


def test_the_crawls_stories_are_judged_again_when_it_ends(tmp_path: Path) -> None:
    """A story on-topic only through a line its outlet's later pages reveal as furniture."""
    from crawler.furniture import FurnitureLearner
    from crawler.index import make_backend

    config = make_config(tmp_path)
    newsletter = "Get our briefing on North Korea and Russia every weekday. Sign up here."
    crawler = crawler_for(config)
    pipeline = StorePipeline.from_crawler(crawler)
    open_store(pipeline, crawler)
    try:
        item = article("https://relay.example/budget", "Budget", OFF_TOPIC + "\n" + newsletter)
        assert pipeline.store(item) == "new"  # nothing learned yet: the line decides
        with make_backend(config) as backend:  # the furniture pipeline's own connection
            learner = FurnitureLearner(backend.furniture_store())
            for n in range(3):
                learner.record(f"https://relay.example/{n}", f"Story {n}.\n{newsletter}", f"t{n}")
    finally:
        close_store(pipeline, crawler)

    with make_backend(config) as backend:
        assert backend.count() == 0
    assert crawler.stats.get_value("dedup/rejudged/dropped") == 1
