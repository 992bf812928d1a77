"""The scheduler's book of crawl jobs in flight: sent to the broker, result not back yet.

Each flight is one job (one turn of one source). The reconciler
(scheduler/queue/reconcile.py) writes what the broker says of it — queued,
claimed by a worker, running, done or missing — and the thread waiting for the
job's result reads it, to tell a stop which turns run and which only wait.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

#: States the reconciler reports; "unknown" until its first look.
RUNNING_STATES = ("claimed", "running")


@dataclass
class Flight:
    """One job: its source, Dramatiq's id of its current message, what the broker last said."""

    job: str
    source: str
    message_id: str
    sent: float  # time.monotonic() of the latest send
    state: str = "unknown"
    missing_since: float | None = None  # monotonic; while no part of the broker holds it
    sends: int = 1
    started: str | None = None  # when a worker started it (ISO time), once seen running

    @property
    def running(self) -> bool:
        """A worker holds it: claimed (taking the source's lock) or crawling."""
        return self.state in RUNNING_STATES


class Flights:
    """Thread-safe: the waiting threads add and remove, the reconciler updates."""

    def __init__(self) -> None:
        self._flights: dict[str, Flight] = {}
        self._lock = threading.Lock()

    def add(self, job: str, source: str, message_id: str) -> Flight:
        flight = Flight(job, source, message_id, time.monotonic())
        with self._lock:
            self._flights[job] = flight
        return flight

    def remove(self, job: str) -> None:
        with self._lock:
            self._flights.pop(job, None)

    def get(self, job: str) -> Flight | None:
        with self._lock:
            return self._flights.get(job)

    def snapshot(self) -> list[Flight]:
        with self._lock:
            return list(self._flights.values())

    def resent(self, job: str, message_id: str) -> None:
        """The job went out again as a new message."""
        with self._lock:
            flight = self._flights.get(job)
            if flight is not None:
                flight.message_id = message_id
                flight.sent = time.monotonic()
                flight.sends += 1
                flight.state = "queued"
                flight.missing_since = None

    def observe(self, job: str, state: str, started: str | None, now: float) -> Flight | None:
        """Record what the broker said of `job`; the flight, or None when it already ended."""
        with self._lock:
            flight = self._flights.get(job)
            if flight is None:
                return None
            flight.state = state
            if started is not None:
                flight.started = started
            if state != "missing":
                flight.missing_since = None
            elif flight.missing_since is None:
                flight.missing_since = now
            return flight

    def running(self) -> list[Flight]:
        with self._lock:
            return [f for f in self._flights.values() if f.running]
