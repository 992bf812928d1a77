"""`newswatch status`: each source's last run, outcome, next run, interval and totals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.base.time import isoformat_utc
from scheduler.jobstore import next_run_times
from scheduler.ledger import effective_every
from scheduler.lock import running_pid
from scheduler.queue.broker import describe, dispatch_status
from scheduler.state import StateStore

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from crawler.config import Config
    from crawler.index.run_history import RunHistory

RECENT_RUNS = 50  # how far back status looks past skipped turns for the last crawl
COLUMNS = (
    ("source", "SOURCE"),
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


def collect(config: Config, backend: RunHistory, engine: Engine) -> dict[str, Any]:
    """The status of the service and of every configured source, JSON-able."""
    pid = running_pid(config.state_dir)
    next_runs = next_run_times(engine)
    records = StateStore(engine).all()
    sources = []
    for source in config.sources:
        last = _last_run(backend, source.name)
        record = records.get(source.name)
        next_run = next_runs.get(source.name)
        sources.append(
            {
                "source": source.name,
                "last_run": last["started"] if last else None,
                "outcome": last["outcome"] if last else None,
                "error": last.get("error") if last else None,
                "next_run": isoformat_utc(next_run) if next_run else None,
                "scheduled": source.name in next_runs,
                "every_s": effective_every(config, source, record),
                "cron": source.cron,
                "failures": record.failures if record else 0,
                **{
                    key: getattr(record, key) if record else 0
                    for key in ("runs", "ok", "failed", "timed_out", "skipped", "stories_new")
                },
            }
        )
    return {
        "scheduler": {"running": pid is not None, "pid": pid},
        "dispatch": dispatch_status(config.dispatch),
        "sources": sources,
    }


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


def format_table(status: dict[str, Any]) -> str:
    """A readable table, one line per source, under a line about the service."""
    service = status["scheduler"]
    head = (
        f"scheduler: running (pid {service['pid']})"
        if service["running"]
        else "scheduler: not running"
    )
    if status.get("dispatch", {}).get("mode") == "queue":  # embedded: nothing to add
        head += "\n" + describe(status["dispatch"])
    rows = [[title for _, title in COLUMNS]]
    for row in status["sources"]:
        cells = dict(row)
        cells["last_run"] = row["last_run"] or "never"
        cells["outcome"] = row["outcome"] or "-"
        cells["next_run"] = row["next_run"] or ("-" if row["scheduled"] else "not scheduled")
        cells["every"] = (
            f"cron {row['cron']}" if row["cron"] else human_seconds(row["every_s"] or 0)
        )
        rows.append([str(cells[key]) for key, _ in COLUMNS])
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join([head, *lines])
