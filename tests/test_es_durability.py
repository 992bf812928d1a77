"""Nothing acknowledged is lost: spool, outages, rejected documents, SIGKILL, secrets in logs."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from crawler.config.schema import ElasticsearchIndex
from crawler.index.elasticsearch import ElasticsearchBackend
from crawler.index.elasticsearch.client import IndexNames
from crawler.index.elasticsearch.spool import Spool
from tests.fixtures.backends import make_story, unmapped

if TYPE_CHECKING:
    from collections.abc import Iterator

    from elasticsearch import Elasticsearch

pytestmark = pytest.mark.elasticsearch
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Outage:
    """A loopback TCP relay to the node that can be cut and restored on the same port."""

    def __init__(self, target: str):
        parts = urlsplit(target)
        self.target = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: socket.socket | None = None
        self._connections: list[socket.socket] = []

    def up(self) -> None:
        server = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def down(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            # shutdown wakes the thread blocked in accept(); close alone may not.
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()
        for conn in self._connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._connections = []

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def outage(es_url: str) -> Iterator[Outage]:
    relay = Outage(es_url)
    relay.up()
    yield relay
    relay.down()


def backend_for(url: str, prefix: str, state_dir: Path, **config: object) -> ElasticsearchBackend:
    es_config = ElasticsearchIndex(url=[url], index_prefix=prefix, max_retries=1, **config)
    return ElasticsearchBackend(es_config, state_dir=state_dir, flush_attempts=3, backoff=0.05)


def many(n: int, tag: str = "") -> list[dict]:
    return [
        make_story(
            f"https://outlet{i % 5}.example/{tag}news/{i}",
            title=f"Report {tag}{i}",
            text=f"North Korean troops near Kursk, dispatch {tag}{i}.",
        )
        for i in range(n)
    ]


def test_a_rejected_document_lands_in_the_dead_letter_file_with_its_error(
    tmp_path: Path, es_url: str, es_prefix: str
) -> None:
    good, bad, wrong_type = many(3)
    bad = unmapped(bad, unexpected_field="not in the mapping")  # dynamic: strict
    wrong_type = unmapped(wrong_type, outlet_count="several")
    backend = backend_for(es_url, es_prefix, tmp_path)
    with backend:
        for story in (good, bad, wrong_type):
            backend.put_story(story)
        backend.flush()
        assert backend.count() == 1
        assert backend.get_story(good.id) == good
        assert backend.stats["index/written"] == 1
        assert backend.stats["index/dead_letter"] == 2
        assert backend.stats["index/errors/strict_dynamic_mapping_exception"] == 1
        assert backend.stats["index/errors/document_parsing_exception"] == 1
    letters = [
        json.loads(line)
        for line in (tmp_path / f"{es_prefix}-dead-letters.jsonl").read_text().splitlines()
    ]
    assert {letter["id"] for letter in letters} == {bad.id, wrong_type.id}
    by_id = {letter["id"]: letter for letter in letters}
    assert by_id[bad.id]["document"] == bad.to_document()
    assert by_id[bad.id]["error"]["type"] == "strict_dynamic_mapping_exception"
    assert "unexpected_field" in by_id[bad.id]["error"]["reason"]
    assert by_id[wrong_type.id]["status"] == 400
    assert by_id[wrong_type.id]["time"].endswith("Z")
    # Settled: nothing is retried forever from the spool.
    assert len(Spool(tmp_path / f"{es_prefix}-spool.sqlite3")) == 0


def test_unreachable_cluster_spools_everything_and_the_next_open_writes_it(
    tmp_path: Path, es_url: str, es_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    docs = many(40)
    caplog.set_level(logging.WARNING, logger="crawler.index")
    backend = backend_for(closed, es_prefix, tmp_path, bulk_chunk_size=10)
    backend.open()
    for story in docs:
        backend.put_story(story)  # returns: spooled durably, not lost
    backend.flush()
    assert backend.stats["index/spooled"] == 40
    assert backend.stats["index/written"] == 0
    assert backend.stats["index/unavailable"] == 1
    backend.close()
    unavailable = [r for r in caplog.records if "not available" in r.getMessage()]
    assert len(unavailable) == 1  # said once, not per chunk
    assert len(Spool(tmp_path / f"{es_prefix}-spool.sqlite3")) == 40

    with backend_for(es_url, es_prefix, tmp_path) as reopened:
        assert reopened.count() == 40
        assert reopened.stats["index/written"] == 40
        for story in docs:
            assert reopened.get_story(story.id) == story
    assert len(Spool(tmp_path / f"{es_prefix}-spool.sqlite3")) == 0


def test_a_node_that_goes_away_mid_run_gets_every_story_when_it_returns(
    tmp_path: Path, es_prefix: str, outage: Outage
) -> None:
    backend = backend_for(outage.url, es_prefix, tmp_path, bulk_chunk_size=10)
    backend.open()
    before, during, after = many(25, "a"), many(30, "b"), many(15, "c")
    for story in before:
        backend.put_story(story)
    backend.flush()
    outage.down()
    for story in during:
        backend.put_story(story)
    backend.flush()
    assert backend.stats["index/spooled"] == 30
    outage.up()
    for story in after:
        backend.put_story(story)
    backend.flush()  # same run: the spooled writes go out once the node answers
    assert backend.count() == 70
    assert backend.find_by_url(during[7].url) == during[7]
    assert len(backend.writer.spool) == 0
    backend.close()


WRITER = """
import json, sys
from pathlib import Path
from crawler.config.schema import ElasticsearchIndex
from crawler.index.elasticsearch import ElasticsearchBackend
from tests.fixtures.backends import make_story
url, prefix, state = sys.argv[1:4]
backend = ElasticsearchBackend(
    ElasticsearchIndex(url=[url], index_prefix=prefix, bulk_chunk_size=40), state_dir=Path(state))
