"""Topics and search on the multilingual slice, both backends: base-form queries find every form.

The analyst's query lists base forms (`multilingual.FULL_TOPIC_QUERY`: "Северная
Корея", "Північна Корея", 북한, 北朝鮮, 朝鲜, Nordkorea, "Corée du Nord",
"كوريا الشمالية"); the slice's on-topic stories carry only inflected, agglutinated or
clitic forms, and its near misses share vocabulary (South Korea, 朝鲜半岛, Nordsee).
These tests need the language-aware matching of issue #19 (crawler/analysis/):
before it, the inflected stories are dropped as off-topic and the searches miss them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crawler.config import load_config
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from tests.harness.newsweb.multilingual import (
    BASE_FORMS,
    FULL_TOPIC_QUERY,
    LANGUAGES,
    TOPIC_NAME,
)
from tests.test_multilingual_crawl import Crawled, crawl_slice, index_target

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb

__all__ = ["index_target"]  # the fixture, shared with test_multilingual_crawl.py

# 朝鲜 (North Korea) is also the first half of 朝鲜半岛 (the Korean peninsula): overlapping
# CJK bigrams cannot tell the peninsula's weather report from the war story, so the base
# form alone keeps that near miss (zh topic precision 0.67 in bench/multilingual.py). A
# dictionary segmenter for Chinese would; until then this is a known miss, held to it.
NEAR_MISS_KEPT = pytest.mark.xfail(
    strict=True, reason="朝鲜 matches 朝鲜半岛 under CJK bigrams (README: Languages, known limits)"
)
LANGUAGE_CASES = [
    pytest.param(language, marks=NEAR_MISS_KEPT) if language == "zh" else language
    for language in LANGUAGES
]


@pytest.fixture(scope="module")
def crawled(
    newsweb_multilingual: NewsWeb,
    index_target: tuple[str, str] | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Crawled:
    topics = [{"name": TOPIC_NAME, "query": FULL_TOPIC_QUERY}]
    directory = tmp_path_factory.mktemp("multilingual-topics")
    return crawl_slice(newsweb_multilingual, directory, topics, index_target)


def _stored(crawled: Crawled, web: NewsWeb) -> dict[str, str]:
    """World story id -> stored story id, for the stories that were indexed."""
    urls = {url: s.id for s in crawled.stories for url in s.copy_urls}
    out = {}
    for story in web.world.stories:
        for copy in web.world.copies_of(story.id):
            if web.copy_url(copy) in urls:
                out[story.id] = urls[web.copy_url(copy)]
    return out


@pytest.mark.parametrize("language", LANGUAGE_CASES)
def test_base_form_topic_keeps_every_on_topic_story_and_no_near_miss(
    crawled: Crawled, newsweb_multilingual: NewsWeb, language: str
) -> None:
    world = newsweb_multilingual.world
    stored = _stored(crawled, newsweb_multilingual)
    stories = [s for s in world.stories if s.language == language and s.kind != "brief"]
    missed = [s.id for s in stories if s.on_topic and s.id not in stored]
    kept_off_topic = [s.id for s in stories if not s.on_topic and s.id in stored]
    assert (missed, kept_off_topic) == ([], [])
    by_id = {s.id: s for s in crawled.stories}
    for story in stories:
        if story.on_topic:
            assert TOPIC_NAME in by_id[stored[story.id]].topics, story.id


@pytest.mark.parametrize("language", LANGUAGE_CASES)
def test_base_form_search_finds_every_form_and_no_near_miss(
    crawled: Crawled, newsweb_multilingual: NewsWeb, language: str
) -> None:
    world = newsweb_multilingual.world
    stored = _stored(crawled, newsweb_multilingual)
    wanted = {
        stored[s.id]
        for s in world.stories
        if s.language == language and s.on_topic and s.id in stored
    }
    with make_backend(load_config(crawled.config)) as backend:
        request = SearchRequest(query=BASE_FORMS[language], limit=100)
        found = {hit.story.id for hit in backend.search(request).hits}
    assert wanted and found == wanted, language


def test_search_with_the_topic_query_finds_exactly_the_topic_stories(crawled: Crawled) -> None:
    """The query that decided a story's topic is the query that finds it in search."""
    with make_backend(load_config(crawled.config)) as backend:
        hits = backend.search(SearchRequest(FULL_TOPIC_QUERY, limit=100)).hits
    found = {hit.story.id for hit in hits}
    tagged = {s.id for s in crawled.stories if TOPIC_NAME in s.topics}
    assert tagged and found == tagged
