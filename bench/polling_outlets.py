"""The loopback outlets of bench/polling_capacity.py: feeds with validators, articles."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import time
from email.utils import formatdate

TEXT = (
    "The harbour authority said on Tuesday that the new ferry timetable would take effect "
    "next month, after a consultation that drew several hundred comments from residents. "
)


def address(index: int) -> str:
    return f"127.0.{index // 250 + 1}.{index % 250 + 2}"


class Outlets:
    """Each outlet's feed version: it changes `per_hour` times an hour at its own offset."""

    def __init__(self, count: int, per_hour: float, seed: int = 0) -> None:
        rng = random.Random(seed)
        self.period = 3600.0 / per_hour if per_hour > 0 else float("inf")
        self.offsets = {address(i): rng.uniform(0, self.period) for i in range(count)}
        self.start = time.time()

    def version(self, host: str) -> int:
        if self.period == float("inf"):
            return 0
        return int((time.time() - self.start + self.offsets[host]) // self.period)

    def feed(self, host: str, version: int) -> bytes:
        items = "".join(
            f"<item><title>Ferry timetable {host} {v}</title>"
            f"<link>http://{host}/a/{v}.html</link><guid>http://{host}/a/{v}.html</guid>"
            f"<pubDate>{formatdate(self.start + v * 60, usegmt=True)}</pubDate></item>"
            for v in range(max(0, version - 4), version + 1)
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{host}</title>'
            f"<link>http://{host}/</link>{items}</channel></rss>"
        ).encode()

    def article(self, host: str, number: str) -> bytes:
        body = "".join(f"<p>{TEXT} Item {number} of {host}, paragraph {n}.</p>" for n in range(6))
        return (
            f"<html><head><title>Ferry timetable {number}</title></head><body><article>"
            f"<h1>Ferry timetable {number}</h1>{body}</article></body></html>"
        ).encode()


async def handle(outlets: Outlets, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
            host = writer.get_extra_info("sockname")[0]
            status, body, extra = 200, b"", ""
            if path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            elif path == "/feed.xml":
                version = outlets.version(host)
                etag = '"' + hashlib.md5(f"{host}/{version}".encode()).hexdigest() + '"'
                modified = formatdate(outlets.start + version, usegmt=True)
                extra = f"ETag: {etag}\r\nLast-Modified: {modified}\r\n"
                if headers.get("if-none-match") == etag:
                    status = 304
                else:
                    body = outlets.feed(host, version)
            elif path.startswith("/a/"):
                body = outlets.article(host, path[3:].split(".")[0])
            else:
                status = 404
            reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
            kind = "application/rss+xml" if path == "/feed.xml" else "text/html; charset=utf-8"
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n{extra}"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, IndexError):
        pass
    finally:
        writer.close()


async def serve(count: int, port: int, per_hour: float) -> None:
    outlets = Outlets(count, per_hour)
    servers = [
        await asyncio.start_server(lambda r, w: handle(outlets, r, w), address(i), port)
        for i in range(count)
    ]
    print(json.dumps({"port": port, "outlets": count}), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))