backend.open()
for i in range(100000):
    story = make_story(f"https://outlet{i % 9}.example/killed/{i}", title=f"Dispatch {i}")
    backend.put_story(story)
    print(story.id, flush=True)  # acknowledged: put_story returned
"""


def test_sigkill_mid_run_loses_no_acknowledged_story_and_a_rerun_converges(
    tmp_path: Path, es_url: str, es_prefix: str, es_client: Elasticsearch
) -> None:
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, es_url, es_prefix, str(tmp_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert writer.stdout is not None
    acknowledged = []
    try:
        for line in writer.stdout:
            acknowledged.append(line.strip())
            if len(acknowledged) == 437:  # not a chunk boundary: some are only spooled
                os.kill(writer.pid, signal.SIGKILL)
                break
    finally:
        writer.kill()
        writer.wait()
    acknowledged += [line.strip() for line in writer.stdout if line.strip()]
    assert len(Spool(tmp_path / f"{es_prefix}-spool.sqlite3")) > 0

    with backend_for(es_url, es_prefix, tmp_path) as reopened:
        indexed = reopened.count()
    names = IndexNames(es_prefix)
    hits = es_client.search(index=names.stories, size=10000, source=False)["hits"]["hits"]
    ids = [hit["_id"] for hit in hits]
    assert len(ids) == len(set(ids)) == indexed  # each story exactly once
    assert set(acknowledged) <= set(ids)

    # A re-run writes the same stories again: the index converges, no duplicates.
    with backend_for(es_url, es_prefix, tmp_path) as rerun:
        for i in range(len(ids)):
            rerun.put_story(
                make_story(f"https://outlet{i % 9}.example/killed/{i}", title=f"Dispatch {i}")
            )
        rerun.flush()
        assert rerun.count() == len(ids)


def test_credentials_never_appear_in_logs(
    tmp_path: Path, es_url: str, es_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    password, api_key = "hunter2-Sup3rSecret", "QWxhZGRpbjpvcGVuIHNlc2FtZQ-apikey"
    caplog.set_level(logging.DEBUG)
    closed = f"http://127.0.0.1:{free_port()}"
    in_url = urlsplit(es_url)._replace(netloc=f"elastic:{password}@{urlsplit(es_url).netloc}")
    for url in (closed, es_url, in_url.geturl()):
        for auth in ({"username": "elastic", "password": password}, {"api_key": api_key}):
            backend = backend_for(
                url, es_prefix, tmp_path / str(len(list(tmp_path.iterdir()))), **auth
            )
            backend.open()
            backend.put_story(unmapped(many(1)[0], bogus=1))  # dead letter: logged with reason
            backend.flush()
            backend.close()
    text = caplog.text
    assert "not available" in text and "refused" in text  # the logs did say something
    assert password not in text
    assert api_key not in text
    assert "elastic:" not in text
    for path in tmp_path.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert password.encode() not in content and api_key.encode() not in content
