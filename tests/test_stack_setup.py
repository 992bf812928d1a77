"""The compose stack's set-up steps, run as the containers run them, against real nodes.

`setup elasticsearch` needs a node with security on (roles, users, the
kibana_system password), so these tests start one of their own; `setup
kibana` talks to Kibana, which cannot run here: a loopback HTTP server records
what it is sent, and the test checks those saved objects.
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from elasticsearch import AuthorizationException, Elasticsearch

from crawler.cli import main
from crawler.config.schema import ElasticsearchIndex
from crawler.index import SearchRequest, SeenRecord
from crawler.index.elasticsearch import ElasticsearchBackend
from tests.fixtures.backends import make_story
from tests.harness.elasticsearch.node import ElasticsearchNode, prepare

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
ELASTIC_PASSWORD = "elastic-test-password"
PASSWORDS = {
    "KIBANA_PASSWORD": "kibana-test-password",
    "NEWSWATCH_WRITER_PASSWORD": "writer-test-password",
    "NEWSWATCH_READER_PASSWORD": "reader-test-password",
}


class SecuredNode(ElasticsearchNode):
    """A node with security on (HTTP without TLS) and a known `elastic` password."""

    def __init__(self, home: Path) -> None:
        super().__init__(home, settings={"xpack.security.enabled": "true"})

    def _lay_out(self) -> None:
        super()._lay_out()
        env = self._environment()
        keystore = [str(self.home / "bin" / "elasticsearch-keystore")]
        run = [*self._setpriv(), *keystore]
        subprocess.run([*run, "create"], env=env, check=True, capture_output=True)
        subprocess.run(
            [*run, "add", "-x", "bootstrap.password"],
            env=env,
            input=ELASTIC_PASSWORD.encode(),
            check=True,
            capture_output=True,
        )

    def _healthy(self) -> bool:
        try:
            health = _authorised_json(
                f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s"
            )
        except (OSError, ValueError):
            return False
        return health.get("status") in ("yellow", "green")

    def _reported_version(self) -> str:
        nodes = _authorised_json(f"{self.url}/_nodes/_local?filter_path=nodes.*.version")["nodes"]
        return str(next(iter(nodes.values()))["version"])


def _authorised_json(url: str) -> Any:
    token = base64.b64encode(f"elastic:{ELASTIC_PASSWORD}".encode()).decode()
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def secured_url() -> Iterator[str]:
    with SecuredNode(prepare()) as node:
        yield node.url


def config_file(tmp_path: Path) -> Path:
    # The stack's own config file, as compose mounts it.
    path = tmp_path / "newswatch.yaml"
    path.write_text((ROOT / "crawler/config/default.yaml").read_text(encoding="utf-8"))
    return path


def stack_env(
    monkeypatch: pytest.MonkeyPatch, url: str, prefix: str, user: str, password: str
) -> None:
    monkeypatch.setenv("NEWSWATCH_INDEX_BACKEND", "elasticsearch")
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH_URL", url)
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH_INDEX_PREFIX", prefix)
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH_USERNAME", user)
    monkeypatch.setenv("NEWSWATCH_ELASTICSEARCH_PASSWORD", password)


def run_setup(url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """`newswatch setup elasticsearch` with the environment compose gives the setup service."""
    for variable, value in PASSWORDS.items():
        monkeypatch.setenv(variable, value)
    stack_env(monkeypatch, url, "newswatch", "elastic", ELASTIC_PASSWORD)
    return main(["setup", "elasticsearch", "--config", str(config_file(tmp_path)), "--wait", "60"])


def test_setup_creates_least_privilege_users_and_indices(
    secured_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_setup(secured_url, tmp_path, monkeypatch) == 0
    # Re-running the one-shot service is harmless.
    assert run_setup(secured_url, tmp_path, monkeypatch) == 0

    def client(user: str, password: str) -> Elasticsearch:
        return Elasticsearch(secured_url, basic_auth=(user, password))

    writer = client("newswatch_writer", PASSWORDS["NEWSWATCH_WRITER_PASSWORD"])
    writer.index(index="newswatch-runs", id="r1", document={"source": "a"}, refresh=True)
    with pytest.raises(AuthorizationException):
        writer.index(index="other-index", document={"x": 1})
    with pytest.raises(AuthorizationException):
        writer.indices.delete(index="newswatch-runs")

    reader = client("newswatch_reader", PASSWORDS["NEWSWATCH_READER_PASSWORD"])
    assert reader.count(index="newswatch-runs")["count"] == 1
    with pytest.raises(AuthorizationException):
        reader.index(index="newswatch-runs", document={"source": "b"})

    kibana = client("kibana_system", PASSWORDS["KIBANA_PASSWORD"])
    assert kibana.security.authenticate()["username"] == "kibana_system"

    admin = client("elastic", ELASTIC_PASSWORD)
    assert admin.indices.exists_alias(name="newswatch-stories")


def test_crawler_and_api_work_with_their_least_privileges(
    secured_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compose stack's writer crawls and the reader searches; the reader cannot write."""
    assert run_setup(secured_url, tmp_path, monkeypatch) == 0

    def backend(user: str, password: str) -> ElasticsearchBackend:
        es = ElasticsearchIndex(
            url=[secured_url], index_prefix="newswatch", username=user, password=password
        )
        return ElasticsearchBackend(es, state_dir=tmp_path / user)

    story = make_story("http://outlet-a.test/privileges")
    with backend("newswatch_writer", PASSWORDS["NEWSWATCH_WRITER_PASSWORD"]) as writer:
        with writer.dedup_lock():
            writer.put_story(story)
        writer.mark_seen([SeenRecord(url=story.url, fetched_at=story.first_seen)])
        writer.record_run({"id": "r-priv", "source": "a", "started": story.first_seen,
                           "ended": story.first_seen, "outcome": "ok", "stats": {}})  # fmt: skip
        writer.flush()
        assert writer.find_by_url(story.url) is not None
    with backend("newswatch_reader", PASSWORDS["NEWSWATCH_READER_PASSWORD"]) as reader:
        assert reader.search(SearchRequest(query="Korean")).total == 1
        assert reader.list_runs()[0]["id"] == "r-priv"
    refused = backend("newswatch_reader", PASSWORDS["NEWSWATCH_READER_PASSWORD"])
    refused.open()
    try:
        refused.put_story(make_story("http://outlet-a.test/forbidden"))
        refused.flush()
    finally:
        refused.close()
    admin = Elasticsearch(secured_url, basic_auth=("elastic", ELASTIC_PASSWORD))
    admin.indices.refresh(index="newswatch-stories")
    urls = {
        hit["_source"]["url"] for hit in admin.search(index="newswatch-stories")["hits"]["hits"]
    }
    assert urls == {story.url}


