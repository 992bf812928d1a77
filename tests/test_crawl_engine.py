"""The crawl engine with real parts: hostile sources, a killed engine, recycling, both backends."""

from __future__ import annotations

import logging
import os
import re
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from crawler.config import load_config
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from scheduler.runner import CrawlResult, EngineRunner
from tests.fixtures.newsweb import world_config

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.harness.newsweb.client import NewsWeb

pytestmark = pytest.mark.timeout(300)

OUTLETS = ["wire", "frontline"]
BACKENDS = ["embedded", "elasticsearch"]


class HostileHandler(BaseHTTPRequestHandler):
    """`hang`: never answers; `flood`: an endless body; `garbage`: bytes that are no feed."""

    server: HostileServer

    def do_GET(self) -> None:
        mode = self.server.mode
        if mode == "hang":
            self.server.stopped.wait()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        if mode == "garbage":
            self.wfile.write(os.urandom(64 * 1024))
            return
        chunk = b"<item><title>flood</title></item>" * 1000
        while not self.server.stopped.is_set():
            try:
                self.wfile.write(chunk)
            except OSError:  # the crawler hung up, as it should
                return

    def log_message(self, format: str, *args: Any) -> None:
        pass


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, mode: str) -> None:
        super().__init__((address, 0), HostileHandler)
        self.mode = mode
        self.stopped = threading.Event()

    @property
    def feed(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}/{self.mode}.xml"


@pytest.fixture
def hostile() -> Iterator[dict[str, HostileServer]]:
    """One server per behaviour, each on its own loopback address (its own robots.txt)."""
    servers = {
        mode: HostileServer(f"127.0.0.{n}", mode)
        for n, mode in enumerate(("hang", "flood", "garbage"), start=2)
    }
    for server in servers.values():
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield servers
    for server in servers.values():
        server.stopped.set()
        server.shutdown()
        server.server_close()


def engine_config(
    web: NewsWeb,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    backend: str = "embedded",
    crawl: dict[str, Any] | None = None,
    extra_sources: list[dict[str, Any]] | None = None,
) -> Path:
    es: dict[str, Any] = {}
    if backend == "elasticsearch":
        es = {"es_url": request.getfixturevalue("es_url")}
        es["index_prefix"] = request.getfixturevalue("es_prefix")
    path = world_config(
        web, tmp_path, backend, sources=OUTLETS, entry_points=("feeds",), crawl=crawl, **es
    )
    if extra_sources:
        raw = yaml.safe_load(path.read_text())
        raw["sources"] += extra_sources
        path.write_text(yaml.safe_dump(raw))
    return path


