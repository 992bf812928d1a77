"""Per-source scheduler state (adaptive interval, failures, run totals), beside the job store.

It lives in the job store's database, so a PostgreSQL job store keeps it too.
Counters are incremented in SQL: a skip recorded by the scheduler thread and a
run finishing in a worker thread never overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Float, Integer, MetaData, Table, Unicode, insert, select, update

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from scheduler.adaptive import SourceState

OUTCOMES = ("ok", "failed", "timed_out", "skipped")

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


class StateStore:
    """Rows of `newswatch_source_state`, one per source ever scheduled."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        _metadata.create_all(engine, checkfirst=True)

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
            return {row["source"]: SourceRecord(**row) for row in rows}

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
            values.update(every=state.every, failures=state.failures)
        with self.engine.begin() as conn:
            conn.execute(update(_table).where(_table.c.source == source).values(**values))


def _get(conn: Connection, source: str) -> SourceRecord | None:
    row = conn.execute(select(_table).where(_table.c.source == source)).mappings().first()
    return SourceRecord(**row) if row is not None else None
