"""Bodies for the bad cases: real PNG and PDF bytes, and a huge page generated lazily."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

HUGE_BYTES = 12 * 1024 * 1024


def png_bytes(width: int = 64, height: int = 64) -> bytes:
    """A valid grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        payload = kind + data
        return struct.pack(">I", len(data)) + payload + struct.pack(">I", zlib.crc32(payload))

    raw = b"".join(b"\x00" + bytes([128]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes() -> bytes:
    """A one-page PDF whose text mentions the topic (so only its type gives it away)."""
    text = b"BT /F1 12 Tf 72 720 Td (North Korean arms shipments to Russia) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def huge_page(total: int = HUGE_BYTES, chunk: int = 64 * 1024) -> Iterator[bytes]:
    """Exactly `total` bytes of a live-blog page, produced chunk by chunk (never held whole)."""
    head = (
        b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Live blog: war in Ukraine"
        b"</title></head><body><h1>Live blog: North Korean troops in Russia's war</h1>\n"
    )
    tail = b"</body></html>\n"
    line = (
        b"<p>Update: Ukrainian officials say North Korean units remain in the Kursk region; "
        b"this live page keeps growing.</p>\n"
    )
    sent = 0
    yield head
    sent += len(head)
    filler = line * (chunk // len(line))
    while sent + len(filler) + len(tail) <= total:
        yield filler
        sent += len(filler)
    yield b" " * (total - sent - len(tail)) + tail