def run_all(runner: EngineRunner, sources: list[str]) -> dict[str, CrawlResult]:
    """Each source's poll in its own thread, as the service's executor runs them."""
    results: dict[str, CrawlResult] = {}
    threads = [
        threading.Thread(target=lambda s=s: results.__setitem__(s, runner.run(s))) for s in sources
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def indexed(config_file: Path) -> list[tuple[str, ...]]:
    """Each story as its sorted copy URLs: what two runs must agree on."""
    with make_backend(load_config(config_file)) as backend:
        return sorted(tuple(sorted(s.copy_urls)) for s in backend.export(SearchRequest()))


def test_hanging_flooding_and_garbage_sources_do_not_stall_the_others(
    newsweb_fresh: NewsWeb,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    hostile: dict[str, HostileServer],
    caplog: pytest.LogCaptureFixture,
) -> None:
    extra = [
        {"name": mode, "feeds": [server.feed], "allowed_domains": [server.server_address[0]]}
        for mode, server in hostile.items()
    ]
    # A generous download timeout: only the poll's time limit can end the hang.
    crawl = {"time_limit": "20s", "download_timeout": "120s"}
    config_file = engine_config(newsweb_fresh, tmp_path, request, crawl=crawl, extra_sources=extra)
    runner = EngineRunner(config_file, time_limit=20.0, concurrency=8)
    caplog.set_level("DEBUG")
    try:
        results = run_all(runner, [*OUTLETS, *hostile])
    finally:
        runner.close()

    for outlet in OUTLETS:
        result = results[outlet]
        assert result.outcome == "ok", (outlet, result.error)
        assert result.summary is not None and result.summary["stories_new"] > 0
    assert results["hang"].outcome == "timed_out", results["hang"]
    assert results["flood"].summary is not None and results["garbage"].summary is not None
    assert results["flood"].summary["pages_fetched"] == 0  # cut at max_response_bytes
    assert results["garbage"].outcome in ("ok", "failed")
    assert runner.client.starts == 1  # one engine ran them all
    # One reactor, many crawlers: no per-poll deprecation warnings any more.
    assert "ScrapyDeprecationWarning" not in caplog.text
    # The engine's log: no second time stamp; its polls' INFO chatter at DEBUG.
    relayed = [r for r in caplog.records if r.getMessage().startswith("[engine] ")]
    assert relayed and not any(re.match(r"\[engine\] \d{4}-", r.getMessage()) for r in relayed)
    chatter = [r.getMessage() for r in relayed if r.levelno == logging.INFO]
    assert all(" crawler.engine." in line or "progress" in line for line in chatter), chatter


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_engine_killed_mid_poll_runs_every_source_and_indexes_as_a_clean_run(
    newsweb_fresh: NewsWeb, tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    clean_file = engine_config(newsweb_fresh, tmp_path / "clean", request, backend)
    clean = EngineRunner(clean_file, time_limit=120.0, concurrency=4)
    try:
        clean_results = run_all(clean, OUTLETS)
    finally:
        clean.close()
    assert {r.outcome for r in clean_results.values()} == {"ok"}

    if backend == "elasticsearch":  # the same cluster, another prefix
        raw = yaml.safe_load(clean_file.read_text())
        raw["index"]["elasticsearch"]["index_prefix"] += "-killed"
        killed_file = tmp_path / "killed.yaml"
        raw["state_dir"] = str(tmp_path / "killed-state")
        killed_file.write_text(yaml.safe_dump(raw))
    else:
        killed_file = engine_config(newsweb_fresh, tmp_path / "killed", request, backend)
    runner = EngineRunner(killed_file, time_limit=120.0, concurrency=4)
    killed: list[int] = []

    def kill_mid_poll() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            engine = runner.client._engine
            if engine is not None and engine.pending:
                time.sleep(1.0)  # the polls are under way: robots, feeds, articles
                killed.append(engine.pid)
                os.kill(engine.pid, signal.SIGKILL)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_mid_poll)
    killer.start()
    try:
        results = run_all(runner, OUTLETS)
    finally:
        killer.join()
        runner.close()

    assert killed, "the engine was never seen polling"
    assert runner.client.starts == 2  # restarted after the crash
    assert {s: r.outcome for s, r in results.items()} == dict.fromkeys(OUTLETS, "ok")
    assert indexed(killed_file) == indexed(clean_file)
    assert indexed(clean_file)  # and there is something to compare


def test_the_engine_recycles_after_n_polls_and_loses_none(
    newsweb_fresh: NewsWeb, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    crawl = {"engine": {"recycle_polls": 2, "concurrency": 2}}
    config_file = engine_config(newsweb_fresh, tmp_path, request, crawl=crawl)
    runner = EngineRunner(config_file, time_limit=120.0, concurrency=2)
    try:
        first = run_all(runner, OUTLETS * 2)  # four polls at once: more than one engine's share
        again = [runner.run(source) for source in OUTLETS * 2]
    finally:
        runner.close()

    assert all(r.outcome == "ok" and r.summary is not None for r in [*first.values(), *again])
    assert runner.client.starts >= 3  # 8 polls, 2 per engine (at least: none was lost for good)
    for result in again:
        assert result.summary is not None and result.summary["stories_new"] == 0


def test_no_download_outlives_the_crawls_time_limit() -> None:
    from scrapy import Request
    from scrapy.utils.test import get_crawler

    from crawler.middlewares.deadline import FLOOR, DeadlineMiddleware

    crawler = get_crawler(settings_dict={"CLOSESPIDER_TIMEOUT": 60, "DOWNLOAD_TIMEOUT": 30})
    middleware = DeadlineMiddleware.from_crawler(crawler)
    early = Request("http://example.org/feed.xml")
    middleware.process_request(early)
    assert early.meta["download_timeout"] == 30  # far from the limit: the usual timeout

    middleware.started -= 45  # 15 s left, plus the 1 s margin
    late = Request("http://example.org/robots.txt")
    middleware.process_request(late)
    assert 15 < late.meta["download_timeout"] <= 16

    middleware.started -= 60  # past the limit: a retry fails at once
    middleware.process_request(late)
    assert late.meta["download_timeout"] == FLOOR
