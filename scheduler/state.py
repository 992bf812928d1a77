"""Per-source scheduler state (adaptive interval, hints, pause, run totals), beside the job store.

It lives in the job store's database, so a PostgreSQL job store keeps it too.
Counters are incremented in SQL: a skip recorded by the scheduler thread and a
run finishing in a worker thread never overwrite each other. The last run's
start, outcome and error are kept here too, so `newswatch status` reads one
table for 10,000 sources instead of asking the run history once per source.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    Unicode,
    insert,
    inspect,
    select,
    text,
    update,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from scheduler.adaptive import SourceState

logger = logging.getLogger(__name__)

OUTCOMES = ("ok", "failed", "timed_out", "skipped")
REASON_CHARS = 500

_metadata = MetaData()
_table = Table(
    "newswatch_source_state",
    _metadata,
    Column("source", Unicode(191), primary_key=True),
    Column("base", Float, nullable=False),  # the configured interval the state adapts from
    Column("every", Float, nullable=False),
    Column("failures", Integer, nullable=False, default=0),
    Column("runs", Integer, nullable=False, default=0),
    *(Column(outcome, Integer, nullable=False, default=0) for outcome in OUTCOMES),
    Column("stories_new", Integer, nullable=False, default=0),
    # Added for #20; _add_columns brings an older table up to date.
    Column("http_floor", Float, nullable=False, default=0.0, server_default="0"),
    Column("feed_floor", Float, nullable=False, default=0.0, server_default="0"),
    Column("retry_after", Float, nullable=False, default=0.0, server_default="0"),
    Column("paused", Unicode(REASON_CHARS), nullable=True),
    Column("paused_at", Unicode(32), nullable=True),
    Column("scheduled", Float, nullable=True),  # the interval the job was last given
    Column("last_started", Unicode(32), nullable=True),
    Column("last_outcome", Unicode(16), nullable=True),
    Column("last_error", Unicode(REASON_CHARS), nullable=True),
    Column("last_hints", Unicode(REASON_CHARS), nullable=True),  # JSON: the last run's hints
)


@dataclass(frozen=True)
class SourceRecord:
    source: str
    base: float
    every: float
    failures: int
    runs: int
    ok: int
    failed: int
    timed_out: int
    skipped: int
    stories_new: int
    http_floor: float = 0.0
    feed_floor: float = 0.0
    retry_after: float = 0.0
    paused: str | None = None
    paused_at: str | None = None
    scheduled: float | None = None
    last_started: str | None = None
    last_outcome: str | None = None
    last_error: str | None = None
    last_hints: str | None = None


_FIELDS = frozenset(f.name for f in fields(SourceRecord))


class StateStore:
    """Rows of `newswatch_source_state`, one per source ever scheduled."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        _metadata.create_all(engine, checkfirst=True)
        _add_columns(engine)

    def ensure(self, source: str, base: float) -> SourceRecord:
        """The source's row, created or, when its configured interval changed, reset to it."""
        with self.engine.begin() as conn:
            row = _get(conn, source)
            if row is None:
                conn.execute(insert(_table).values(source=source, base=base, every=base))
            elif row.base != base:
                conn.execute(
                    update(_table)
                    .where(_table.c.source == source)
                    .values(base=base, every=base, failures=0)
                )
            record = _get(conn, source)
        assert record is not None
        return record

    def get(self, source: str) -> SourceRecord | None:
        with self.engine.connect() as conn:
            return _get(conn, source)

    def all(self) -> dict[str, SourceRecord]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(_table)).mappings()
            return {row["source"]: _record(row) for row in rows}

    def count(
        self, source: str, outcome: str, stories_new: int = 0, state: SourceState | None = None
    ) -> None:
        """Add one run with `outcome` to the totals and store the policy's new `state`."""
        values: dict[str, Any] = {
            "runs": _table.c.runs + (outcome != "skipped"),
            outcome: _table.c[outcome] + 1,
            "stories_new": _table.c.stories_new + stories_new,
        }
        if state is not None:
            values.update(
                every=state.every,
                failures=state.failures,
                http_floor=state.http_floor,
                feed_floor=state.feed_floor,
                retry_after=state.retry_after,
                paused=state.paused[:REASON_CHARS] if state.paused else None,
            )
        with self.engine.begin() as conn:
            conn.execute(update(_table).where(_table.c.source == source).values(**values))

    def last_run(
        self,
        source: str,
        started: str | None,
        outcome: str,
        error: str | None,
        *,
        scheduled: float | None = None,
        paused_at: str | None = None,
        hints: dict[str, Any] | None = None,
    ) -> None:
        """The source's latest crawl, as status shows it, and the interval now scheduled.

        A skipped turn is kept only while the source has never crawled: status
        shows the last crawl, not the turns skipped after it.
        """
        values: dict[str, Any] = {
            "last_started": started,
            "last_outcome": outcome,
            "last_error": error[:REASON_CHARS] if error else None,
        }
        where = _table.c.source == source
        if outcome == "skipped":
            where = where & _table.c.last_started.is_(None)
        else:
            hints_json = json.dumps(hints or {}, sort_keys=True)
            values.update(
                scheduled=scheduled,
                paused_at=paused_at,
                last_hints=hints_json if len(hints_json) <= REASON_CHARS else None,
            )
        with self.engine.begin() as conn:
            conn.execute(update(_table).where(where).values(**values))

    def resume(self, source: str) -> bool:
        """An operator's resume: failures, pause and Retry-After forgotten. False: no such row."""
        with self.engine.begin() as conn:
            done = conn.execute(
                update(_table)
                .where(_table.c.source == source)
                .values(failures=0, paused=None, paused_at=None, retry_after=0.0)
            )
        return bool(done.rowcount)


def _record(row: Any) -> SourceRecord:
    return SourceRecord(**{key: value for key, value in row.items() if key in _FIELDS})


def _get(conn: Connection, source: str) -> SourceRecord | None:
    row = conn.execute(select(_table).where(_table.c.source == source)).mappings().first()
    return _record(row) if row is not None else None


def _add_columns(engine: Engine) -> None:
    """Columns a newer release added, on a table an older one created (SQLite, PostgreSQL)."""
    have = {column["name"] for column in inspect(engine).get_columns(_table.name)}
    missing = [column for column in _table.columns if column.name not in have]
    if not missing:
        return
    with engine.begin() as conn:
        for column in missing:
            kind = column.type.compile(engine.dialect)
            default = f" DEFAULT {column.server_default.arg}" if column.server_default else ""  # type: ignore[attr-defined]
            null = "" if column.nullable else " NOT NULL"
            conn.execute(
                text(f"ALTER TABLE {_table.name} ADD COLUMN {column.name} {kind}{null}{default}")
            )
    logger.info("scheduler state: added columns %s", ", ".join(c.name for c in missing))
