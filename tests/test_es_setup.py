"""`newswatch index init|status|migrate|rollover` against the real test node."""

from __future__ import annotations

import dataclasses
import json
import threading
from typing import TYPE_CHECKING

import pytest

from crawler.cli import main
from crawler.config.schema import ElasticsearchIndex
from crawler.index.elasticsearch import ElasticsearchBackend
from crawler.index.elasticsearch.client import IndexNames, delete_indices
from crawler.index.elasticsearch.setup import init, status
from crawler.index.mappings import index_definition
from crawler.index.search_index import SearchRequest
from tests.fixtures.backends import make_story, unmapped

if TYPE_CHECKING:
    from pathlib import Path

    from elasticsearch import Elasticsearch

pytestmark = pytest.mark.elasticsearch


def write_config(tmp_path: Path, es_url: str, prefix: str) -> Path:
    path = tmp_path / "newswatch.yaml"
    path.write_text(
        f"state_dir: {tmp_path / 'state'}\n"
        "index:\n  backend: elasticsearch\n  elasticsearch:\n"
        f"    url: {es_url}\n    index_prefix: {prefix}\n"
        "topics:\n  - name: nk\n    query: korea\n"
        "sources:\n  - name: example\n    feeds: [http://127.0.0.1:9/feed.xml]\n"
    )
    return path


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def stories(n: int, start: int = 0) -> list[dict]:
    return [
        make_story(
            f"https://outlet{i % 7}.example/news/{i}",
            title=f"Pyongyang report {i}",
            text=f"North Korean shells and troops, report number {i}.",
        )
        for i in range(start, start + n)
    ]


