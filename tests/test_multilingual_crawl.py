"""End to end on the multilingual slice, both backends: language, threshold and dedup per language.

The topic here keeps every story of the slice (it names the outlets), so what is
checked is the pipeline, not the matching: each story's language from its text
(a Russian page marked "en" included), the script-aware too-short threshold (short
Chinese and Japanese articles kept, one-line briefs refused) and one story per
story with every syndicated copy, in every language. The topic matching of the
same slice is tests/test_multilingual_topics.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from crawler.config import load_config
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from tests.harness.newsweb.config import write_config
from tests.harness.newsweb.multilingual import LANGUAGES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.story import Story
    from tests.harness.newsweb.client import NewsWeb

REPO = Path(__file__).resolve().parents[1]
OUTLETS_QUERY = " OR ".join(
    f'outlet:"{name}"'
    for name in ("Polyglot Wire", "Eastern Courier", "Asia Herald", "Euro Digest", "Gulf Daily")
)
EVERYTHING = [{"name": "slice", "query": OUTLETS_QUERY}]


@dataclass
class Crawled:
    config: Path
    summary: dict[str, Any]
    log: str
    stories: list[Story]


def run_crawl(config: Path) -> tuple[dict[str, Any], str]:
    process = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    lines = process.stdout.strip().splitlines()
    assert process.returncode == 0 and lines, process.stderr[-3000:]
    return json.loads(lines[-1]), process.stderr


def crawl_slice(
    web: NewsWeb, directory: Path, topics: list[dict[str, str]], es: tuple[str, str] | None
) -> Crawled:
    """Crawl the slice's feeds into a fresh index and read back every story."""
    options: dict[str, Any] = {"topics": topics, "entry_points": ("feeds",)}
    if es is not None:
        options |= {"backend": "elasticsearch", "es_url": es[0], "index_prefix": es[1]}
    config = write_config(web, directory, **options)
    summary, log = run_crawl(config)
    with make_backend(load_config(config)) as backend:
        stories = list(backend.export(SearchRequest()))
    return Crawled(config, summary, log, stories)


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def index_target(request: pytest.FixtureRequest) -> Iterator[tuple[str, str] | None]:
    """None (the embedded index) or (Elasticsearch URL, an index prefix of this module's)."""
    if request.param == "embedded":
        yield None
        return
    from tests.fixtures.elasticsearch import delete_prefixed

    es_url = request.getfixturevalue("es_url")
    es_client = request.getfixturevalue("es_client")
    prefix = f"t{uuid.uuid4().hex[:10]}-newswatch"
    yield es_url, prefix
    delete_prefixed(es_client, f"{prefix}*")


@pytest.fixture(scope="module")
def crawled(
    newsweb_multilingual: NewsWeb,
    index_target: tuple[str, str] | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Crawled:
    return crawl_slice(
        newsweb_multilingual, tmp_path_factory.mktemp("multilingual"), EVERYTHING, index_target
    )


def by_copy_url(crawled: Crawled, web: NewsWeb) -> dict[str, Story]:
    return {url: s for s in crawled.stories for url in s.copy_urls}


def test_every_story_is_one_story_with_every_copy_in_each_language(
    crawled: Crawled, newsweb_multilingual: NewsWeb
) -> None:
    web = newsweb_multilingual
    index = by_copy_url(crawled, web)
    for language in LANGUAGES:
        expected = [s for s in web.world.stories if s.language == language and s.kind != "brief"]
        found = set()
        for story in expected:
            copies = web.world.copies_of(story.id)
            stored = {index[web.copy_url(c)].id for c in copies if web.copy_url(c) in index}
            assert len(stored) == 1, (language, story.id, stored)  # every copy, one story
            found |= stored
        assert len(found) == len(expected), language  # different stories stay apart
    assert len(crawled.stories) == sum(1 for s in web.world.stories if s.kind != "brief")


def test_each_story_and_copy_carries_the_language_of_its_text(
    crawled: Crawled, newsweb_multilingual: NewsWeb
) -> None:
    web = newsweb_multilingual
    index = by_copy_url(crawled, web)
    for story in web.world.stories:
        if story.kind == "brief":
            continue
        stored = index[web.copy_url(web.world.original(story.id))]
        assert stored.language == story.language, story.id
        assert {c.language for c in stored.copies} == {story.language}, story.id


def test_a_russian_page_marked_english_is_counted_as_a_hint_overruled(
    crawled: Crawled, newsweb_multilingual: NewsWeb
) -> None:
    web = newsweb_multilingual
    eastern = next(
        c for c in web.world.copies if c.outlet == "eastern" and c.story_id == "ru-troops"
    )
    story = by_copy_url(crawled, web)[web.copy_url(eastern)]
    copy = next(c for c in story.copies if c.url == web.copy_url(eastern))
    assert copy.language == "ru"
    assert "crawl/language/hint_overruled" in crawled.log


def test_short_cjk_articles_are_kept_and_one_line_briefs_refused(
    crawled: Crawled, newsweb_multilingual: NewsWeb
) -> None:
    web = newsweb_multilingual
    index = by_copy_url(crawled, web)
    for story in web.world.stories:
        url = web.copy_url(web.world.original(story.id))
        if story.kind == "brief":
            assert url not in index, story.id
            assert f"Dropped {url} (too_short)" in crawled.log
        elif story.language in ("zh", "ja"):
            assert len(story.text) < 400 and url in index, story.id
    assert crawled.summary["dropped"].get("too_short") == 2


def test_the_language_filter_selects_each_language_on_both_backends(
    crawled: Crawled, newsweb_multilingual: NewsWeb
) -> None:
    world = newsweb_multilingual.world
    with make_backend(load_config(crawled.config)) as backend:
        for language in LANGUAGES:
            request = SearchRequest(languages=(language,), limit=100)
            found = sorted(s.title for s in backend.export(request))
            expected = sorted(
                world.original(s.id).title
                for s in world.stories
                if s.language == language and s.kind != "brief"
            )
            assert found == expected, language


def test_the_cli_reads_a_language_filter_in_any_spelling(crawled: Crawled) -> None:
    process = subprocess.run(
        [sys.executable, "-m", "crawler", "search", "--config", str(crawled.config),
         "--language", "KO-kr", "--json", ""],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert process.returncode == 0, process.stderr[-2000:]
    hits = [json.loads(line) for line in process.stdout.splitlines() if line.startswith("{")]
    assert hits and {hit["language"] for hit in hits} == {"ko"}
