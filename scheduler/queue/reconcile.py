"""The scheduler's look at the broker, every second: dead workers out, lost jobs sent again.

One Lua script, atomic on Redis, does both:

- A worker whose heartbeat is older than `worker_timeout` is dead: the messages
  it had claimed go back to the head of the queue, the source locks it held
  are released (unless still refreshed: a worker that only stalled keeps
  its crawl's lock, and the re-delivered job waits for it and then finds the
  job done), it leaves the registry (`status` stops listing it), and its
  running jobs come back here to be recorded as killed attempts.
- Each job the scheduler waits for is found queued, claimed by a live worker,
  running on one, done, or missing. A job missing for `LOST_AFTER` seconds
  (a Redis restarted without its data, a flushed or failed-over Redis, a
  message deleted) is sent again under the same job id: the worker's done
  marker and the source lock keep it from running twice.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.base.time import parse_utc
from scheduler.queue.broker import ConnectionErrors, Keys
from scheduler.runner import CrawlResult

if TYPE_CHECKING:
    from collections.abc import Callable

    import redis

    from crawler.config.schema import DispatchConfig
    from scheduler.queue.flights import Flight, Flights
    from scheduler.queue.outage import Outages

logger = logging.getLogger(__name__)

#: Seconds between looks.
EVERY = 1.0
#: A job no part of the broker holds for this long is lost. Longer than a worker's
#: heartbeat interval (1 s at most): after a Redis restart a running job shows
#: again at the worker's next beat, and must not be sent twice meanwhile.
LOST_AFTER = 2.0

_SCRIPT = """
local dq, ns, queue = ARGV[1], ARGV[2], ARGV[3]
local now, timeout = tonumber(ARGV[4]), tonumber(ARGV[5])
local qkey = dq .. ":" .. queue
local msgs = qkey .. ".msgs"
local heartbeats = dq .. ":__heartbeats__"
local workers = ns .. ":workers"

local function decode(raw)
    if not raw then return {} end
    local ok, value = pcall(cjson.decode, raw)
    if ok and type(value) == "table" then return value end
    return {}
end

local dead = {}
local silent = redis.call("zrangebyscore", workers, 0, now - timeout, "withscores")
for i = 1, #silent, 2 do
    local name, seen = silent[i], tonumber(silent[i + 1])
    local key = ns .. ":worker:" .. name
    local info = decode(redis.call("get", key))
    local requeued = 0
    if info.broker_id then
        local acks = dq .. ":__acks__." .. info.broker_id .. "." .. queue
        for _, id in ipairs(redis.call("smembers", acks)) do
            if redis.call("hexists", msgs, id) == 1 then
                redis.call("lpush", qkey, id)
                requeued = requeued + 1
            end
        end
        redis.call("del", acks)
        redis.call("zrem", heartbeats, info.broker_id)
    end
    local jobs = {}
    for job, run in pairs(info.jobs or {}) do
        local lock = ns .. ":lock:" .. tostring(run.source)
        -- Released unless refreshed lately: a worker only stalled keeps its crawl's lock.
        if redis.call("get", lock) == name .. "/" .. job
            and redis.call("pttl", lock) <= timeout / 2 then
            redis.call("del", lock)
        end
        table.insert(jobs, {job, run.source, run.started or false})
    end
    redis.call("zrem", workers, name)
    redis.call("del", key)
    table.insert(dead, {name, seen, requeued, jobs})
end

local running, claimed, queued = {}, {}, {}
for _, name in ipairs(redis.call("zrangebyscore", workers, now - timeout, "+inf")) do
    local info = decode(redis.call("get", ns .. ":worker:" .. name))
    for job, run in pairs(info.jobs or {}) do running[job] = run.started or "" end
end
for _, broker in ipairs(redis.call("zrange", heartbeats, 0, -1)) do
    for _, id in ipairs(redis.call("smembers", dq .. ":__acks__." .. broker .. "." .. queue)) do
        claimed[id] = true
    end
end
for _, id in ipairs(redis.call("lrange", qkey, 0, -1)) do queued[id] = true end

