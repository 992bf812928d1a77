"""Queue mode heals itself: lost jobs sent again, bad broker settings refused, stops that end.

Real `newswatch schedule` and `newswatch worker` processes on a real Redis; the
crawl is the scheduler tests' fake (a subprocess printing a summary), so each
test takes seconds and counts exactly how often each source ran.
"""

from __future__ import annotations

import json
import shlex
import shutil
import signal
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from scheduler.jobstore import jobstore_url, make_engine, next_run_times
from scheduler.queue.broker import Keys
from tests.fixtures.backends import BackendStore, index_settings
from tests.fixtures.redis import _free_port
from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    WAIT,
    FakeCrawl,
    Gate,
    cli,
    fake_fixture,
    gate_fixture,
)
from tests.test_worker_queue import Service, Worker

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fixtures.redis import RedisServer

pytestmark = pytest.mark.timeout(300)

SOURCES = ["alpha", "bravo", "charlie"]


def write_config(
    tmp_path: Path, redis_server: RedisServer, index: dict[str, Any], **dispatch: Any
) -> Path:
    """Fake sources (never fetched: the crawl is fake), queue mode in a fresh namespace."""
    raw = {
        "state_dir": str(tmp_path / "state"),
        "index": index,
        "crawl": {"time_limit": "1m"},
        "scheduler": {"default_every": "1h", "jitter": 0},
        "topics": [{"name": "dprk", "query": '"North Korea"'}],
        "sources": [{"name": n, "feeds": [f"http://127.0.0.1:9/{n}.xml"]} for n in SOURCES],
        "dispatch": {
            "mode": "queue",
            "broker_url": redis_server.url,
            "namespace": f"t{uuid.uuid4().hex[:8]}",
            "worker_timeout": "5s",
            **dispatch,
        },
    }
    config_file = tmp_path / "newswatch.yaml"
    config_file.write_text(yaml.safe_dump(raw))
    return config_file


def embedded(tmp_path: Path) -> dict[str, Any]:
    return {"backend": "embedded", "embedded": {"path": str(tmp_path / "index.sqlite3")}}


def runs_of(store: BackendStore) -> dict[str, list[str]]:
    """Each source's run outcomes, oldest first."""
    backend = store.open()
    try:
        return {s: [r["outcome"] for r in reversed(backend.list_runs(s))] for s in SOURCES}
    finally:
        store.close()


def errors_of(store: BackendStore, outcome: str) -> list[str]:
    backend = store.open()
    try:
        runs = [r for s in SOURCES for r in backend.list_runs(s) if r["outcome"] == outcome]
    finally:
        store.close()
    return [r["error"] for r in runs]


def queued(service: Service, count: int) -> None:
    while sum("crawl job" in line and "queued" in line for line in service.log) < count:
        service.wait_for("queued")


def finished(service: Service, count: int) -> None:
    while sum("run finished" in line for line in service.log) < count:
        service.wait_for("run finished")


def delete_one(redis_server: RedisServer, config_file: Path, source: str) -> None:
    """Take the queued message of `source` off the queue, as a lost write would."""
    raw = yaml.safe_load(config_file.read_text())["dispatch"]
    queue = Keys(raw["namespace"]).queue("crawl")
    with redis_server.client() as client:
        for message_id, data in client.hgetall(f"{queue}.msgs").items():
            if json.loads(data)["args"][0] == source:
                assert client.lrem(queue, 0, message_id) == 1
                client.hdel(f"{queue}.msgs", message_id)
                return
    raise AssertionError(f"no queued message of {source}")


def restart_empty(redis_server: RedisServer) -> None:
    """Redis back without its data: a default Redis, or a failover to a replica behind."""
    redis_server.stop()
    for leftover in redis_server.dir.iterdir():
        if leftover.name != "redis.log":
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    redis_server.start()


@pytest.mark.parametrize(
    ("fault", "backend_store"),
    [
        ("flushall", "embedded"),
        ("flushall", "elasticsearch"),
        ("restart_empty", "embedded"),
        ("delete_one", "embedded"),
    ],
    indirect=["backend_store"],
)
def test_jobs_the_broker_lost_are_sent_again_and_run_once(
    fault: str,
    backend_store: BackendStore,
    tmp_path: Path,
    redis_fresh: RedisServer,
    fake: FakeCrawl,
) -> None:
    backend_store.close()  # the service and the worker open it
    config_file = write_config(tmp_path, redis_fresh, index_settings(backend_store.spec))
    service = Service(config_file)
    worker: Worker | None = None
    try:
        queued(service, len(SOURCES))  # no worker yet: every job waits on the queue
        if fault == "flushall":
            with redis_fresh.client() as client:
                client.flushall()
        elif fault == "restart_empty":
            restart_empty(redis_fresh)
        else:
            delete_one(redis_fresh, config_file, "alpha")
        worker = Worker(config_file, "w1", "--crawl-command", shlex.join(fake.command))
        finished(service, len(SOURCES))
    finally:
        assert service.stop() == 0, "".join(service.log[-50:])
        if worker is not None:
            assert worker.stop() == 0, "".join(worker.log[-50:])

    lost = ["alpha"] if fault == "delete_one" else SOURCES
    assert runs_of(backend_store) == {s: ["lost", "ok"] if s in lost else ["ok"] for s in SOURCES}
    assert all("sent again" in error for error in errors_of(backend_store, "lost"))
    for source in SOURCES:  # none twice: the re-sent job ran once, the lost one never
        assert len(fake.calls(source)) == 1, fake.calls()


