"""The parent's side of the engine: one supervised `newswatch engine` child, shared by threads.

`EngineClient.poll(request)` blocks its calling thread until the engine answers.
At most `concurrency` polls are in the child at once; more wait here. The child
is started on the first poll, replaced when it recycles itself (polls it then
refuses come back `lost` and are sent to the new one), and started again after a
crash: the polls it had in flight come back `lost`, and the caller runs them again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any

from crawler.engine.poll import PollReply

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from crawler.engine.poll import PollRequest

logger = logging.getLogger(__name__)

#: `newswatch engine` in this interpreter; `--config FILE` is appended.
ENGINE_COMMAND: tuple[str, ...] = (sys.executable, "-m", "crawler", "engine")
#: A reply later than the poll's time limit plus this means the engine hangs: it is killed.
HANG_MARGIN = 120.0
#: Waits between starts of an engine that keeps dying at once, doubled up to the last.
RESTART_BACKOFF = (0.0, 1.0, 2.0, 5.0, 10.0, 30.0)
STDERR_TAIL_LINES = 20


class EngineProcess:
    """One running engine child: its pipes, the polls it has, and the threads reading it."""

    def __init__(
        self,
        argv: Sequence[str],
        relay: Callable[[str], None],
        on_exit: Callable[[EngineProcess], None],
    ) -> None:
        self.process = subprocess.Popen(
            list(argv),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            bufsize=1,
            # Its own session: a Ctrl-C meant for the parent does not reach it.
            start_new_session=True,
        )
        self.pid = self.process.pid
        self.pending: dict[str, Future[PollReply]] = {}
        self.recycling = False
        self.exited = False
        self.stderr_tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
        self._lock = threading.Lock()
        self._relay = relay
        self._on_exit = on_exit
        for target, name in ((self._read_stdout, "out"), (self._read_stderr, "err")):
            threading.Thread(target=target, name=f"engine-{self.pid}-{name}", daemon=True).start()

    def submit(self, request: PollRequest) -> Future[PollReply] | None:
        """Send one request; None when this engine takes no more (recycling or gone)."""
        future: Future[PollReply] = Future()
        with self._lock:
            if self.recycling or self.exited:
                return None
            self.pending[request.id] = future
            try:
                self._write(request.to_json())
            except OSError:
                del self.pending[request.id]
                return None
        return future

    def send(self, message: dict[str, Any]) -> None:
        with self._lock, contextlib.suppress(OSError):
            self._write(message)

    def _write(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def drain(self) -> None:
        """Ask it to finish what it runs and exit."""
        with self._lock:
            self.recycling = True
            with contextlib.suppress(OSError):
                self._write({"op": "drain"})
                assert self.process.stdin is not None
                self.process.stdin.close()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, 9)

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                message = json.loads(line)
                kind = message.get("type")
                if kind == "reply":
                    self._answer(PollReply.from_json(message))
                elif kind == "recycling":
                    logger.info("engine pid %s: %s", self.pid, message.get("reason"))
                    with self._lock:
                        self.recycling = True
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                logger.warning("engine pid %s: a stdout line that is no message: %s", self.pid, exc)
        code = self.process.wait()
        with self._lock:
            self.exited = True
            lost, self.pending = self.pending, {}
        if lost or code != 0:
            detail = " | ".join(list(self.stderr_tail)[-3:])
            logger.error(
                "engine pid %s exited with code %s; %d poll(s) in flight lost%s",
                self.pid,
                code,
                len(lost),
                f": {detail}" if detail and code else "",
            )
        for request_id, future in lost.items():
            future.set_result(PollReply(request_id, "lost", error=f"the engine exited ({code})"))
        self._on_exit(self)

    def _answer(self, reply: PollReply) -> None:
        with self._lock:
            future = self.pending.pop(reply.id, None)
        if future is not None:
            future.set_result(reply)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for raw in self.process.stderr:
            line = raw.rstrip()
            self.stderr_tail.append(line)
            self._relay(line)


class EngineClient:
    """Runs polls in one supervised engine child; thread-safe."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        concurrency: int,
        relay: Callable[[str], None] | None = None,
    ) -> None:
        self.argv = list(argv)
        self.slots = threading.BoundedSemaphore(concurrency)
        self.relay = relay or (lambda line: None)
        self.starts = 0
        self._engine: EngineProcess | None = None
        self._retired: set[EngineProcess] = set()
        self._quick_deaths = 0
        self._started_at = 0.0
        self._lock = threading.Lock()
        self._closed = False

    def poll(self, request: PollRequest) -> PollReply:
        """Run `request` in the engine; a `lost` reply when the engine died with it."""
        with self.slots:
            engine = future = None
            while future is None:
                engine = self._current()
                if engine is None:
                    return PollReply(request.id, "lost", error="the engine client is closed")
                future = engine.submit(request)
            assert engine is not None
            try:
                return future.result(timeout=request.time_limit + HANG_MARGIN)
            except FutureTimeout:
                logger.error(
                    "engine pid %s: no answer for %s within its time limit; killing it",
                    engine.pid,
                    request.source,
                )
                engine.kill()
                return future.result()  # the reader answers `lost` once the child is gone

    def expire_all(self) -> None:
        """Stop every running poll now (each comes back `timed_out`)."""
        with self._lock:
            engines = [e for e in (self._engine, *self._retired) if e is not None]
        for engine in engines:
            engine.send({"op": "expire"})

    def close(self, timeout: float | None = None) -> None:
        """Let the running polls end, then stop the engine."""
        with self._lock:
            self._closed = True
            engines = [e for e in (self._engine, *self._retired) if e is not None]
            self._engine = None
        for engine in engines:
            engine.drain()
        for engine in engines:
            try:
                engine.process.wait(timeout)
            except subprocess.TimeoutExpired:
                engine.kill()
                engine.process.wait()

    def _current(self) -> EngineProcess | None:
        with self._lock:
            if self._closed:
                return None
            engine = self._engine
            if engine is not None and not (engine.recycling or engine.exited):
                return engine
            crashed = engine is not None and engine.exited and not engine.recycling
            if engine is not None:
                self._engine = None
                if engine.recycling and not engine.exited:
                    self._retired.add(engine)
                    engine.drain()
            self._backoff(crashed)
            self._engine = EngineProcess(self.argv, self.relay, self._exited)
            self.starts += 1
            self._started_at = time.monotonic()
            logger.info("engine started (pid %s)", self._engine.pid)
            return self._engine

    def _backoff(self, crashed: bool) -> None:
        """Wait before starting again an engine that died soon after it started."""
        if crashed and time.monotonic() - self._started_at < 10.0:
            self._quick_deaths += 1
        else:
            self._quick_deaths = 0
        delay = RESTART_BACKOFF[min(self._quick_deaths, len(RESTART_BACKOFF) - 1)]
        if delay:
            logger.warning("engine: starting again in %gs", delay)
            time.sleep(delay)

    def _exited(self, engine: EngineProcess) -> None:
        with self._lock:
            self._retired.discard(engine)
