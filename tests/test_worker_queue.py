"""Queue mode for real: the scheduler, `newswatch worker` processes and Redis, on the mock web."""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from crawler.config import load_config
from crawler.config.schema import DispatchConfig
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from scheduler.queue.broker import describe
from scheduler.queue.worker import CrawlWorker
from tests.fixtures.newsweb import world_config
from tests.test_scheduler_support import WAIT, cli, make_config, status
from tests.test_scheduler_support import Service as SchedulerProcess

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fixtures.redis import RedisServer
    from tests.harness.newsweb.client import NewsWeb

pytestmark = pytest.mark.timeout(600)  # real crawls on a shared machine

ALL_SOURCES_WAIT = 120.0  # seconds: a safety net, never expected to pass
#: Short, so a killed worker is noticed soon; not so short that a loaded machine's stall looks
#: like a death.
WORKER_TIMEOUT = 5
OUTLETS = ["wire", "frontline", "ledger", "metro"]  # one more than two workers' first two turns


class Service(SchedulerProcess):
    """`newswatch schedule` waited for as long as real crawls on workers take."""

    def wait_for(self, text: str) -> str:
        while True:
            line = self.lines.get(timeout=ALL_SOURCES_WAIT)
            self.log.append(line)
            if text in line:
                return line


class Worker:
    """`newswatch worker --name NAME` as a subprocess; its log lines arrive on a queue."""

    def __init__(self, config_file: Path, name: str, *extra: str) -> None:
        argv = [sys.executable, "-m", "crawler", "worker", "--config", str(config_file)]
        argv += ["--concurrency", "1"]  # one crawl at a time: the tests count on its order
        self.name = name
        self.process = subprocess.Popen(
            [*argv, "--name", name, *extra], stderr=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.pump = threading.Thread(target=self._pump, daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, count: int = 1) -> str:
        while True:
            line = self.lines.get(timeout=ALL_SOURCES_WAIT)
            self.log.append(line)
            if text in line and sum(text in seen for seen in self.log) >= count:
                return line

    def stop(self) -> int:
        """SIGTERM, wait; then every line it logged is in `log`."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(WAIT)
        self.pump.join(WAIT)
        while not self.lines.empty():
            self.log.append(self.lines.get())
        return code


def queue_config(web: NewsWeb, tmp_path: Path, redis_server: RedisServer, **kwargs: Any) -> Path:
    """A world config in queue mode, in its own Redis namespace, with a short worker timeout."""
    config_file = world_config(web, tmp_path, **kwargs)
    raw = yaml.safe_load(config_file.read_text())
    raw["scheduler"] = {"default_every": "1h", "jitter": 0}  # repeats come from run-now
    raw["dispatch"] = {
        "mode": "queue",
        "broker_url": redis_server.url,
        "namespace": f"t{uuid.uuid4().hex[:8]}",
        "worker_timeout": f"{WORKER_TIMEOUT}s",
    }
    config_file.write_text(yaml.safe_dump(raw))
    return config_file


def story_sets(config_file: Path) -> set[tuple[str, frozenset[str]]]:
    """Each indexed story as (title, its copies' URLs): comparable across indices."""
    with make_backend(load_config(config_file)) as backend:
        stories = list(backend.export(SearchRequest()))
    return {(story.title, frozenset(story.copy_urls)) for story in stories}


def single_process_crawl(web: NewsWeb, tmp_path: Path) -> set[tuple[str, frozenset[str]]]:
    config_file = world_config(web, tmp_path / "single", sources=OUTLETS)
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config_file)],
        capture_output=True,
        text=True,
        timeout=ALL_SOURCES_WAIT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return story_sets(config_file)


