"""An Elasticsearch cluster that loses a node keeps serving searches and taking writes."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest
from elasticsearch import Elasticsearch

from crawler.config.schema import ElasticsearchIndex
from crawler.index.elasticsearch import ElasticsearchBackend
from crawler.index.search_index import SearchRequest
from tests.fixtures.backends import make_story

if TYPE_CHECKING:
    from pathlib import Path

    from tests.harness.elasticsearch.cluster import TwoNodeCluster

pytestmark = [pytest.mark.elasticsearch, pytest.mark.timeout(600)]


def stories(tag: str, n: int) -> list[dict]:
    return [
        make_story(
            f"https://outlet{i % 4}.example/{tag}/{i}",
            title=f"Dispatch {tag} {i}",
            text=f"North Korean troops near Kursk, report {tag} {i}.",
        )
        for i in range(n)
    ]


def shard_nodes(client: Elasticsearch, index: str) -> set[tuple[str, str]]:
    """(node, prirep) of every started copy of `index`'s shards."""
    rows = client.cat.shards(index=index, format="json", h="node,prirep,state")
    return {(row["node"], row["prirep"]) for row in rows if row["state"] == "STARTED"}


def test_search_and_writes_go_on_with_a_node_down_and_it_rejoins(
    es_cluster: TwoNodeCluster, tmp_path: Path
) -> None:
    prefix = f"t{uuid.uuid4().hex[:10]}-newswatch"
    config = ElasticsearchIndex(url=es_cluster.urls, index_prefix=prefix, max_retries=3)
    backend = ElasticsearchBackend(config, state_dir=tmp_path)
    client = Elasticsearch(es_cluster.master.url, request_timeout=60)
    before, during = stories("before", 40), stories("during", 25)
    with backend:
        for story in before:
            backend.put_story(story)
        backend.flush()
        index = backend.names.stories_pattern
        # auto_expand_replicas: a copy of every shard on each of the two nodes.
        assert {node for node, _ in shard_nodes(client, index)} == {"node-1", "node-2"}

        es_cluster.data.halt()
        es_cluster.wait_for(status="yellow", nodes=1)
        assert {node for node, _ in shard_nodes(client, index)} == {"node-1"}
        assert backend.count() == 40
        page = backend.search(SearchRequest(query='"report before 7"'))
        assert [hit.story.title for hit in page.hits][:1] == ["Dispatch before 7"]
        for story in during:
            backend.put_story(story)
        backend.flush()
        assert backend.stats["index/spooled"] == 0  # written, not held back for later
        assert backend.count() == 65

        es_cluster.data.start()
        es_cluster.wait_for(status="green", nodes=2)
        assert {node for node, _ in shard_nodes(client, index)} == {"node-1", "node-2"}
        assert backend.find_by_url(during[3].url) == during[3]
        assert backend.count() == 65
    client.close()
