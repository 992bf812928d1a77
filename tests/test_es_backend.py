"""Elasticsearch backend specifics: dedup reads see this run's writes before any refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from crawler.config.schema import ElasticsearchIndex
from crawler.index.elasticsearch import ElasticsearchBackend
from crawler.index.elasticsearch.client import IndexNames
from tests.fixtures.backends import add_copy, make_story

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from elasticsearch import Elasticsearch

pytestmark = pytest.mark.elasticsearch


@pytest.fixture
def backend(tmp_path: Path, es_url: str, es_prefix: str) -> Iterator[ElasticsearchBackend]:
    config = ElasticsearchIndex(url=[es_url], index_prefix=es_prefix, bulk_chunk_size=5)
    with ElasticsearchBackend(config, state_dir=tmp_path) as opened:
        yield opened  # type: ignore[misc]


def test_lookups_see_puts_that_are_not_flushed_yet(
    backend: ElasticsearchBackend, es_client: Elasticsearch, es_prefix: str
) -> None:
    stored = make_story("https://a.example/stored", bands=["0:aa", "1:bb"], content_hash="h1")
    backend.put_story(stored)
    backend.flush()
    fresh = make_story("https://b.example/fresh", bands=["0:aa", "1:bb", "2:cc"], content_hash="h2")
    backend.put_story(fresh)
    # Not searchable in the cluster yet: nothing was flushed or refreshed since.
    names = IndexNames(es_prefix)
    assert es_client.count(index=names.stories)["count"] == 1
    assert backend.find_by_url(fresh.url) == fresh
    assert backend.find_by_content_hash("h2") == fresh
    assert backend.get_story(fresh.id) == fresh
    candidates = backend.find_candidates(["0:aa", "1:bb", "2:cc"])
    assert [s.id for s in candidates] == [fresh.id, stored.id]


def test_an_unflushed_update_shadows_the_indexed_version(backend: ElasticsearchBackend) -> None:
    story = make_story("https://a.example/story", bands=["0:aa"])
    backend.put_story(story)
    backend.flush()
    merged = add_copy(story, "Reuters", "https://reuters.example/copy")
    merged.dedup_bands = ["0:aa", "5:ee", "6:ff"]
    backend.put_story(merged)
    assert backend.find_by_url("https://reuters.example/copy") == merged
    assert backend.find_by_url(story.url) == merged
    other = make_story("https://c.example/other", bands=["5:ee"])
    backend.put_story(other)
    backend.flush()
    assert backend.find_candidates(["0:aa", "5:ee", "6:ff"]) == [merged, other]
    backend.delete_story(merged.id)  # not flushed: already gone for lookups
    assert backend.find_by_url(story.url) is None
    assert backend.get_story(merged.id) is None
    assert backend.find_candidates(["0:aa", "5:ee"]) == [other]


def test_many_puts_across_chunks_stay_findable_and_counted(backend: ElasticsearchBackend) -> None:
    docs = [
        make_story(f"https://o{i % 3}.example/n/{i}", bands=[f"0:{i}", "1:shared"])
        for i in range(47)
    ]  # chunk size 5: many bulk requests, refreshes in between
    for story in docs:
        backend.put_story(story)
        assert backend.find_by_url(story.url) == story
    assert all(backend.find_by_url(s.url) == s for s in docs)
    assert len(backend.find_candidates(["1:shared"], limit=100)) == 47
    assert backend.count() == 47
    assert backend.stats["index/written"] == 47
    assert backend.stats["index/spooled"] == 0
    assert len(backend.writer.spool) == 0


def test_an_expired_lease_of_a_dead_holder_is_taken_over(
    backend: ElasticsearchBackend, es_client: Elasticsearch, es_prefix: str
) -> None:
    names = IndexNames(es_prefix)
    # A crawl killed while holding the lock left its lease behind, long expired.
    es_client.create(
        index=names.locks,
        id="dedup",
        refresh=True,
        document={"holder": "dead-host:1234:0", "acquired": 0, "expires": 1},
    )
    with backend.dedup_lock():
        lease = es_client.get(index=names.locks, id="dedup")["_source"]
        assert lease["holder"] != "dead-host:1234:0"
        assert lease["expires"] > lease["acquired"] > 1
    assert not es_client.exists(index=names.locks, id="dedup")  # released


def test_a_live_lease_makes_others_wait_then_time_out(
    backend: ElasticsearchBackend, es_client: Elasticsearch, es_prefix: str
) -> None:
    from crawler.index.elasticsearch.lock import Lease
    from crawler.index.errors import IndexLocked

    names = IndexNames(es_prefix)
    other = Lease(es_client, names.locks, ttl=600)
    other.acquire()
    waiting = Lease(es_client, names.locks, timeout=0.5, poll=0.05)
    with pytest.raises(IndexLocked, match="stayed held"):
        waiting.acquire()
    other.release()
    waiting.acquire()  # free now
    waiting.release()


def test_export_pages_through_every_match_newest_first(
    backend: ElasticsearchBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crawler.index.elasticsearch import search as es_search
    from crawler.index.search_index import SearchRequest

    monkeypatch.setattr(es_search, "EXPORT_PAGE", 7)  # many pages from a small index
    docs = [
        make_story(f"https://o.example/n/{i}", published=f"2026-11-{1 + i % 28:02d}T08:00:00Z")
        for i in range(50)
    ]
    for story in docs:
        backend.put_story(story)
    backend.flush()
    exported = list(backend.export(SearchRequest()))
    assert sorted(s.id for s in exported) == sorted(s.id for s in docs)
    dates = [s.published for s in exported]
    assert dates == sorted(dates, reverse=True)