def test_two_workers_share_the_crawls_and_a_killed_workers_crawl_is_run_again(
    newsweb_fresh: NewsWeb,
    tmp_path: Path,
    redis_fresh: RedisServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config_file = queue_config(newsweb_fresh, tmp_path / "queue", redis_fresh, sources=OUTLETS)
    config = load_config(config_file)
    sources = [s.name for s in config.sources]
    doomed, survivor = Worker(config_file, "doomed"), Worker(config_file, "survivor")
    service = Service(config_file)
    try:
        # The doomed worker finishes one crawl (its run is recorded), then dies in its second.
        doomed.wait_for("crawl started", count=2)
        killed_source = doomed.log[-1].split("source ", 1)[1].split(":", 1)[0]
        # Its second poll is in flight in the worker's crawl engine.
        doomed.process.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        doomed.process.wait(WAIT)
        service.wait_for("worker doomed: no heartbeat")
        redelivery = time.monotonic() - killed_at
        while sum("run finished" in line for line in service.log) < len(sources):
            service.wait_for("run finished")
        rows = status(capsys, config_file)
    finally:
        assert service.stop() == 0, "".join(service.log[-50:])
        assert survivor.stop() == 0, "".join(survivor.log[-50:])
        doomed.stop()

    with make_backend(config) as backend:
        runs = {source: backend.list_runs(source) for source in sources}
    # The killed attempt is in run history (worker, start, how it ended), then the re-run.
    killed = [r for r in runs[killed_source] if r["outcome"] == "killed"]
    assert len(killed) == 1 and killed[0]["worker"] == "doomed", runs[killed_source]
    assert "went silent mid-crawl" in killed[0]["error"] and killed[0]["started"]
    for source, source_runs in runs.items():
        done = [r["outcome"] for r in source_runs if r["outcome"] != "killed"]
        assert done == ["ok"], (source, source_runs)
    workers = {s: next(r for r in runs[s] if r["outcome"] == "ok")["worker"] for s in sources}
    assert set(workers.values()) == {"doomed", "survivor"}, workers
    assert workers[killed_source] == "survivor"
    # Noticed by the heartbeat check within worker_timeout plus a margin, not 180 s.
    with capsys.disabled():
        print(f"\nre-delivery after SIGKILL: {redelivery:.1f}s (worker_timeout {WORKER_TIMEOUT}s)")
    assert redelivery < WORKER_TIMEOUT + 10, redelivery
    assert all(runs[s][0]["dispatch"]["queued_s"] >= 0 for s in sources)

    dispatch = rows["dispatch"]
    assert dispatch["mode"] == "queue" and dispatch["queue_depth"] == 0
    assert [w["name"] for w in dispatch["workers"]] == ["survivor"]  # the dead one timed out

    # Re-running the killed crawl left the index as one process crawling everything makes it.
    assert story_sets(config_file) == single_process_crawl(newsweb_fresh, tmp_path)


def test_a_broker_outage_pauses_dispatch_then_runs_resume_once_each(
    newsweb_fresh: NewsWeb,
    tmp_path: Path,
    redis_fresh: RedisServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outlets = ["wire", "frontline"]
    config_file = queue_config(newsweb_fresh, tmp_path, redis_fresh, sources=outlets)
    worker = Worker(config_file, "w1")
    service = Service(config_file)
    try:
        for _ in outlets:
            service.wait_for("run finished")
        redis_fresh.stop()
        code, out, _ = cli(capsys, "run-now", "wire", "--config", str(config_file))
        assert code == 0, out
        service.wait_for("dispatch paused")
        code, out, err = cli(capsys, "status", "--config", str(config_file), "--json")
        assert code == 1 and "broker unreachable" in err, err
        assert json.loads(out)["dispatch"]["reachable"] is False
        redis_fresh.start()
        service.wait_for("dispatch resumed")
        service.wait_for("source wire: run finished")
    finally:
        assert service.stop() == 0, "".join(service.log[-50:])
        assert worker.stop() == 0, "".join(worker.log[-50:])

    with make_backend(load_config(config_file)) as backend:
        wire = backend.list_runs("wire")
        frontline = backend.list_runs("frontline")
    assert [r["outcome"] for r in wire] == ["ok", "ok"], wire
    assert [r["outcome"] for r in frontline] == ["ok"], frontline
    assert wire[0]["dispatch"]["broker_down_s"] > 0  # the run waited for the broker
    assert wire[1]["dispatch"]["broker_down_s"] == 0
    crawls = [line for line in worker.log if "crawl started" in line]
    assert len(crawls) == 3, crawls  # nothing ran twice
    # The outage is two lines in each log, not Dramatiq's line every 3 s.
    assert not [line for line in worker.log if "Consumer encountered" in line], worker.log
    assert sum("broker unreachable" in line for line in service.log) == 1, service.log
    assert json.loads(json.dumps(wire[0]["stats"]))["stories_new"] == 0


def test_a_worker_refuses_embedded_mode_and_reports_sources_it_does_not_know(
    tmp_path: Path, redis_fresh: RedisServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(tmp_path, {"known": {}})
    config_file = tmp_path / "embedded.yaml"
    raw = {
        "topics": [{"name": "dprk", "query": '"North Korea"'}],
        "sources": [{"name": "known", "feeds": ["http://127.0.0.1:9/known.xml"]}],
    }
    config_file.write_text(yaml.safe_dump(raw))
    code, _, err = cli(capsys, "worker", "--config", str(config_file))
    assert code == 2 and "dispatch.mode is 'embedded'" in err

    queued = config.model_copy(
        update={"dispatch": DispatchConfig(mode="queue", broker_url=redis_fresh.url)}
    )
    result = CrawlWorker(queued, None)._crawl("unknown")
    assert result.outcome == "failed"
    assert result.error is not None and "source unknown is not in this worker's config" in (
        result.error
    )


def test_status_line_names_queue_depth_and_what_each_worker_crawls() -> None:
    line = describe(
        {
            "mode": "queue",
            "reachable": True,
            "queue_depth": 3,
            "workers": [{"name": "a:1", "crawling": ["wire"]}, {"name": "b:2", "crawling": []}],
        }
    )
    assert line == "dispatch: queue, 3 job(s) waiting, 2 live worker(s): a:1 (wire), b:2 (idle)"
    down = describe({"mode": "queue", "reachable": False, "error": "Connection refused"})
    assert down == "dispatch: queue, broker unreachable (Connection refused)"