def test_setup_refuses_to_run_without_the_user_passwords(
    secured_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("KIBANA_PASSWORD", "x" * 12)
    monkeypatch.delenv("NEWSWATCH_WRITER_PASSWORD", raising=False)
    stack_env(monkeypatch, secured_url, "newswatch", "elastic", ELASTIC_PASSWORD)
    assert main(["setup", "elasticsearch", "--config", str(config_file(tmp_path))]) == 2
    assert "NEWSWATCH_WRITER_PASSWORD is not set" in capsys.readouterr().err


class KibanaRecorder(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str], Any]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        headers = {key.lower(): value for key, value in self.headers.items()}
        self.received.append((self.path, headers, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


def test_setup_kibana_creates_data_view_and_a_saved_search_per_topic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), KibanaRecorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        stack_env(monkeypatch, "https://elasticsearch:9200", "newswatch", "elastic", "pw")
        url = f"http://127.0.0.1:{server.server_address[1]}"
        assert (
            main(["setup", "kibana", "--config", str(config_file(tmp_path)), "--kibana-url", url])
            == 0
        )
    finally:
        server.shutdown()
    (view_path, headers, view), (_, _, runs), (search_path, _, search) = KibanaRecorder.received
    assert view_path == "/api/data_views/data_view"
    assert runs["data_view"]["title"] == "newswatch-runs"
    assert runs["data_view"]["timeFieldName"] == "started"
    assert headers["kbn-xsrf"] and headers["authorization"].startswith("Basic ")
    assert view["data_view"]["title"] == "newswatch-stories"
    assert view["data_view"]["timeFieldName"] == "published"
    assert search_path == "/api/saved_objects/search/newswatch-topic-dprk-russia-war?overwrite=true"
    source = json.loads(search["attributes"]["kibanaSavedObjectMeta"]["searchSourceJSON"])
    assert source["query"] == {"language": "kuery", "query": 'topics : "dprk-russia-war"'}
    assert search["references"][0]["id"] == "newswatch-stories"
