"""The Elasticsearch test node: version, analysis names, and loud failure when it dies."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from elasticsearch import BadRequestError

from tests.elasticsearch.node import ElasticsearchNode, NodeError, prepare
from tests.fixtures.elasticsearch import Cluster

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

REPO = Path(__file__).resolve().parent.parent
# The chains of the contract's newswatch_folded / newswatch_english analyzers.
ANALYSIS = {
    "filter": {
        "english_possessive": {"type": "stemmer", "language": "possessive_english"},
        "english_stop": {"type": "stop", "stopwords": "_english_"},
        "english_stemmer": {"type": "stemmer", "language": "english"},
        "light_stemmer": {"type": "stemmer", "name": "light_english"},
        "minimal_stemmer": {"type": "stemmer", "language": "minimal_english"},
        "folding_keep": {"type": "asciifolding", "preserve_original": True},
    },
    "analyzer": {
        "newswatch_folded": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
        "newswatch_english": {
            "tokenizer": "standard",
            "filter": [
                "english_possessive",
                "lowercase",
                "asciifolding",
                "english_stop",
                "english_stemmer",
            ],
        },
    },
    "normalizer": {"folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]}},
}
HEADLINE = "North Korea's troops in Kyïv: Pyongyang's REPORTS"


def tokens(client: Elasticsearch, index: str, text: str = HEADLINE, **how: object) -> list[str]:
    result = client.indices.analyze(index=index, text=text, **how)  # type: ignore[arg-type]
    return [token["token"] for token in result["tokens"]]


def test_node_reports_elasticsearch_8(es_client: Elasticsearch) -> None:
    nodes = es_client.nodes.info()["nodes"]
    versions = {node["version"] for node in nodes.values()}
    assert len(versions) == 1
    assert versions.pop().startswith("8.")
    assert es_client.cluster.health()["status"] in ("green", "yellow")


@pytest.fixture
def analysis_index(es_client: Elasticsearch, es_prefix: str) -> str:
    index = f"{es_prefix}-analysis"
    es_client.indices.create(
        index=index,
        settings={"number_of_replicas": 0, "analysis": ANALYSIS},
        mappings={
            "properties": {
                "title": {"type": "text", "analyzer": "newswatch_english"},
                "outlet": {"type": "keyword", "normalizer": "folded"},
            }
        },
    )
    return index


def test_contract_analyzers_fold_and_stem(es_client: Elasticsearch, analysis_index: str) -> None:
    assert tokens(es_client, analysis_index, analyzer="newswatch_english") == [
        "north",
        "korea",
        "troop",
        "kyiv",
        "pyongyang",
        "report",
    ]
    assert tokens(es_client, analysis_index, analyzer="newswatch_folded") == [
        "north",
        "korea's",
        "troops",
        "in",
        "kyiv",
        "pyongyang's",
        "reports",
    ]


def test_english_analyzer_and_stemmer_variants(
    es_client: Elasticsearch, analysis_index: str
) -> None:
    # The built-in english analyzer stems and drops stop words but, like Elasticsearch's, does
    # not fold accents.
    english = tokens(es_client, analysis_index, analyzer="english")
    assert english == ["north", "korea", "troop", "kyïv", "pyongyang", "report"]
    chain = {"tokenizer": "standard", "text": "reports running stories"}
    stemmed = {
        "light_stemmer": ["report", "running", "story"],
        "minimal_stemmer": ["report", "running", "story"],
        "porter_stem": ["report", "run", "stori"],
        "english_possessive": ["reports", "running", "stories"],
    }
    for name, expected in stemmed.items():
        assert tokens(es_client, analysis_index, filter=[name], **chain) == expected, name
    assert tokens(
        es_client, analysis_index, tokenizer="standard", filter=["folding_keep"], text="Kyïv"
    ) == ["Kyiv", "Kyïv"]


def test_folded_search_matches_without_accents_or_possessives(
    es_client: Elasticsearch, analysis_index: str
) -> None:
    es_client.index(
        index=analysis_index,
        id="1",
        document={"title": HEADLINE, "outlet": "Kyïv Independent"},
        refresh=True,
    )
    hits = es_client.search(
        index=analysis_index, query={"match": {"title": "kyiv pyongyang report"}}
    )
    assert [hit["_id"] for hit in hits["hits"]["hits"]] == ["1"]
    by_outlet = es_client.search(
        index=analysis_index, query={"term": {"outlet": "KYIV independent"}}
    )
    assert by_outlet["hits"]["total"]["value"] == 1


def test_unknown_stemmer_language_is_rejected(es_client: Elasticsearch, es_prefix: str) -> None:
    with pytest.raises(BadRequestError, match="klingon"):
        es_client.indices.create(
            index=f"{es_prefix}-bad",
            settings={"analysis": {"filter": {"s": {"type": "stemmer", "language": "klingon"}}}},
        )


def test_node_that_cannot_start_reports_why() -> None:
    node = ElasticsearchNode(prepare(), heap="1k")  # below any JVM's minimum
    with pytest.raises(NodeError) as caught:
        node.start()
    message = str(caught.value)
    assert "exited during startup" in message
    assert "Too small maximum heap" in message  # the JVM's own words, passed through
    assert not node.base.exists()


def test_liveness_check_fails_for_unreachable_cluster() -> None:
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    with pytest.raises(pytest.fail.Exception, match="stopped answering"):
        Cluster(url=url, version="8.19.21").check_alive()


def test_killed_node_fails_later_tests_with_its_log(tmp_path: Path) -> None:
    # A session of its own (with its own node): the shared session node must stay up.
    (tmp_path / "test_inner.py").write_text(
        textwrap.dedent(
            """
            from tests.fixtures.elasticsearch import cluster_key

            def test_node_crashes(request, es_client):
                assert es_client.cluster.health()["status"] in ("green", "yellow")
                request.config.stash[cluster_key].node.kill()

            def test_after_crash(es_url):
                pass
            """
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "ELASTICSEARCH_URL"}
    env.update(PYTHONPATH=str(REPO), NEWSWATCH_ES_HEAP="256m")
    inner = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.fixtures.elasticsearch",
            "-p",
            "no:cacheprovider",
            "-q",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    output = inner.stdout + inner.stderr
    assert inner.returncode == 1, output
    assert "1 passed, 1 error" in output, output
    assert "skipped" not in output
    assert "the Elasticsearch node at http://127.0.0.1:" in output
    assert "died" in output
    assert "last log lines" in output
    assert "newswatch-test-node" in output  # a line of the node's own log
