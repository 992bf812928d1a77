"""Furniture learned per outlet: what repeats on an outlet's pages goes, story text stays.

The learner on its own (in memory), the learned state in both index backends
(shared, bounded, surviving a restart), teasers judged from the page's links,
and the crawl's FurniturePipeline on a real embedded index.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.config import Config
from crawler.config.schema import Topic
from crawler.dedup import Deduplicator
from crawler.extract import extract_article
from crawler.furniture import FurnitureLearner, MemoryFurnitureStore, line_key
from crawler.index import make_backend
from crawler.items import Article
from crawler.pipelines.furniture import FurniturePipeline
from crawler.story import Story
from crawler.topics import TopicMatcher

if TYPE_CHECKING:
    from pathlib import Path

    from crawler.furniture import FurnitureStore
    from tests.fixtures.backends import BackendStore

FOLLOW = "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube."
FOLGEN = "Folgen Sie uns auf Instagram und abonnieren Sie unseren Newsletter!"
TEASER = "Others are reading now: Seoul boosts border patrols after drone sightings"
SHARED_SENTENCE = "The ministry said 1,200 troops had crossed the border on Tuesday."


PLACES = ["Kursk", "Odesa", "Kharkiv", "Seoul", "Pyongyang", "Vilnius", "Riga", "Tallinn"]
THINGS = ["grain", "shells", "drones", "tanks", "ships", "trains", "power lines", "bridges"]


def sentence(n: int, k: int = 0) -> str:
    """A sentence of story n; no two stories share one, even with digits folded away."""
    place, thing = PLACES[n % 8], THINGS[(n + k) % 8]
    return f"Officials in {place} said the {thing} had arrived, part {'ABC'[k]} of the story."


def story(n: int) -> str:
    return "\n".join(sentence(n, k) for k in range(3))


def page(n: int, *furniture: str) -> str:
    return "\n".join([story(n), *furniture])


def test_follow_lines_are_learned_after_three_pages_in_any_language() -> None:
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    outputs = [
        learner.learn(
            f"https://www.outlet.example/news/{n}", page(n, FOLLOW, TEASER, FOLGEN), f"T{n}"
        )[0]
        for n in range(5)
    ]
    # Two pages are no evidence: a line could be one story's, reached twice.
    assert FOLLOW in outputs[0] and TEASER in outputs[1]
    for n, text in enumerate(outputs[2:], start=2):
        assert FOLLOW not in text and FOLGEN not in text and TEASER not in text
        assert text == story(n)


def test_dates_and_digits_do_not_hide_a_repeated_line() -> None:
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    for n, day in enumerate(["3 May 2026", "14 June 2026", "1 July 2026"]):
        text, _ = learner.learn(f"https://outlet.example/{n}", page(n, f"Updated {day}"), f"T{n}")
    assert "Updated" not in text


def test_a_story_reached_at_many_urls_keeps_its_sentences() -> None:
    """Furniture learned on one outlet never removes a sentence of a single story."""
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    for n in range(6):
        text, removed = learner.learn(
            f"https://outlet.example/story?utm_source={n}",
            page(1, SHARED_SENTENCE, FOLLOW),
            "Troops cross the border",
        )
        assert removed == 0
        assert SHARED_SENTENCE in text and FOLLOW in text


def test_one_outlets_furniture_leaves_another_outlet_alone() -> None:
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    for n in range(4):
        learner.learn(f"https://outlet.example/{n}", page(n, FOLLOW), f"T{n}")
    text, removed = learner.learn("https://other.example/a", page(9, FOLLOW), "Other story")
    assert removed == 0 and FOLLOW in text


def test_a_page_recorded_again_is_not_counted_twice() -> None:
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    for _ in range(5):
        text, removed = learner.learn("https://outlet.example/1", page(1, FOLLOW), "T1")
    assert removed == 0 and FOLLOW in text


def test_a_page_that_is_all_furniture_is_left_whole() -> None:
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    for n in range(3):
        learner.learn(f"https://outlet.example/{n}", FOLLOW, f"T{n}")
    assert learner.strip("https://outlet.example/9", FOLLOW) == (FOLLOW, 0)


def test_an_inline_teaser_is_dropped_by_its_link() -> None:
    """'Others are reading now: <headline>' differs on every page; the link gives it away."""
    body = "".join(
        f"<p>Paragraph {k} of the story: North Korean troops were seen near Kursk again, "
        "officials said, as fighting continued along the border region.</p>"
        for k in range(4)
    )
    html = (
        "<html><head><title>Troops seen near Kursk</title></head><body><article>"
        f"<h1>Troops seen near Kursk</h1>{body[:400]}"
        '<p>Others are reading now: <a href="https://outlet.example/news/other-story">'
        "Seoul boosts border patrols after drone sightings</a></p>"
        '<p>Lees ook: <a href="https://outlet.example/nl/123">Kim bezoekt tankfabriek in het '
        "noorden van het land</a></p>"
        f"{body[400:]}</article></body></html>"
    )
    text = extract_article(html, "https://outlet.example/news/troops").text
    assert "Seoul boosts border patrols" not in text
    assert "Kim bezoekt" not in text
    assert "Paragraph 3 of the story" in text


# The learned state in the index backends ---------------------------------------------


def record_pages(store: FurnitureStore, outlet: str, pages: range) -> None:
    for n in pages:
        keys = [line_key(FOLLOW), line_key(sentence(n))]
        assert store.record_page(outlet, f"page-{n}", keys)


def test_learned_furniture_survives_a_restart(backend_store: BackendStore) -> None:
    assert backend_store.current is not None
    store = backend_store.current.furniture_store()
    record_pages(store, "outlet.example", range(2))
    wanted = {line_key(FOLLOW), line_key(sentence(0))}
    assert store.furniture("outlet.example", wanted, 2) == {line_key(FOLLOW)}

    store = backend_store.reopen().furniture_store()
    assert store.furniture("outlet.example", wanted, 2) == {line_key(FOLLOW)}
    # Pages counted before the restart are not counted again; new ones add up.
    assert not store.record_page("outlet.example", "page-1", [line_key(FOLLOW)])
    assert store.furniture("outlet.example", wanted, 3) == set()
    record_pages(store, "outlet.example", range(2, 3))
    assert store.furniture("outlet.example", wanted, 3) == {line_key(FOLLOW)}
    assert store.furniture("other.example", wanted, 1) == set()


def bounded_store(backend_store: BackendStore, cap: int) -> FurnitureStore:
    backend = backend_store.current
    if backend_store.spec["kind"] == "embedded":
        from crawler.index.sqlite.furniture import SqliteFurnitureStore

        return SqliteFurnitureStore(backend._read, backend._write, max_lines=cap, max_pages=cap)  # type: ignore[union-attr]
    from crawler.index.elasticsearch.furniture import EsFurnitureStore

    es = EsFurnitureStore(
        lambda: backend.client,  # type: ignore[union-attr]
        backend.names.furniture,  # type: ignore[union-attr]
        Counter(),
        max_lines=cap,
        max_pages=cap,
    )
    return es


def test_tracked_lines_are_bounded_and_the_rarest_go(backend_store: BackendStore) -> None:
    store = bounded_store(backend_store, cap=4)
    record_pages(store, "outlet.example", range(8))
    if hasattr(store, "evict"):  # Elasticsearch trims every EVICT_EVERY pages
        store.evict("outlet.example")
    seen = {line_key(sentence(n)) for n in range(8)}
    counted = store.furniture("outlet.example", seen, 1)
    assert len(counted) <= 3, counted  # bounded: the follow line plus the newest few
    assert store.furniture("outlet.example", {line_key(FOLLOW)}, 8) == {line_key(FOLLOW)}


# The crawl's pipeline -------------------------------------------------------------------


def make_config(tmp_path: Path) -> Config:
    return Config.model_validate(
        {
            "state_dir": str(tmp_path),
            "index": {"embedded": {"path": str(tmp_path / "index.sqlite3")}},
            "topics": [{"name": "war", "query": "troops"}],
            "sources": [{"name": "outlet", "feeds": ["https://outlet.example/feed"]}],
        }
    )


def article(n: int, text: str) -> Article:
    url = f"https://outlet.example/news/{n}"
    return Article(
        url=url, canonical_url=url, source="outlet", outlet="Outlet", title=f"T{n}", text=text
    )


def open_pipeline(config: Config) -> tuple[FurniturePipeline, object]:
    crawler = get_crawler(Spider, {"NEWSWATCH_CONFIG": config})
    crawler.spider = crawler._create_spider("test")
    pipeline = FurniturePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline, crawler.stats


def test_pipeline_strips_learned_furniture_across_crawls(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    pipeline, _ = open_pipeline(config)
    try:
        for n in range(2):
            assert FOLLOW in pipeline.clean(article(n, page(n, FOLLOW))).text
    finally:
        pipeline.close_spider()
    # A later crawl (another process) reads what the first one learned.
    pipeline, stats = open_pipeline(config)
    try:
        item = pipeline.clean(article(2, page(2, FOLLOW)))
    finally:
        pipeline.close_spider()
    assert item.text == story(2)
    assert stats.get_value("furniture/lines_removed") == 1  # type: ignore[attr-defined]


def test_learned_furniture_does_not_make_a_story_on_topic(tmp_path: Path) -> None:
    """A topic word only in the outlet's follow line: the story is off-topic."""
    config = make_config(tmp_path).model_copy(
        update={"topics": [Topic(name="social", query="Instagram")]}
    )
    pipeline, _ = open_pipeline(config)
    topics = TopicMatcher({topic.name: topic.query for topic in config.topics})

    def story_topics(n: int) -> list[str]:
        item = pipeline.clean(article(n, page(n, FOLLOW)))
        return topics.match(
            Story(id="x", url="", title=item.title, dedup_text=item.text, outlets=[item.outlet])
        )

    try:
        # Until the third page teaches the outlet its follow line, the line decides.
        assert [story_topics(n) for n in range(3)] == [["social"], ["social"], []]
    finally:
        pipeline.close_spider()


