"""The HTTP side: one threaded server per outlet IP on a shared port, hit counters, controls."""

from __future__ import annotations

import errno
import json
import logging
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.harness.newsweb.model import World
from tests.harness.newsweb.site import Reply, Site

logger = logging.getLogger(__name__)
CONTROL = "/__newsweb/"
BIND_ATTEMPTS = 20


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], outlet: str, web: MockWeb) -> None:
        super().__init__(address, _Handler)
        self.outlet = outlet
        self.web = web

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-reply is what the bad cases provoke; anything else is a bug.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real news sites serve
    server: _OutletServer

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        action = self.path.removeprefix(CONTROL)
        if not self.path.startswith(CONTROL) or action not in ("advance", "reset"):
            self._send(Reply(405, "text/plain", b"only the control endpoints take POST\n"))
            return
        getattr(self.server.web, action)()
        self._send_json({"version": self.server.web.world.version})

    def _serve(self, head: bool) -> None:
        web = self.server.web
        if self.path.startswith(CONTROL):
            if self.path.split("?")[0] == CONTROL + "stats":
                self._send_json(web.stats())
            else:
                self._send(Reply(404, "text/plain", b"unknown control endpoint\n"))
            return
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = web.site.handle(self.server.outlet, self.path, headers)
        web.count(self.server.outlet, self.path, reply.status)
        if reply.delay:
            time.sleep(reply.delay)
        self._send(reply, head=head)

    def _send_json(self, data: Any) -> None:
        body = json.dumps(data, sort_keys=True).encode()
        self._send(Reply(200, "application/json", body))

    def _send(self, reply: Reply, head: bool = False) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is None:
                self.send_header(
                    "Content-Length", str(0 if reply.status == 304 else len(reply.body))
                )
                self.end_headers()
                if not head and reply.status != 304:
                    self.wfile.write(reply.body)
            else:
                self._stream(reply, head)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (timeout, size limit): expected for the bad cases.
            self.close_connection = True

    def _stream(self, reply: Reply, head: bool) -> None:
        assert reply.chunks is not None
        if reply.length is not None:
            self.send_header("Content-Length", str(reply.length))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            return
        for chunk in reply.chunks:
            if reply.length is None:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            else:
                self.wfile.write(chunk)
        if reply.length is None:
            self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.web.verbose:
            logger.info("%s %s", self.server.outlet, format % args)


class MockWeb:
    """All outlet servers of one world, their shared hit counters and version switch."""

    def __init__(
        self,
        world: World,
        port: int = 0,
        slow_delay: float = 5.0,
        huge_bytes: int | None = None,
        feed_limit: int = 100,
        verbose: bool = False,
    ) -> None:
        self.world = world
        self.verbose = verbose
        self._site_options: dict[str, Any] = {"slow_delay": slow_delay, "feed_limit": feed_limit}
        if huge_bytes is not None:
            self._site_options["huge_bytes"] = huge_bytes
        self._servers: list[_OutletServer] = []
        self._lock = threading.Lock()
        self._hits: Counter[tuple[str, str]] = Counter()
        self._not_modified: Counter[tuple[str, str]] = Counter()
        self.port = self._bind(port)
        bases = {s.outlet: f"http://{s.server_address[0]!s}:{self.port}" for s in self._servers}
        self.bases = bases
        self.site = Site(world, bases, **self._site_options)

    def _bind(self, port: int) -> int:
        """Bind every outlet IP on one port: the first picks it, the rest reuse it."""
        hosts = [(o.key, o.ip) for o in [*self.world.outlets, self.world.offsite]]
        for _ in range(BIND_ATTEMPTS):
            chosen = port
            try:
                for key, ip in hosts:
                    server = _OutletServer((ip, chosen), key, self)
                    chosen = server.server_address[1]
                    self._servers.append(server)
                return chosen
            except OSError as exc:
                for server in self._servers:
                    server.server_close()
                self._servers.clear()
                if exc.errno != errno.EADDRINUSE or port:
                    raise
        raise OSError(errno.EADDRINUSE, "no port free on every outlet address")

    def serve_in_threads(self) -> None:
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, name=server.outlet, daemon=True)
            thread.start()

    def shutdown(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def count(self, outlet: str, path: str, status: int) -> None:
        key = (outlet, path.split("?", 1)[0])
        with self._lock:
            self._hits[key] += 1
            if status == 304:
                self._not_modified[key] += 1

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "version": self.world.version,
                "hits": _nest(self._hits),
                "not_modified": _nest(self._not_modified),
                "total": sum(self._hits.values()),
            }

    def advance(self) -> None:
        self.site.set_version(1)

    def reset(self) -> None:
        """Back to the first version, counters cleared."""
        self.site.set_version(0)
        with self._lock:
            self._hits.clear()
            self._not_modified.clear()


def _nest(counter: Counter[tuple[str, str]]) -> dict[str, dict[str, int]]:
    nested: dict[str, dict[str, int]] = {}
    for (outlet, path), count in counter.items():
        nested.setdefault(outlet, {})[path] = count
    return nested
