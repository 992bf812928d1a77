"""`newswatch schedule`, `run-now` and `status` from the command line, with a fake crawl."""

from __future__ import annotations

import json
import shlex
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.test_scheduler_support import (  # noqa: F401 (fixtures)
    FakeCrawl,
    Gate,
    Service,
    cli,
    fake_fixture,
    gate_fixture,
    status,
)

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "newswatch.yaml"
    config = {
        "state_dir": str(tmp_path / "state"),
        "index": {"embedded": {"path": str(tmp_path / "index.sqlite3")}},
        "scheduler": {"jitter": 0},
        "topics": [{"name": "dprk", "query": '"North Korea"'}],
        "sources": [
            {"name": "a", "feeds": ["http://127.0.0.1:9/a.xml"], "every": "1h"},
            {"name": "b", "feeds": ["http://127.0.0.1:9/b.xml"], "cron": "0 6 * * *"},
        ],
    }
    path.write_text(yaml.safe_dump(config))
    return path


def test_run_now_without_a_service_runs_the_crawl_here_and_records_it(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake: FakeCrawl
) -> None:
    command = shlex.join(fake.command)
    code, out, _ = cli(
        capsys, "run-now", "a", "--config", str(config_file), "--crawl-command", command
    )

    assert code == 0
    run = json.loads(out)
    assert run["source"] == "a" and run["outcome"] == "ok" and run["stats"]["stories_new"] == 1
    (call,) = fake.calls("a")
    assert call["argv"][-5:] == ["--config", str(config_file), "--source", "a", "--json"]
    a, b = status(capsys, config_file)["sources"]
    assert (a["outcome"], a["runs"], a["ok"], a["stories_new"]) == ("ok", 1, 1, 1)
    assert a["next_run"] is None and not a["scheduled"]  # no service has scheduled it yet
    assert b["last_run"] is None and b["runs"] == 0

    fake.plan("a", exit=1)
    code, out, _ = cli(
        capsys, "run-now", "a", "--config", str(config_file), "--crawl-command", command
    )
    assert code == 1 and json.loads(out)["outcome"] == "failed"


def test_run_now_of_an_unknown_source_lists_the_sources(
    capsys: pytest.CaptureFixture[str], config_file: Path
) -> None:
    code, _, err = cli(capsys, "run-now", "nope", "--config", str(config_file))
    assert code == 2
    assert "no source 'nope' (sources: a, b)" in err


def test_the_service_runs_sources_takes_run_now_and_stops_on_sigterm(
    capsys: pytest.CaptureFixture[str], config_file: Path, fake: FakeCrawl, gate: Gate
) -> None:
    fake.plan("a", gate=str(gate.path))
    service = Service(config_file, fake)
    try:
        crawl = gate.accept()  # a new source is crawled at once
        crawl.expect("ready")
        crawl.release()
        service.wait_for("source a: run finished: ok")

        code, out, _ = cli(capsys, "run-now", "a", "--config", str(config_file))
        assert code == 0
        assert f"a: run requested from the running scheduler (pid {service.process.pid})" in out
        crawl = gate.accept()  # the service read the request and made the source due
        crawl.expect("ready")
        crawl.release()
        service.wait_for("source a: run finished: ok")

        state = status(capsys, config_file)
        assert state["scheduler"] == {"running": True, "pid": service.process.pid}
        a, b = state["sources"]
        assert (a["runs"], a["ok"]) == (2, 2) and a["next_run"] and a["every_s"] == 3600
        # A new cron source waits for its first time (06:00 UTC).
        assert b["runs"] == 0 and b["next_run"].endswith("T06:00:00Z") and b["every_s"] is None
    finally:
        assert service.stop() == 0, "".join(service.log)
    assert status(capsys, config_file)["scheduler"]["running"] is False
    assert len(fake.calls("a")) == 2