def test_pipeline_keeps_the_page_when_the_store_fails(tmp_path: Path, caplog) -> None:
    pipeline, stats = open_pipeline(make_config(tmp_path))
    assert pipeline.backend is not None
    pipeline.backend.close()  # the index went away under the crawl
    item = pipeline.clean(article(1, page(1, FOLLOW)))
    assert item.text == page(1, FOLLOW)
    assert stats.get_value("furniture/errors") == 1  # type: ignore[attr-defined]
    assert "https://outlet.example/news/1: furniture not learned" in caplog.text


@pytest.mark.parametrize("enabled", [False])
def test_pipeline_can_be_switched_off(tmp_path: Path, enabled: bool) -> None:
    from scrapy.exceptions import NotConfigured

    crawler = get_crawler(
        Spider, {"NEWSWATCH_CONFIG": make_config(tmp_path), "FURNITURE_PIPELINE_ENABLED": enabled}
    )
    with pytest.raises(NotConfigured):
        FurniturePipeline.from_crawler(crawler)


def test_the_pipeline_signs_the_text_it_leaves_once(tmp_path: Path) -> None:
    """The last step that changes the text signs it; dedup then signs nothing itself."""
    config = make_config(tmp_path)
    crawler = get_crawler(Spider, {"NEWSWATCH_CONFIG": config, "NEWSWATCH_EXTRACTION_PROCESSES": 0})
    crawler.spider = crawler._create_spider("test")
    pipeline = FurniturePipeline.from_crawler(crawler)
    pipeline.open_spider()
    try:
        items = [pipeline.clean(article(n, page(n, FOLLOW))) for n in range(3)]
        last = asyncio.run(pipeline.sign(items[-1]))
    finally:
        pipeline.close_spider()
    assert last.text == story(2)  # the follow line went on the third page ...
    assert last.signature is not None and last.signature.signs(last.text)  # ... before signing
    with make_backend(config) as backend:
        dedup = Deduplicator(backend)
        dedup.add(last)
        dedup.add(article(9, page(9)))  # not signed by the crawl: dedup signs it
    assert dedup.stats["dedup/signatures/made_here"] == 1
