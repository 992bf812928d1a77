"""Job functions, referred to by import path from the persistent job store.

A stored job holds only `scheduler.jobs:crawl_source` and the source name; the
service running in this process is bound here while it runs. `control` is the
service's own job (in memory, added at each start).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.service import SchedulerService

_service: SchedulerService | None = None


def bind(service: SchedulerService | None) -> None:
    global _service
    _service = service


def crawl_source(source: str) -> str:
    """Crawl one source now; returns the run's summary line."""
    if _service is None:
        raise RuntimeError(f"crawl of {source}: no scheduler service runs in this process")
    return _service.crawl(source)


def control() -> None:
    """The service's control job: a stop asked for by a signal, and run requests."""
    if _service is not None:
        _service.control()
