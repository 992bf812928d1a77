"""`newswatch status`: a summary by state, then each source's last run, next run and totals.

Built for 10,000 sources: one query of the state table (which keeps each
source's last run) and one of the job store's next run times, never a query per
source; filters and paging apply before anything is formatted.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any, Literal

from crawler.base.time import isoformat_utc
from scheduler.jobstore import next_run_times
from scheduler.ledger import effective_every
from scheduler.lock import running_pid
from scheduler.queue.broker import describe, dispatch_status
from scheduler.state import StateStore

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from crawler.config import Config, Source
    from crawler.index.run_history import RunHistory
    from scheduler.state import SourceRecord

RECENT_RUNS = 50  # how far back status looks past skipped turns for the last crawl
#: A turn this far past its time that has not started makes the source overdue.
OVERDUE_AFTER = timedelta(minutes=1)
State = Literal["paused", "failing", "overdue", "new", "ok"]
STATES: tuple[State, ...] = ("ok", "failing", "paused", "overdue", "new")
COLUMNS = (
    ("source", "SOURCE"),
    ("state", "STATE"),
    ("last_run", "LAST RUN"),
    ("outcome", "OUTCOME"),
    ("next_run", "NEXT RUN"),
    ("every", "EVERY"),
    ("failures", "FAILS"),
    ("runs", "RUNS"),
    ("ok", "OK"),
    ("failed", "FAILED"),
    ("timed_out", "TIMED OUT"),
    ("skipped", "SKIPPED"),
    ("stories_new", "NEW"),
)


@dataclass(frozen=True)
class StatusFilter:
    """Which sources to list: by state, by a name glob, and a page of them."""

    states: frozenset[str] = frozenset()
    source: str | None = None  # a glob: "bbc-*"
    limit: int | None = None
    offset: int = 0

    def matches(self, name: str, state: str) -> bool:
        if self.states and state not in self.states:
            return False
        return self.source is None or fnmatchcase(name, self.source)


def collect(
    config: Config,
    backend: RunHistory,
    engine: Engine,
    where: StatusFilter | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The status of the service, the counts by state and the chosen sources, JSON-able."""
    where = where or StatusFilter()
    now = now or datetime.now(UTC)
    pid = running_pid(config.state_dir)
    next_runs = next_run_times(engine)
    records = StateStore(engine).all()
    counts: Counter[str] = Counter()
    chosen: list[tuple[Source, State]] = []
    for source in config.sources:
        # Only the state for every source (the summary counts them all); rows for the page.
        state = state_of(records.get(source.name), next_runs.get(source.name), now)
        counts[state] += 1
        if where.matches(source.name, state):
            chosen.append((source, state))
    end = None if where.limit is None else where.offset + where.limit
    page = []
    for source, state in chosen[where.offset : end]:
        record = records.get(source.name)
        row = _row(source.name, record, next_runs.get(source.name), backend)
        row["state"] = state
        row["every_s"] = effective_every(config, source, record)
        row["cron"] = source.cron
        row["scheduled"] = source.name in next_runs
        page.append(row)
    return {
        "scheduler": {"running": pid is not None, "pid": pid},
        "dispatch": dispatch_status(config.dispatch),
        "summary": {"total": len(config.sources), **{s: counts[s] for s in STATES}},
        "matched": len(chosen),
        "offset": where.offset,
        "sources": page,
    }


def _row(
    name: str, record: SourceRecord | None, next_run: datetime | None, backend: RunHistory
) -> dict[str, Any]:
    last: dict[str, Any] | None = None
    if record is not None and record.last_started:
        last = {
            "started": record.last_started,
            "outcome": record.last_outcome,
            "error": record.last_error,
        }
    elif record is not None and record.runs:
        last = _last_run(backend, name)  # state kept by an older release: ask the history
    totals = ("runs", "ok", "failed", "timed_out", "skipped", "stories_new")
    return {
        "source": name,
        "last_run": last["started"] if last else None,
        "outcome": last["outcome"] if last else None,
        "error": last.get("error") if last else None,
        "next_run": isoformat_utc(next_run) if next_run else None,
        "failures": record.failures if record else 0,
        "paused": record.paused if record else None,
        "paused_at": record.paused_at if record else None,
        "retry_after_s": record.retry_after if record and record.retry_after else None,
        "hints": json.loads(record.last_hints) if record and record.last_hints else {},
        **{key: getattr(record, key) if record else 0 for key in totals},
    }


def state_of(record: SourceRecord | None, next_run: datetime | None, now: datetime) -> State:
    """paused, failing, overdue (its turn is a minute past and it has not started), new, ok."""
    if record is not None and record.paused:
        return "paused"
    if record is not None and record.failures:
        return "failing"
    if next_run is not None and next_run < now - OVERDUE_AFTER:
        return "overdue"
    if record is None or not (record.runs or record.last_started):
        return "new"
    return "ok"


def _last_run(backend: RunHistory, source: str) -> dict[str, Any] | None:
    """The latest run that crawled; a skipped turn only when there is nothing else recent."""
    runs = backend.list_runs(source, limit=RECENT_RUNS)
    return next((run for run in runs if run["outcome"] != "skipped"), runs[0] if runs else None)


def human_seconds(seconds: float) -> str:
    """90 -> 1m30s, 5400 -> 1h30m, 172800 -> 2d."""
    rest = round(seconds)
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if rest >= size or (unit == "s" and not parts):
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts[:2])


def summary_line(status: dict[str, Any]) -> str:
    """'sources: 10000 (ok 9500, failing 300, paused 50, overdue 100, new 50)'."""
    summary = status["summary"]
    counts = ", ".join(f"{state} {summary[state]}" for state in STATES)
    return f"sources: {summary['total']} ({counts})"


def format_table(status: dict[str, Any]) -> str:
    """The service, the counts by state, one line per listed source, why some are paused."""
    service = status["scheduler"]
    head = (
        f"scheduler: running (pid {service['pid']})"
        if service["running"]
        else "scheduler: not running"
    )
    if status.get("dispatch", {}).get("mode") == "queue":  # embedded: nothing to add
        head += "\n" + describe(status["dispatch"])
    rows = [[title for _, title in COLUMNS]]
    reasons = []
    for row in status["sources"]:
        cells = dict(row)
        cells["last_run"] = row["last_run"] or "never"
        cells["outcome"] = row["outcome"] or "-"
        cells["next_run"] = row["next_run"] or ("-" if row["scheduled"] else "not scheduled")
        cells["every"] = (
            f"cron {row['cron']}" if row["cron"] else human_seconds(row["every_s"] or 0)
        )
        rows.append([str(cells[key]) for key, _ in COLUMNS])
        if row["paused"]:
            reasons.append(f"  {row['source']}: paused since {row['paused_at']}: {row['paused']}")
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    shown = len(status["sources"])
    first = status["offset"] + 1 if shown else 0
    foot = f"listed {first}-{status['offset'] + shown} of {status['matched']} matching"
    if reasons:
        foot += "\npaused (newswatch sources resume NAME):\n" + "\n".join(reasons)
    return "\n".join([head, summary_line(status), *lines, foot])
