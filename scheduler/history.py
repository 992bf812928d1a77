"""Run records: one per crawl or skipped turn, kept by the index backend (`<prefix>-runs`)."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from crawler.base.time import isoformat_utc

if TYPE_CHECKING:
    from datetime import datetime

    from crawler.index.run_history import RunHistory
    from scheduler.runner import CrawlResult

logger = logging.getLogger(__name__)


def run_record(result: CrawlResult, *, every: float | None, failures: int) -> dict[str, Any]:
    """The record of one crawl; `every` and `failures` are the source's state after it."""
    stats = {k: v for k, v in (result.summary or {}).items() if k != "sources"}
    return {
        "id": uuid.uuid4().hex,
        "source": result.source,
        "started": isoformat_utc(result.started),
        "ended": isoformat_utc(result.ended),
        "outcome": result.outcome,
        "duration_s": round(result.duration, 3),
        "exit_code": result.exit_code,
        "error": result.error,
        "signals": result.signals,
        "worker": result.worker,
        "dispatch": result.dispatch,
        "stats": stats,
        "every_s": every,
        "failures": failures,
    }


def skipped_record(source: str, when: datetime, reason: str) -> dict[str, Any]:
    """The record of a turn that did not run (the previous run still going, or missed)."""
    return {
        "id": uuid.uuid4().hex,
        "source": source,
        "started": isoformat_utc(when),
        "ended": isoformat_utc(when),
        "outcome": "skipped",
        "duration_s": 0.0,
        "error": reason,
        "stats": {},
    }


def store(backend: RunHistory, run: dict[str, Any]) -> bool:
    """Write `run`; a history the backend cannot take is logged, never fatal to scheduling."""
    try:
        backend.record_run(run)
    except Exception:
        logger.exception("run %s of source %s: cannot record it", run["id"], run["source"])
        return False
    return True
