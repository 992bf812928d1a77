"""Serve a story web on loopback: one small threaded HTTP server per outlet address."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.storyweb.model import Outlet, Reply


class _OutletServer(ThreadingHTTPServer):
    daemon_threads = True
    files: dict[str, Reply]

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client hanging up mid-reply is no concern of the benchmark


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _OutletServer

    def do_GET(self) -> None:
        self._reply(head=False)

    def do_HEAD(self) -> None:
        self._reply(head=True)

    def _reply(self, head: bool) -> None:
        # Query strings (tracking parameters) select nothing, as on real sites.
        found = self.server.files.get(self.path.split("?", 1)[0])
        status, content_type, body = (
            (200, found.content_type, found.body) if found else (404, "text/plain", b"not found\n")
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class StoryWebServer:
    """Binds every outlet's address on a port the system picks; `publish` sets what they serve."""

    def __init__(self, outlets: dict[str, Outlet]) -> None:
        self.servers: dict[str, _OutletServer] = {}
        for key, outlet in outlets.items():
            server = _OutletServer((outlet.ip, 0), _Handler)
            server.files = {}
            self.servers[key] = server
        self.threads: list[threading.Thread] = []

    @property
    def bases(self) -> dict[str, str]:
        return {
            key: "http://{}:{}".format(*server.server_address[:2])
            for key, server in self.servers.items()
        }

    def publish(self, files: dict[str, dict[str, Reply]]) -> None:
        for key, server in self.servers.items():
            server.files = files[key]

    def start(self) -> None:
        for server in self.servers.values():
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self.threads.append(thread)

    def close(self) -> None:
        for server in self.servers.values():
            if self.threads:  # shutdown() waits for serve_forever, which must have started
                server.shutdown()
            server.server_close()

    def __enter__(self) -> StoryWebServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
