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

from tests.fixtures.elasticsearch import Cluster, delete_prefixed
from tests.harness.elasticsearch.node import ElasticsearchNode, NodeError, prepare

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


def test_security_index_email_analyzer(es_client: Elasticsearch, es_prefix: str) -> None:
    # The analysis settings of Elasticsearch's own .security index: with security on (the
    # stack's least-privilege users), creating a role fails without these names.
    index = f"{es_prefix}-security-like"
    es_client.indices.create(
        index=index,
        settings={
            "analysis": {
                "filter": {
                    "email": {
                        "type": "pattern_capture",
                        "preserve_original": True,
                        "patterns": ["([^@]+)", "(\\p{L}+)", "(\\d+)", "@(.+)"],
                    }
                },
                "analyzer": {
                    "email": {
                        "tokenizer": "uax_url_email",
                        "filter": ["email", "lowercase", "unique"],
                    }
                },
            }
        },
    )
    assert tokens(es_client, index, "Jane.Doe2@Example.org jane", analyzer="email") == [
        "jane.doe2@example.org",
        "jane.doe2",
        "jane",
        "doe",
        "2",
        "example.org",
        "example",
        "org",
    ]


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


def test_prefix_cleanup_removes_only_that_prefix(es_client: Elasticsearch, es_prefix: str) -> None:
    doomed, kept = f"{es_prefix}-doomed", f"{es_prefix}-kept"
    es_client.cluster.put_component_template(name=f"{doomed}-ct", template={"settings": {}})
    es_client.indices.put_index_template(
        name=f"{doomed}-tpl", index_patterns=[f"{doomed}-x*"], composed_of=[f"{doomed}-ct"]
    )
    es_client.indices.create(index=f"{doomed}-x1", aliases={f"{doomed}-alias": {}})
    es_client.indices.create(index=kept, aliases={f"{doomed}-alias-on-kept": {}})
    es_client.ingest.put_pipeline(id=f"{doomed}-pipeline", processors=[])

    # As on a production cluster, where ELASTICSEARCH_URL may point: no wildcard deletes.
    es_client.cluster.put_settings(persistent={"action.destructive_requires_name": True})
    try:
        delete_prefixed(es_client, f"{doomed}*")
    finally:
        es_client.cluster.put_settings(persistent={"action.destructive_requires_name": None})

    gone = es_client.options(ignore_status=404)
    assert gone.indices.exists(index=f"{doomed}-x1").body is False
    assert gone.indices.exists_index_template(name=f"{doomed}-tpl").body is False
    assert gone.cluster.exists_component_template(name=f"{doomed}-ct").body is False
    assert gone.ingest.get_pipeline(id=f"{doomed}-pipeline").body == {}
    assert es_client.indices.exists(index=kept)
    assert es_client.indices.get_alias(index=kept).body == {kept: {"aliases": {}}}


def run_inner_session(tmp_path: Path, test_source: str, **env: str) -> tuple[int, str]:
    """Run one test file in a pytest session of its own with only this fixture plugin."""
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(test_source))
    environ = {k: v for k, v in os.environ.items() if k != "ELASTICSEARCH_URL"}
    environ.update(PYTHONPATH=str(REPO), NEWSWATCH_ES_HEAP="256m", **env)
    inner = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.fixtures.elasticsearch"]
        + ["-p", "no:cacheprovider", "-q", str(tmp_path)],
        cwd=tmp_path,
        env=environ,
        capture_output=True,
        text=True,
        timeout=240,
    )
    return inner.returncode, inner.stdout + inner.stderr


def test_elasticsearch_url_runs_the_suite_on_that_cluster(tmp_path: Path, es_url: str) -> None:
    status, output = run_inner_session(
        tmp_path,
        """
        def test_uses_it(es_client, es_url):
            assert es_client.cluster.health()["cluster_name"]
        """,
        ELASTICSEARCH_URL=es_url,
    )
    assert status == 0, output
    assert "Elasticsearch test cluster (ELASTICSEARCH_URL): version 8." in output
    assert f"at {es_url}" in output


def test_killed_node_fails_later_tests_with_its_log(tmp_path: Path) -> None:
    # A session of its own (with its own node): the shared session node must stay up.
    status, output = run_inner_session(
        tmp_path,
        """
        from tests.fixtures.elasticsearch import cluster_key

        def test_node_crashes(request, es_client):
            assert es_client.cluster.health()["status"] in ("green", "yellow")
            request.config.stash[cluster_key].node.kill()

        def test_after_crash(es_url):
            pass
        """,
    )
    assert status == 1, output
    assert "1 passed, 1 error" in output, output
    assert "skipped" not in output
    assert "the Elasticsearch node at http://127.0.0.1:" in output
    assert "died" in output
    assert "last log lines" in output
    assert "newswatch-test-node" in output  # a line of the node's own log
