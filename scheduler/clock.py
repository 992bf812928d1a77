"""The service's sense of time: wall-clock now and timers, injectable for tests."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable


class Timer(Protocol):
    def cancel(self) -> None: ...


class Clock(Protocol):
    """What the scheduler needs from time; tests substitute a clock they move by hand."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        """Call `callback` (from another thread) after `delay` seconds unless cancelled."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        timer = threading.Timer(max(delay, 0.0), callback)
        timer.daemon = True  # a pending time limit must never keep the process alive
        timer.start()
        return timer
