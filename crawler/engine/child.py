"""`newswatch engine`: the crawl engine as a child process speaking JSON lines.

stdin, one object a line: a poll request (crawler/engine/poll.py), or
`{"op": "drain"}` (finish what runs, take nothing more, exit) or
`{"op": "expire"}` (stop every running poll now, as at its time limit).
End of input without a drain means the parent died: running polls are
stopped and the process exits.

stdout, one object a line: `{"type": "ready", "pid": N}` once, a
`{"type": "reply", ...}` per request, and `{"type": "recycling", "reason": ...}`
when the engine has run `recycle_polls` polls or grown past `recycle_rss_mb`:
it answers every later request as `lost` (the parent sends it to a fresh
engine), finishes the polls it runs, and exits. Anything else that writes to
stdout (a library's print) goes to stderr instead, so the protocol stays clean.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import resource
import sys
import threading
from typing import TYPE_CHECKING, Any, TextIO

from crawler.engine.poll import PollReply, PollRequest

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.engine.core import CrawlEngine

logger = logging.getLogger(__name__)

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def rss_mb() -> float:
    """This process's resident memory now, in MB."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # not Linux: the peak instead
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class EngineChild:
    """Reads requests, runs them in the engine (at most `concurrency` at once), writes replies."""

    def __init__(self, engine: CrawlEngine, out: TextIO, config: Config) -> None:
        settings = config.crawl.engine
        self.engine = engine
        self.out = out
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.recycle_polls = settings.recycle_polls
        self.recycle_rss_mb = settings.recycle_rss_mb
        self.running: dict[str, asyncio.Task[None]] = {}
        self.draining = False
        self.done = asyncio.Event()
        self._write_lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        with self._write_lock:
            self.out.write(json.dumps(message) + "\n")
            self.out.flush()

    # -- input (called on the loop) ---------------------------------------------------
    def on_line(self, line: str) -> None:
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            op = raw.get("op")
            if op == "drain":
                self._drain("asked to by the parent")
            elif op == "expire":
                self.engine.expire_all()
            else:
                self._start(PollRequest.from_json(raw))
        except (ValueError, KeyError, TypeError) as exc:
            logger.error("engine: a request line that is no request (%s): %.200s", exc, line)

    def on_eof(self) -> None:
        if not self.draining:
            # No drain asked: the parent is gone. Its polls are re-run elsewhere.
            logger.warning("engine: the parent went away; stopping the running polls")
            self.engine.expire_all()
        self._drain("end of input")

    def _start(self, request: PollRequest) -> None:
        if self.draining:
            self.send(_reply(PollReply(request.id, "lost", error="the engine is recycling")))
            return
        task = asyncio.ensure_future(self._run(request))
        self.running[request.id] = task

    async def _run(self, request: PollRequest) -> None:
        try:
            async with self.slots:
                reply = await self.engine.poll(request)
            self.send(_reply(reply))
        finally:
            self.running.pop(request.id, None)
            self._after_poll()

    # -- recycling --------------------------------------------------------------------
    def _after_poll(self) -> None:
        if not self.draining:
            rss = rss_mb()
            if self.engine.polls >= self.recycle_polls:
                self._drain(f"recycling after {self.engine.polls} polls", recycle=True)
            elif rss > self.recycle_rss_mb:
                self._drain(f"recycling at {rss:.0f} MB resident", recycle=True)
            elif self.engine.stuck:
                self._drain("recycling: a poll did not stop at its time limit", recycle=True)
        if self.draining and not self.running:
            self.done.set()

    def _drain(self, reason: str, *, recycle: bool = False) -> None:
        if not self.draining:
            self.draining = True
            logger.info("engine: %s; finishing %d running poll(s)", reason, len(self.running))
            if recycle:
                self.send({"type": "recycling", "reason": reason})
        if not self.running:
            self.done.set()


def _reply(reply: PollReply) -> dict[str, Any]:
    return {"type": "reply", **reply.to_json()}


def _protocol_stdout() -> TextIO:
    """A private copy of stdout for the protocol; fd 1 then points at stderr."""
    sys.stdout.flush()
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


def _read_stdin(loop: asyncio.AbstractEventLoop, child: EngineChild) -> None:
    for line in sys.stdin:
        if line.strip():
            loop.call_soon_threadsafe(child.on_line, line)
    loop.call_soon_threadsafe(child.on_eof)


#: Loggers whose INFO records the parent relays at INFO: the engine's own (start,
#: recycling) and a long poll's progress line (every PROGRESS_LOG_INTERVAL).
INFO_LOGGERS = ("crawler.engine", "crawler.extensions.progress")


def quiet_logs(level: str) -> None:
    """Below DEBUG, the polls' other INFO records are not even formatted.

    The parent writes one summary line per poll and relays the rest at DEBUG;
    Scrapy's INFO records of a crawl (its settings, components and stats dump,
    some 80 lines) cost a poll more than its feed does. Warnings always stay.
    """
    if level == "DEBUG":
        # Scrapy leaves its loggers at DEBUG for a root handler that is not installed.
        logging.getLogger("scrapy").setLevel(level)
        return
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLevelName(level)))
    logging.getLogger("scrapy").setLevel(logging.WARNING)
    for name in INFO_LOGGERS:
        logging.getLogger(name).setLevel(level)


def serve(config: Config) -> int:
    """Run the engine until drained or recycled; the exit code."""
    out = _protocol_stdout()
    from scrapy.utils.reactor import install_reactor

    install_reactor(ASYNCIO_REACTOR)
    from twisted.internet import reactor

    from crawler.engine.core import CrawlEngine

    quiet_logs(config.log_level)
    status = {"code": 0}

    async def main() -> None:
        engine = CrawlEngine(config)
        child = EngineChild(engine, out, config)
        loop = asyncio.get_running_loop()
        threading.Thread(
            target=_read_stdin, args=(loop, child), name="engine-stdin", daemon=True
        ).start()
        child.send({"type": "ready", "pid": os.getpid()})
        try:
            await child.done.wait()
            await engine.close()
        except Exception:
            logger.exception("engine: failed")
            status["code"] = 1
        finally:
            reactor.stop()  # type: ignore[misc]  # twisted's stub types it as a bare callable

    reactor.callWhenRunning(lambda: asyncio.ensure_future(main()))
    reactor.run()  # type: ignore[misc]  # as above
    return status["code"]