@pytest.mark.parametrize(("password", "port", "code"), [("wrong", None, 2), (None, "closed", 1)])
@pytest.mark.parametrize("command", ["schedule", "worker", "status"])
def test_a_wrong_password_or_a_closed_port_stops_the_command_at_start(
    command: str,
    password: str | None,
    port: str | None,
    code: int,
    tmp_path: Path,
    redis_fresh: RedisServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = redis_fresh.url
    secret = f"{password}{uuid.uuid4().hex[:8]}"
    if password is not None:
        url = url.replace(redis_fresh.password, secret)
    if port is not None:
        url = url.replace(f":{redis_fresh.port}/", f":{_free_port()}/")
    config_file = write_config(tmp_path, redis_fresh, embedded(tmp_path), broker_url=url)
    got, _, err = cli(capsys, command, "--config", str(config_file))
    assert got == code, err
    line = err.strip().splitlines()[-1]
    assert line.startswith(f"newswatch {command}: dispatch.broker_url"), err
    expected = "refused the credentials" if password else "broker unreachable"
    assert expected in line, line
    assert redis_fresh.password not in err and secret not in err  # never the password


def test_a_stop_with_no_worker_returns_the_queued_turns_to_the_schedule(
    tmp_path: Path, redis_fresh: RedisServer
) -> None:
    config_file = write_config(tmp_path, redis_fresh, embedded(tmp_path))
    service = Service(config_file)
    queued(service, len(SOURCES))
    service.process.send_signal(signal.SIGTERM)
    assert service.process.wait(WAIT) == 0  # the first signal: no worker needed to end it
    stopped_at = datetime.now(UTC)
    service.wait_for("scheduler stopped:")
    assert any("3 queued turn(s) not started go back" in line for line in service.log)
    assert not any("waiting for" in line for line in service.log)  # none ran

    store = _embedded_store(tmp_path)
    assert runs_of(store) == {s: ["skipped"] for s in SOURCES}
    assert all("turn returned to the schedule" in e for e in errors_of(store, "skipped"))
    # Due again: the next start runs the turns the stop took back.
    due = next_run_times(make_engine(jobstore_url_of(config_file)))
    assert all(due[s] is not None and due[s] <= stopped_at for s in SOURCES), due
    with redis_fresh.client() as client:  # and nothing is left for a worker to run unseen
        raw = yaml.safe_load(config_file.read_text())["dispatch"]
        assert client.llen(Keys(raw["namespace"]).queue("crawl")) == 0


def test_a_stop_with_the_broker_down_ends_and_records_every_turn(
    tmp_path: Path, redis_fresh: RedisServer
) -> None:
    config_file = write_config(tmp_path, redis_fresh, embedded(tmp_path))
    service = Service(config_file)
    try:
        queued(service, len(SOURCES))
        redis_fresh.stop()
        service.process.send_signal(signal.SIGTERM)
        assert service.process.wait(WAIT) == 0
    finally:
        service.stop()
        redis_fresh.start()
    store = _embedded_store(tmp_path)
    assert runs_of(store) == {s: ["skipped"] for s in SOURCES}
    assert all("broker unreachable" in e for e in errors_of(store, "skipped"))


def _embedded_store(tmp_path: Path) -> BackendStore:
    return BackendStore({"kind": "embedded", "path": str(tmp_path / "index.sqlite3")})


def jobstore_url_of(config_file: Path) -> str:
    from crawler.config import load_config

    return jobstore_url(load_config(config_file))


def test_a_stop_waits_for_the_crawl_running_on_a_worker_and_returns_the_rest(
    tmp_path: Path, redis_fresh: RedisServer, fake: FakeCrawl, gate: Gate
) -> None:
    for source in SOURCES:
        fake.plan(source, gate=str(gate.path))
    config_file = write_config(tmp_path, redis_fresh, embedded(tmp_path))
    service = Service(config_file)
    worker = Worker(config_file, "w1", "--crawl-command", shlex.join(fake.command))
    try:
        worker.wait_for("crawl started")  # one crawl runs, two jobs wait (one worker)
        running = gate.accept()
        running.expect("ready")
        queued(service, len(SOURCES))
        service.process.send_signal(signal.SIGTERM)
        service.wait_for("waiting for 1 running crawl(s)")
        running.release()  # the running crawl ends: the stop can end too
        assert service.process.wait(WAIT) == 0
        service.wait_for("scheduler stopped:")
    finally:
        service.stop()
        assert worker.stop() == 0, "".join(worker.log[-50:])
    assert any("2 queued turn(s) not started go back" in line for line in service.log)
    outcomes = runs_of(_embedded_store(tmp_path))
    assert sorted(outcomes.values()) == [["ok"], ["skipped"], ["skipped"]], outcomes
    assert len(fake.calls()) == 1  # the returned turns never ran


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://:s3cret@127.0.0.1:6379/0", "malformed URL"),
        ("redis://:s3cret@127.0.0.1:port/0", "malformed URL"),
        ("redis://:s3cret@no-such-host.invalid:6379/0", "unknown host"),
    ],
)
def test_a_malformed_url_or_an_unknown_host_is_a_setting_error(url: str, expected: str) -> None:
    from crawler.config.schema import DispatchConfig
    from scheduler.queue.preflight import EXIT_CONFIG, check

    problem = check(DispatchConfig(mode="queue", broker_url=url))
    assert problem is not None and problem.code == EXIT_CONFIG, problem
    assert expected in problem.message and "dispatch.broker_url" in problem.message
    assert "s3cret" not in problem.message
