"""Queue mode, scheduler side: a crawl is a message to the workers, its result a reply.

`QueueRunner` stands where `CrawlRunner` does in the service: `run(source)`
enqueues one crawl job and waits for the worker's result, so the service keeps
deciding when a source is due, one run at a time per source, and records each
run exactly as in embedded mode. While the broker is down, dispatch pauses: a
turn waits for it up to the misfire grace time, then is recorded as skipped.
The jobs in flight are reconciled with the broker every second
(scheduler/queue/reconcile.py); at a stop, the ones no worker has taken go
back to the schedule (scheduler/drain.py).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any

from dramatiq import Message
from dramatiq.errors import BrokerConnectionError

from crawler.base.time import isoformat_utc, parse_utc
from scheduler import history
from scheduler.drain import TurnReturned
from scheduler.queue.broker import ACTOR, ConnectionErrors, Keys, connect, make_broker, text
from scheduler.queue.flights import Flight, Flights
from scheduler.queue.outage import Outages
from scheduler.queue.reconcile import Reconciler
from scheduler.runner import CrawlResult, RunSkipped

if TYPE_CHECKING:
    import redis

    from crawler.config.schema import DispatchConfig
    from crawler.index.run_history import RunHistory

logger = logging.getLogger(__name__)

RETRY_EVERY = 1.0  # seconds between attempts while the broker is down
#: At a stop, how long past its time limit a crawl running on a worker is waited
#: for (the worker's --grace between SIGTERM and SIGKILL, 30 s by default, and a margin).
STOP_MARGIN = 35.0

# Take a queued message off the queue, unless a worker has claimed it meanwhile.
_WITHDRAW = """
if redis.call('lrem', KEYS[1], 0, ARGV[1]) > 0 then
    redis.call('hdel', KEYS[2], ARGV[1])
    return 1