def test_init_is_idempotent_and_creates_the_write_alias(
    tmp_path: Path,
    es_url: str,
    es_prefix: str,
    es_client: Elasticsearch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(write_config(tmp_path, es_url, es_prefix))
    first = cli_json(capsys, "index", "init", "--config", config)
    names = IndexNames(es_prefix)
    assert names.stories_index(1) in first["created"]
    assert first["ilm"] is False  # the test node has no x-pack-ilm: detected, not fatal
    second = cli_json(capsys, "index", "init", "--config", config)
    assert second["created"] == []
    aliases = es_client.indices.get_alias(name=names.stories).body
    assert aliases == {
        names.stories_index(1): {"aliases": {names.stories: {"is_write_index": True}}}
    }
    mapping = es_client.indices.get_mapping(index=names.stories_index(1)).body
    props = mapping[names.stories_index(1)]["mappings"]
    assert props["dynamic"] == "strict"
    assert props["_meta"]["version"] == index_definition("stories").version
    assert props["properties"]["title"]["fields"]["en"]["analyzer"] == "newswatch_english"
    for index in (names.runs, names.seen, names.locks):
        assert es_client.indices.exists(index=index)


def test_status_shows_alias_indices_counts_and_version(
    tmp_path: Path, es_url: str, es_prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(write_config(tmp_path, es_url, es_prefix))
    backend = ElasticsearchBackend(
        ElasticsearchIndex(url=[es_url], index_prefix=es_prefix), state_dir=tmp_path / "state"
    )
    with backend:
        for story in stories(12):
            backend.put_story(story)
        backend.put_story(unmapped(stories(1, start=99)[0], bogus=True))  # refused: dead letter
    report = cli_json(capsys, "index", "status", "--config", config)
    assert report["dead_letters"] == 1
    assert report["spooled"] == 0
    names = IndexNames(es_prefix)
    assert report["alias"] == names.stories
    assert report["write_index"] == names.stories_index(1)
    assert report["mapping_version"] == report["expected_mapping_version"] == 3
    assert report["needs_migration"] is False
    rows = {row["index"]: row for row in report["indices"]}
    assert rows[names.stories_index(1)]["docs"] == 12
    assert rows[names.stories_index(1)]["is_write_index"] is True
    assert main(["index", "status", "--config", config]) == 0
    table = capsys.readouterr().out
    assert f"alias {names.stories} -> write index {names.stories_index(1)}" in table
    assert names.seen in table


def test_status_flags_an_index_with_an_older_mapping(
    es_client: Elasticsearch, es_prefix: str
) -> None:
    names = IndexNames(es_prefix)
    init(es_client, names)
    es_client.indices.put_mapping(index=names.stories, meta={"version": 0, "kind": "stories"})
    report = status(es_client, names)
    assert report["mapping_version"] == 0
    assert report["needs_migration"] is True


def test_migrate_swaps_the_alias_and_keeps_every_document(
    tmp_path: Path,
    es_url: str,
    es_prefix: str,
    es_client: Elasticsearch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(write_config(tmp_path, es_url, es_prefix))
    es_config = ElasticsearchIndex(url=[es_url], index_prefix=es_prefix, bulk_chunk_size=50)
    backend = ElasticsearchBackend(es_config, state_dir=tmp_path / "state")
    backend.open()
    before = stories(400)
    for story in before:
        backend.put_story(story)
    backend.flush()
    # Writes and searches go on while the migration runs.
    during = stories(150, start=400)
    outcome: dict = {}
    migration = threading.Thread(
        target=lambda: outcome.update(cli_json(capsys, "index", "migrate", "--config", config))
    )
    migration.start()
    searches = []
    for story in during:
        backend.put_story(story)
        if len(searches) < 20:
            searches.append(backend.search(SearchRequest(query="pyongyang", limit=1)).total)
    migration.join(timeout=120)
    backend.flush()
    names = IndexNames(es_prefix)
    assert outcome["from"] == [names.stories_index(1)]
    assert outcome["to"] == names.stories_index(2)
    assert all(total >= 400 for total in searches)  # the alias always answered
    assert es_client.indices.get_alias(name=names.stories).body == {
        names.stories_index(2): {"aliases": {names.stories: {"is_write_index": True}}}
    }
    assert backend.count() == 550
    ids = {
        hit["_id"]
        for hit in es_client.search(index=names.stories_index(2), size=1000, source=False)["hits"][
            "hits"
        ]
    }
    assert ids == {s.id for s in before + during}
    assert backend.get_story(during[-1].id) == during[-1]
    assert backend.search(SearchRequest(query="pyongyang")).total == 550
    backend.close()


def test_rollover_starts_a_new_write_index_and_updates_stay_single(
    tmp_path: Path,
    es_url: str,
    es_prefix: str,
    es_client: Elasticsearch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = str(write_config(tmp_path, es_url, es_prefix))
    es_config = ElasticsearchIndex(url=[es_url], index_prefix=es_prefix)
    docs = stories(5)
    with ElasticsearchBackend(es_config, state_dir=tmp_path / "state") as backend:
        for story in docs:
            backend.put_story(story)
    kept = cli_json(capsys, "index", "rollover", "--config", config, "--max-docs", "100")
    assert kept["rolled_over"] is False
    rolled = cli_json(capsys, "index", "rollover", "--config", config, "--max-docs", "5")
    names = IndexNames(es_prefix)
    assert rolled["rolled_over"] is True
    assert rolled["new_index"] == names.stories_index(2)
    with ElasticsearchBackend(es_config, state_dir=tmp_path / "state") as backend:
        # An update of a story in the old index is written where it lives, not duplicated.
        story = backend.find_by_url(docs[0].url)
        assert story is not None
        backend.put_story(dataclasses.replace(story, title="Updated after rollover"))
        backend.put_story(make_story("https://new.example/after-rollover"))
        backend.flush()
        assert backend.count() == 6
        assert backend.get_story(docs[0].id).title == "Updated after rollover"
    assert es_client.count(index=names.stories_index(2))["count"] == 1


def test_delete_indices_removes_only_what_the_pattern_names(
    es_client: Elasticsearch, es_prefix: str
) -> None:
    for suffix in ("bench-1", "bench-2", "keep"):
        es_client.indices.create(index=f"{es_prefix}-{suffix}")
    deleted = delete_indices(es_client, f"{es_prefix}-bench-*")
    assert sorted(deleted) == [f"{es_prefix}-bench-1", f"{es_prefix}-bench-2"]
    assert list(es_client.indices.get(index=f"{es_prefix}-*")) == [f"{es_prefix}-keep"]
    assert delete_indices(es_client, f"{es_prefix}-absent-*") == []
