"""Pausing and resuming sources: what `newswatch sources resume` does to a running scheduler.

A source is paused by the adaptive policy after `scheduler.pause_after`
consecutive failures (scheduler/adaptive.py) and still probed at its
`max_every`; the first answer resumes it. An operator resumes it at once: the
state forgets its failures, and a run request (scheduler/control.py) makes the
running scheduler poll it now, whose result reschedules it at its own interval.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.control import RunRequests
from scheduler.state import StateStore

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.engine import Engine

    from scheduler.state import SourceRecord


def resume_source(engine: Engine, source: str, now: datetime) -> SourceRecord | None:
    """Resume `source` and ask for a poll now; its state before, None if never scheduled."""
    state = StateStore(engine)
    record = state.get(source)
    if record is None or not state.resume(source):
        return None
    RunRequests(engine).add(source, now)
    return record