end
return 0
"""


def encode_result(result: CrawlResult) -> str:
    return json.dumps(
        {
            "source": result.source,
            "started": isoformat_utc(result.started),
            "ended": isoformat_utc(result.ended),
            "outcome": result.outcome,
            "exit_code": result.exit_code,
            "summary": result.summary,
            "error": result.error,
            "signals": result.signals,
            "worker": result.worker,
            "dispatch": result.dispatch,
        }
    )


def decode_result(raw: bytes | str) -> CrawlResult:
    data: dict[str, Any] = json.loads(raw)
    for key in ("started", "ended"):
        data[key] = parse_utc(data[key])
    return CrawlResult(**data)


class QueueRunner:
    """Runs crawls on `newswatch worker` processes through the Redis broker."""

    def __init__(
        self,
        config: DispatchConfig,
        *,
        misfire_grace: float,
        time_limit: float = 3600.0,
        client: redis.Redis | None = None,
        history: RunHistory | None = None,
    ) -> None:
        self.config = config
        self.client = client or connect(config)
        self.broker = make_broker(config, self.client)
        self.keys = Keys(config.namespace)
        self.misfire_grace = misfire_grace
        self.time_limit = time_limit
        self.history = history
        self.outages = Outages("scheduler", resumed="dispatch resumed")
        self.flights = Flights()
        self.reconciler = Reconciler(
            self.client,
            config,
            self.flights,
            self.outages,
            resend=self._resend,
            record=self._record,
        )
        self._withdraw = self.client.register_script(_WITHDRAW)
        self._stopped = threading.Event()  # stop waiting for anything
        self._draining = threading.Event()  # stop sending; withdraw what waits
        self._drain_deadline = 0.0  # monotonic

    def expire_all(self) -> None:
        """The scheduler stops: stop waiting for results (the crawls go on on their workers)."""
        self._stopped.set()
        self._draining.set()
        self.reconciler.stop()

    def drain(self) -> int:
        """A stop begins: send nothing more, take back what no worker has; crawls running now."""
        self._drain_deadline = time.monotonic() + self.time_limit + STOP_MARGIN
        self._draining.set()
        try:
            self.reconciler.check()  # what runs now, not at the last look
            for flight in self.flights.snapshot():  # before a worker freed by a crawl claims it
                if flight.state in ("unknown", "queued") and self._take_back(flight):
                    flight.state = "withdrawn"
        except ConnectionErrors as exc:
            self.outages.down(exc)  # the last look's word stands
        return len(self.flights.running())

    def _take_back(self, flight: Flight) -> bool:
        """Withdraw the flight's message from the queue; False when a worker has it."""
        queue = self.keys.queue(self.config.queue)
        return bool(self._withdraw(keys=[queue, f"{queue}.msgs"], args=[flight.message_id]))

    def run(self, source: str) -> CrawlResult:
        """Enqueue one crawl of `source`, wait for its result; RunSkipped if it never went out."""
        self.reconciler.start()
        job = uuid.uuid4().hex
        message_id, paused = self._enqueue(source, job)
        self.flights.add(job, source, message_id)
        logger.info("source %s: crawl job %s queued", source, job)
        try:
            result = decode_result(self._wait(source, job))
        finally:
            self.flights.remove(job)
        result.dispatch = {**(result.dispatch or {}), "broker_down_s": round(paused, 3)}
        # DEBUG: the service logs the run's one summary line, the worker's name in it.
        logger.debug(
            "source %s: crawl %s on worker %s", source, result.outcome, result.worker or "?"
        )
        return result

    def _send(self, source: str, job: str) -> str:
        """One message for `job`; Dramatiq's id of it."""
        message: Message[None] = Message(
            queue_name=self.config.queue,
            actor_name=ACTOR,
            args=(source, job, time.time()),
            kwargs={},
            options={},
        )
        return str(self.broker.enqueue(message).options["redis_message_id"])

    def _enqueue(self, source: str, job: str) -> tuple[str, float]:
        """Send the job, retrying while the broker is down; its id, the seconds it waited."""
        first = time.monotonic()
        paused = False
        while True:
            if self._draining.is_set():
                raise TurnReturned("the scheduler is stopping: turn not dispatched")
            try:
                message_id = self._send(source, job)
            except (*ConnectionErrors, BrokerConnectionError) as exc:
                self.outages.down(exc)
                paused = True
                waited = time.monotonic() - first
                if waited >= self.misfire_grace:
                    raise RunSkipped(
                        f"broker unreachable for {waited:.0f}s ({exc}): turn not dispatched"
                    ) from exc
                self._draining.wait(RETRY_EVERY)
                continue
            self.outages.up()
            return message_id, time.monotonic() - first if paused else 0.0

    def _resend(self, flight: Flight) -> None:
        """The reconciler found `flight` lost: the same job again, as a new message."""
        self.client.hdel(f"{self.keys.queue(self.config.queue)}.msgs", flight.message_id)
        self.flights.resent(flight.job, self._send(flight.source, flight.job))

    def _record(self, result: CrawlResult) -> None:
        """An attempt that did not end with a result (killed, lost) goes into run history."""
        if self.history is not None:
            history.store(self.history, history.run_record(result, every=None, failures=0))

    def _wait(self, source: str, job: str) -> str:
        """The worker's result; waits through broker outages, gives up when the service stops."""
        key = self.keys.result(job)
        while not self._stopped.is_set():
            if self._draining.is_set():
                self._drain_turn(source, job)
            try:
                item = self.client.blpop([key], timeout=1)
            except ConnectionErrors as exc:
                self.outages.down(exc)
                self._stopped.wait(RETRY_EVERY)
                continue
            self.outages.up()
            if item is not None:
                return text(item[1])
        raise RunSkipped(
            f"the scheduler stopped while job {job} of {source} was queued or running on a "
            "worker; the crawl goes on, its outcome is not recorded"
        )

    def _drain_turn(self, source: str, job: str) -> None:
        """At a stop: a job no worker holds is withdrawn (TurnReturned); a running one waits."""
        flight = self.flights.get(job)
        if flight is None:
            return
        if time.monotonic() >= self._drain_deadline:
            raise RunSkipped(
                f"the scheduler stopped; job {job} of {source} still running on a worker past "
                "its time limit: its outcome is not recorded"
            )
        if flight.running:
            return
        if flight.state == "missing":
            raise TurnReturned(f"the scheduler stopped; job {job} was lost from the broker")
        try:
            withdrawn = flight.state == "withdrawn" or self._take_back(flight)
        except ConnectionErrors as exc:
            raise RunSkipped(
                f"the scheduler stopped with the broker unreachable ({exc}); job {job} of "
                f"{source} was not seen running: if a worker runs it, its outcome is not recorded"
            ) from exc
        if withdrawn:
            raise TurnReturned(f"the scheduler stopped before a worker took job {job}")
        flight.state = "claimed"  # taken meanwhile: wait for it like a running one
