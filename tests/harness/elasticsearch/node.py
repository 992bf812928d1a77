"""Start, health-check and stop one real Elasticsearch node on a loopback port.

``python -m tests.harness.elasticsearch.node --prepare`` only downloads and unpacks;
``python -m tests.harness.elasticsearch.node`` runs a node in the foreground and prints its URL.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import deque
from pathlib import Path
from typing import Any

from tests.harness.elasticsearch import distribution, plugin, privileges

logger = logging.getLogger(__name__)

HEAP = os.environ.get("NEWSWATCH_ES_HEAP", "512m")
# Tests start nodes often and use them lightly: C1-only JIT and no heap pre-touch halve the
# startup on a busy machine. Benchmarks want full JIT: java_opts="" (or NEWSWATCH_ES_JAVA_OPTS="").
JAVA_OPTS = os.environ.get("NEWSWATCH_ES_JAVA_OPTS", "-XX:-AlwaysPreTouch -XX:TieredStopAtLevel=1")
START_TIMEOUT = float(os.environ.get("NEWSWATCH_ES_START_TIMEOUT", "180"))
SETTINGS = {
    "cluster.name": "newswatch-test",
    "node.name": "newswatch-test-node",
    "discovery.type": "single-node",
    "network.host": "127.0.0.1",
    # Port 0 lets the OS choose; the node writes the chosen ports to logs/http.ports.
    "http.port": "0",
    "transport.port": "0",
    "node.portsfile": "true",
    "xpack.security.enabled": "false",
    # Test machines run with nearly full disks; shards must allocate anyway.
    "cluster.routing.allocation.disk.threshold_enabled": "false",
    # Per-test cleanup deletes `<prefix>*`, which 8.x refuses by default.
    "action.destructive_requires_name": "false",
}
# Node dirs live in the temp dir; the owner file lets a later run remove abandoned ones.
DIR_PREFIX = "newswatch-es-"
OWNER_FILE = "owner.pid"


class NodeError(RuntimeError):
    """The node could not start, or is no longer running; the message carries its last log."""


def prepare() -> Path:
    """Make the distribution (with the test analysis plugin) ready; fast when already done."""
    distribution.WORK_DIR.mkdir(parents=True, exist_ok=True)
    # Several test sessions may start at once; only one may unpack or install at a time.
    with (distribution.WORK_DIR / ".prepare.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        home = distribution.unpack()
        fingerprint = plugin.install(home, java_home())
        return privileges.readable_home(home, fingerprint)


def _sweep_abandoned() -> None:
    """Remove node dirs whose test process died without stopping its node (kill -9, OOM)."""
    for base in Path(tempfile.gettempdir()).glob(f"{DIR_PREFIX}*"):
        try:
            owner = int((base / OWNER_FILE).read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            shutil.rmtree(base, ignore_errors=True)
        except (OSError, ValueError):
            continue


def java_home() -> Path:
    """The JDK to run Elasticsearch with: ES_JAVA_HOME, then JAVA_HOME, then `java` on PATH."""
    for variable in ("ES_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(variable):
            return Path(os.environ[variable])
    java = shutil.which("java")
    if java is None:
        raise NodeError("no Java found: install a Java 17+ runtime or set ES_JAVA_HOME")
    return Path(java).resolve().parent.parent


def _http_json(url: str, timeout: float = 5.0) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response)


class ElasticsearchNode:
    """One single-node cluster in its own throwaway directory (data, logs, config)."""

    def __init__(
        self,
        home: Path,
        heap: str = HEAP,
        start_timeout: float = START_TIMEOUT,
        settings: dict[str, str] | None = None,
        java_opts: str = JAVA_OPTS,
    ):
        self.home = home
        self.heap = heap
        self.java_opts = java_opts
        self.start_timeout = start_timeout
        self.extra_settings = settings or {}
        _sweep_abandoned()
        self.base = Path(tempfile.mkdtemp(prefix=DIR_PREFIX))
        (self.base / OWNER_FILE).write_text(str(os.getpid()))
        self.console = self.base / "console.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.version = ""

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> ElasticsearchNode:
        """Launch the JVM and wait until the cluster is yellow or green; raise NodeError if not."""
        self._lay_out()
        command = [str(self.home / "bin" / "elasticsearch")]
        command += [f"-E{key}={value}" for key, value in self._settings().items()]
        command = [*self._setpriv(), *command]
        with self.console.open("wb") as console:
            # Own process group: stop() signals the CLI launcher and the server JVM together.
            self.process = subprocess.Popen(
                command,
                cwd=self.base,
                env=self._environment(),
                stdin=subprocess.DEVNULL,
                stdout=console,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM the node's process group, SIGKILL it if it lingers; remove its directory."""
        process, self.process = self.process, None
        if process is not None:
            self._signal(process, signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._signal(process, signal.SIGKILL)
                process.wait(timeout)
            # The launcher may exit before the server JVM; make sure nothing stays behind.
            self._signal(process, signal.SIGKILL)
        shutil.rmtree(self.base, ignore_errors=True)

    def kill(self) -> None:
        """Kill the node abruptly (as a crash would), keeping its logs for inspection."""
        if self.process is not None:
            self._signal(self.process, signal.SIGKILL)
            self.process.wait(30)

    def __enter__(self) -> ElasticsearchNode:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- health ----------------------------------------------------------------------------

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def check_alive(self) -> None:
        """Raise NodeError (with the last log lines) unless the node answers a health check."""
        if not self.running():
            code = None if self.process is None else self.process.returncode
            raise NodeError(
                self._failure(f"the Elasticsearch node at {self.url} died (exit {code})")
            )
        try:
            _http_json(f"{self.url}/_cluster/health", timeout=10)
        except (OSError, ValueError) as exc:
            raise NodeError(
                self._failure(
                    f"the Elasticsearch node at {self.url} is running but does not answer: {exc}"
                )
            ) from exc

    def log_tail(self, lines: int = 30) -> str:
        """The node's last console lines (startup errors, exceptions, shutdown reasons)."""
        try:
            with self.console.open(errors="replace") as console:
                return "".join(deque(console, maxlen=lines))
        except OSError:
            return "(no console log)"

    # -- internals -------------------------------------------------------------------------

    def _settings(self) -> dict[str, str]:
        return {
            **SETTINGS,
            "path.data": str(self.base / "data"),
            "path.logs": str(self.base / "logs"),
            **self.extra_settings,
        }

    def _environment(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("ES_", "JAVA_TOOL", "_JAVA_OPTIONS"))
        }
        env.update(
            ES_JAVA_HOME=str(java_home()),
            ES_JAVA_OPTS=f"-Xms{self.heap} -Xmx{self.heap} {self.java_opts}".strip(),
            # Elasticsearch writes its keystore into the config dir: give each node its own.
            ES_PATH_CONF=str(self.base / "config"),
            ES_TMPDIR=str(self.base / "tmp"),
            HOME=str(self.base),
        )
        return env

    @staticmethod
    def _setpriv() -> list[str]:
        """Prefix for running the distribution's tools as the node's user (used by subclasses)."""
        return privileges.launcher()

    def _lay_out(self) -> None:
        for name in ("data", "logs", "tmp"):
            (self.base / name).mkdir()
        shutil.copytree(self.home / "config", self.base / "config")
        privileges.hand_over(self.base)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        ports_file = self.base / "logs" / "http.ports"
        while time.monotonic() < deadline:
            if not self.running():
                code = None if self.process is None else self.process.returncode
                raise NodeError(self._failure(f"Elasticsearch exited during startup (exit {code})"))
            if not self.url and ports_file.is_file() and ports_file.read_text().strip():
                address = ports_file.read_text().split()[0]
                self.url = f"http://{address}"
            if self.url and self._healthy():
                self.version = self._reported_version()
                return
            time.sleep(0.25)
        raise NodeError(self._failure(f"Elasticsearch not ready within {self.start_timeout:.0f}s"))

    def _healthy(self) -> bool:
        try:
            health = _http_json(f"{self.url}/_cluster/health?wait_for_status=yellow&timeout=1s")
        except (OSError, ValueError):
            return False
        return health.get("status") in ("yellow", "green")

    def _reported_version(self) -> str:
        nodes = _http_json(f"{self.url}/_nodes/_local?filter_path=nodes.*.version")["nodes"]
        return str(next(iter(nodes.values()))["version"])

    def _failure(self, reason: str) -> str:
        return f"{reason}; last log lines from {self.console}:\n{self.log_tail()}"

    @staticmethod
    def _signal(process: subprocess.Popen[bytes], signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.harness.elasticsearch.node", description=__doc__
    )
    parser.add_argument("--prepare", action="store_true", help="only fetch, unpack and build")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.monotonic()
    home = prepare()
    print(f"prepared {home} in {time.monotonic() - started:.1f}s", flush=True)
    if args.prepare:
        return 0
    # SIGTERM (kill, CI timeouts) should stop the node as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    node = ElasticsearchNode(home)
    started = time.monotonic()
    try:
        node.start()
    except NodeError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(
        f"Elasticsearch {node.version} at {node.url} (started in "
        f"{time.monotonic() - started:.1f}s; Ctrl-C stops it)",
        flush=True,
    )
    try:
        while node.running():
            time.sleep(1)
        print(node.log_tail(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        node.stop()


if __name__ == "__main__":
    sys.exit(main())
