"""`newswatch status` at 10,000 sources: today's implementation next to the one before it.

    .venv/bin/python -m bench.status_scale [--sources 10000] [--rounds 3]

Builds a state directory as a scheduler leaves it after every source has run
once (the job store with one job per source, the state table, one run record per
source in the embedded index; a tenth of the sources failing, one in a hundred
paused), then times, in the same run:

- "before": the status of the previous release (one run-history query per source
  for its last run, every job unpickled from the job store for its next run time);
- "all": today's `collect` for every source (`status --json`);
- "table": today's default table (the summary line, the first 100 sources);
- "filtered": `--state failing --source 'outlet-1*' --limit 20`.

Prints the median seconds of `--rounds` rounds of each. Target: the table well
under a second at 10,000 sources.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import event

from crawler.base.time import isoformat_utc
from crawler.config import Config
from crawler.index.sqlite import SqliteBackend
from scheduler import history
from scheduler.adaptive import SourceState
from scheduler.jobstore import (
    JobSpec,
    build_trigger,
    jobstore_url,
    make_engine,
    open_store,
    reconcile,
    source_of,
)
from scheduler.ledger import effective_every
from scheduler.runner import CrawlResult
from scheduler.state import StateStore
from scheduler.status import StatusFilter, collect, format_table

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
SUMMARY = {"pages_fetched": 2, "stories_new": 1, "seen_skipped": 9, "hints": {"max_age_s": 600.0}}


def build(directory: Path, count: int) -> Config:
    config = Config.model_validate(
        {
            "state_dir": str(directory / "state"),
            "index": {"embedded": {"path": str(directory / "index.sqlite3")}},
            "scheduler": {"jitter": 0},
            "topics": [{"name": "t", "query": "Korea"}],
            "sources": [
                {"name": f"outlet-{n}", "feeds": [f"https://outlet-{n}.example/feed"]}
                for n in range(count)
            ],
        }
    )
    engine = make_engine(jobstore_url(config))
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA synchronous=OFF"))
    scheduler = BlockingScheduler(timezone=UTC)  # never started: nothing runs
    store = open_store(engine, scheduler)
    specs = [JobSpec(s.name, build_trigger(s, 1800.0, 0), 300.0) for s in config.sources]
    reconcile(scheduler, store, specs, NOW)
    for job, _, _ in scheduler._pending_jobs:  # what start() would write to the store
        store.add_job(job)
    state = StateStore(engine)
    with SqliteBackend(config.index.embedded.path) as backend:
        for n, source in enumerate(config.sources):
            state.ensure(source.name, 1800.0)
            failed = n % 10 == 0
            paused = "5 consecutive failures; last: exit code 1" if n % 100 == 0 else None
            result = CrawlResult(
                source.name,
                NOW - timedelta(minutes=5),
                NOW - timedelta(minutes=4),
                "failed" if failed else "ok",
                summary=None if failed else SUMMARY,
                error="exit code 1" if failed else None,
            )
            after = SourceState(1800.0, 5 if paused else int(failed), paused=paused)
            state.count(source.name, result.outcome, 0 if failed else 1, after)
            state.last_run(
                source.name,
                isoformat_utc(result.started),
                result.outcome,
                result.error,
                scheduled=1800.0,
                paused_at=isoformat_utc(result.started) if paused else None,
                hints=(result.summary or {}).get("hints"),
            )
            backend.record_run(history.run_record(result, every=1800.0, failures=after.failures))
    return config


def before(config: Config) -> dict[str, Any]:
    """The previous release's scheduler/status.collect, as it was."""
    engine = make_engine(jobstore_url(config))
    store = open_store(engine)
    next_runs = {
        source: job.next_run_time
        for job in store.get_all_jobs()
        if (source := source_of(job.id)) is not None
    }
    records = StateStore(engine).all()
    rows = []
    with SqliteBackend(config.index.embedded.path) as backend:
        for source in config.sources:
            runs = backend.list_runs(source.name, limit=50)
            last = next((r for r in runs if r["outcome"] != "skipped"), runs[0] if runs else None)
            record = records.get(source.name)
            next_run = next_runs.get(source.name)
            rows.append(
                {
                    "source": source.name,
                    "last_run": last["started"] if last else None,
                    "next_run": isoformat_utc(next_run) if next_run else None,
                    "every_s": effective_every(config, source, record),
                }
            )
    return {"sources": rows}


def today(config: Config, where: StatusFilter) -> str:
    with SqliteBackend(config.index.embedded.path) as backend:
        status = collect(config, backend, make_engine(jobstore_url(config)), where, now=NOW)
    return format_table(status)


def timed(fn: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        config = build(Path(tmp), args.sources)
        print(f"built {args.sources} sources' state in {time.perf_counter() - start:.1f} s")
        cases: dict[str, Callable[[], object]] = {
            "before (previous release)": lambda: before(config),
            "all (status --json)": lambda: today(config, StatusFilter()),
            "table (summary + first 100)": lambda: today(config, StatusFilter(limit=100)),
            "filtered (failing, outlet-1*, 20)": lambda: today(
                config, StatusFilter(frozenset({"failing"}), "outlet-1*", 20)
            ),
        }
        print(f"{'status of ' + str(args.sources) + ' sources':40} {'median s':>10}")
        baseline = None
        for name, case in cases.items():
            seconds = timed(case, args.rounds)
            baseline = baseline or seconds
            print(f"{name:40} {seconds:10.3f}   x{baseline / seconds:.1f} faster than before")
        print(today(config, StatusFilter(limit=3)))


if __name__ == "__main__":
    main()