local states = {}
for i = 6, #ARGV, 2 do
    local job, id = ARGV[i], ARGV[i + 1]
    local state = "missing"
    if redis.call("exists", ns .. ":done:" .. job, ns .. ":result:" .. job) > 0 then
        state = "done"
    elseif running[job] then
        state = "running"
    elseif claimed[id] and redis.call("hexists", msgs, id) == 1 then
        state = "claimed"
    elseif queued[id] and redis.call("hexists", msgs, id) == 1 then
        state = "queued"
    end
    table.insert(states, {job, state, running[job] or false})
end
return cjson.encode({dead = dead, states = states})
"""


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class Reconciler:
    """A thread: every `EVERY` seconds, reaps dead workers and re-sends lost jobs."""

    def __init__(
        self,
        client: redis.Redis,
        config: DispatchConfig,
        flights: Flights,
        outages: Outages,
        *,
        resend: Callable[[Flight], None],
        record: Callable[[CrawlResult], None],
    ) -> None:
        self.client = client
        self.config = config
        self.keys = Keys(config.namespace)
        self.flights = flights
        self.outages = outages
        self.resend = resend
        self.record = record
        self.timeout_ms = int(config.worker_timeout.total_seconds() * 1000)
        self._script = client.register_script(_SCRIPT)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="reconcile", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(EVERY):
            try:
                self.check()
            except ConnectionErrors as exc:
                self.outages.down(exc)
            except Exception:  # a bug here must not stop the looks that follow
                logger.exception("reconcile: the look at the broker failed")

    def check(self) -> None:
        """One look: reap the dead workers, update each flight, re-send the lost ones."""
        flights = self.flights.snapshot()
        args: list[Any] = [self.keys.dramatiq, self.config.namespace, self.config.queue]
        args += [int(time.time() * 1000), self.timeout_ms]
        for sent in flights:
            args += [sent.job, sent.message_id]
        data = json.loads(self._script(keys=[self.keys.workers], args=args))
        self.outages.up()
        for name, seen, requeued, jobs in data["dead"]:
            self._dead(name, float(seen), int(requeued), jobs)
        now = time.monotonic()
        for job, state, started in data["states"]:
            flight = self.flights.observe(job, state, started or None, now)
            if flight is None or flight.missing_since is None:
                continue
            if now - flight.missing_since >= LOST_AFTER:
                self._lost(flight, now)

    def _dead(self, name: str, seen_ms: float, requeued: int, jobs: list[list[Any]]) -> None:
        silent = max(time.time() - seen_ms / 1000, 0.0)
        logger.warning(
            "worker %s: no heartbeat for %.1fs: gone; %d job(s) back on the queue%s",
            name,
            silent,
            requeued,
            "".join(f", {source} (job {job})" for job, source, _ in jobs),
        )
        ended = _utc(seen_ms / 1000)
        for job, source, started in jobs:
            began = parse_utc(started) if started else ended
            self.record(
                CrawlResult(
                    str(source),
                    began,
                    ended,
                    "killed",
                    error=f"worker {name} went silent mid-crawl (no heartbeat for "
                    f"{silent:.1f}s): the job was put back on the queue",
                    worker=name,
                    dispatch={"job": job, "silent_s": round(silent, 3)},
                )
            )

    def _lost(self, flight: Flight, now: float) -> None:
        assert flight.missing_since is not None
        missing = now - flight.missing_since
        sent = _utc(time.time() - (now - flight.sent))
        try:
            self.resend(flight)
        except ConnectionErrors as exc:
            self.outages.down(exc)
            return
        logger.warning(
            "source %s: job %s no longer queued, claimed or running (for %.1fs): sent again",
            flight.source,
            flight.job,
            missing,
        )
        self.record(
            CrawlResult(
                flight.source,
                sent,
                _utc(time.time()),
                "lost",
                error=f"job {flight.job} vanished from the broker (queue lost, message "
                f"dropped or worker gone) and was sent again after {missing:.1f}s",
                dispatch={"job": flight.job, "missing_s": round(missing, 3)},
            )
        )
