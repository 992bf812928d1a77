"""Refuse binary bodies behind article URLs: checked by Content-Type and by sniffing bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured

from crawler.crawl.dropped import drop

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

# Requests for pages that should be HTML carry meta["page_kind"] = "article" or "homepage".
KIND_META = "page_kind"
HTML_KINDS = frozenset({"article", "homepage"})

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Magic numbers of the files most often found behind article-like URLs.
MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0", "OLE"),
    (b"RIFF", "RIFF"),
    (b"ID3", "MP3"),
    (b"\x00\x00\x00", "ISO media"),
    (b"OggS", "Ogg"),
    (b"\x7fELF", "ELF"),
)
SNIFF_BYTES = 1024


class BinaryContentMiddleware:
    """Drops (`crawl/dropped/binary`) an HTML-kind response that is not text.

    Content-Type alone is not enough: misconfigured servers label PDFs and
    images text/html, so the first bytes are sniffed as well.
    """

    def __init__(self, stats: StatsCollector | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("BINARY_CONTENT_ENABLED", True):
            raise NotConfigured("BINARY_CONTENT_ENABLED is off")
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get(KIND_META) not in HTML_KINDS or not 200 <= response.status < 300:
            return response
        reason = binary_reason(response)
        if reason:
            raise drop(self.stats, request, "crawl/dropped/binary", "binary", reason)
        return response


def binary_reason(response: Response) -> str | None:
    """Why the body is not an HTML page, or None when it looks like one."""
    header = response.headers.get(b"Content-Type") or b""
    content_type = header.decode("latin-1").split(";")[0].strip().lower()
    if content_type and not content_type.startswith("text/") and content_type not in HTML_TYPES:
        return f"Content-Type {content_type}"
    head = response.body[:SNIFF_BYTES]
    for magic, name in MAGIC:
        if head.startswith(magic):
            return f"{name} bytes (served as {content_type or 'no type'})"
    # UTF-16 pages carry a BOM; NUL bytes in anything else mean binary.
    if head.count(b"\x00") > len(head) // 100 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"NUL bytes in the body (served as {content_type or 'no type'})"
    return None
