"""End to end: a crawl through a broken feed on the mock news web reaches every item and
stores each page's title and text as a reader sees them (tests/harness/newsweb/damaged.py)."""

from __future__ import annotations

import urllib.request
from typing import TYPE_CHECKING

import pytest
import yaml
from lxml import etree

from crawler.config import load_config
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from crawler.listings.feeds import parse_feed
from crawler.story import Story
from tests.fixtures.newsweb import world_config
from tests.harness.newsweb import damaged
from tests.test_crawl_e2e import crawl, stories_of

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb


@pytest.fixture(scope="module")
def damaged_crawl(newsweb: NewsWeb, tmp_path_factory: pytest.TempPathFactory):
    """One crawl whose only entry point is the damaged feed."""
    config = world_config(
        newsweb, tmp_path_factory.mktemp("damaged"), sources=[damaged.OUTLET], entry_points=()
    )
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    raw["sources"][0]["feeds"] = [newsweb.url(damaged.OUTLET, damaged.FEED_PATH)]
    config.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    before = {url: newsweb.hit_count(url) for url in listed_urls(newsweb)}
    run = crawl(config)
    return config, run, stories_of(config), before


def listed_urls(web: NewsWeb) -> list[str]:
    """The damaged feed's items in order: damaged pages first and last, copies between."""
    pages = [web.url(damaged.OUTLET, page.path) for page in damaged.PAGES]
    copies = [web.copy_url(c) for c in web.world.copies_on(damaged.OUTLET) if c.crawlable]
    return [pages[0], *copies[: 16 - len(pages)], *pages[1:-1], pages[-1]]


def story_at(stories: list[Story], url: str) -> Story:
    found = [story for story in stories if url in story.copy_urls]
    assert found, f"{url} not indexed"
    return found[0]


def test_the_damaged_feed_defeats_the_recovering_parser_alone(newsweb: NewsWeb) -> None:
    """The bad case is real: strict parsing fails and recovery alone loses entries."""
    url = newsweb.url(damaged.OUTLET, damaged.FEED_PATH)
    with urllib.request.urlopen(url, timeout=10) as reply:
        body = reply.read()
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)
    entries, salvage = parse_feed(body)
    assert salvage is not None and salvage.tree < len(listed_urls(newsweb))
    assert [entry.url.split("?")[0] for entry in entries] == listed_urls(newsweb)


def test_every_item_of_the_broken_feed_is_fetched(damaged_crawl, newsweb: NewsWeb) -> None:
    _, run, stories, before = damaged_crawl
    assert run.returncode == 0, run.log[-3000:]
    urls = listed_urls(newsweb)
    missed = [url for url in urls if newsweb.hit_count(url) <= before[url]]
    assert not missed, missed
    # The first and the last item are on-topic articles: both are indexed.
    story_at(stories, urls[0])
    story_at(stories, urls[-1])
    feed = newsweb.url(damaged.OUTLET, damaged.FEED_PATH)
    [line] = [line for line in run.log.splitlines() if "malformed_feed" in line and feed in line]
    assert f"{len(urls)} salvaged" in line
    assert run.summary["errors"]["malformed_feed"] == 1


@pytest.mark.parametrize("kind", ["entity_title", "markup_title", "source_mojibake"])
def test_titles_and_text_are_stored_as_a_reader_sees_them(
    damaged_crawl, newsweb: NewsWeb, kind: str
) -> None:
    _, _, stories, _ = damaged_crawl
    page = damaged.page(kind)
    story = story_at(stories, newsweb.url(damaged.OUTLET, page.path))
    assert story.title == page.title
    for paragraph in page.paragraphs:
        assert paragraph in story.text


def test_mislabeled_charset_page_is_searchable_as_zurich(damaged_crawl, newsweb: NewsWeb) -> None:
    config, _, stories, _ = damaged_crawl
    url = newsweb.url(damaged.OUTLET, damaged.page("mislabeled_charset").path)
    story = story_at(stories, url)
    assert "Z\u00fcrich" in story.text and "\u00c3" not in story.text
    with make_backend(load_config(config)) as backend:
        hits = backend.search(SearchRequest(query="Z\u00fcrich")).hits
    assert url in {u for hit in hits for u in hit.story.copy_urls}


def test_page_with_lost_characters_is_refused_with_its_url(damaged_crawl, newsweb: NewsWeb) -> None:
    _, run, stories, _ = damaged_crawl
    url = newsweb.url(damaged.OUTLET, damaged.page("unrepairable_encoding").path)
    assert not [story for story in stories if url in story.copy_urls]
    assert run.summary["dropped"]["bad_encoding"] == 1
    assert any(url in line and "bad_encoding" in line for line in run.log.splitlines())
