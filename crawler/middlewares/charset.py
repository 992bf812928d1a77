"""Decode pages whose charset is missing or wrong, instead of guessing cp1252 blindly."""

from __future__ import annotations

import codecs
import logging
from typing import TYPE_CHECKING

from charset_normalizer import from_bytes
from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# When the detector finds several encodings about equally plausible (short
# Latin texts fit most 8-bit code pages), take the one the web uses most.
PREFERRED = ("utf_8", "cp1252", "cp1251", "cp1250", "iso8859_2", "koi8_r", "gb18030", "shift_jis")
PLAUSIBILITY_MARGIN = 0.1
# Code pages in which any byte string decodes, so a wrong label never fails loudly.
SINGLE_BYTE = frozenset(
    codecs.lookup(name).name
    for name in ("latin-1", "cp1252", "iso8859-15", "cp1250", "iso8859-2", "cp1251", "cp1257")
)


class CharsetMiddleware:
    """Re-decodes a text response when its declared charset is absent or false.

    Scrapy decodes with the header charset, else the <meta> charset, else
    tries UTF-8 and falls back to cp1252. That garbles a Cyrillic page served
    without any declaration, and any page whose declaration lies. Here: no
    declaration -> detect (`crawl/charset/detected`); a declaration the bytes
    do not decode with -> detect (`crawl/charset/mismatch`); a single-byte
    declaration on bytes that are valid UTF-8 -> UTF-8 (`crawl/charset/mismatch`).
    """

    def __init__(self, stats: StatsCollector | None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("CHARSET_DETECTION_ENABLED", True):
            raise NotConfigured("CHARSET_DETECTION_ENABLED is off")
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        body = response.body
        if read_bom(body)[0]:
            return response  # a byte-order mark is never wrong
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
        if declared and _mislabeled_utf8(body, declared):
            return self._redecode(response, "utf-8", declared)
        if declared and _decodes(body, declared):
            return response
        if not declared and _decodes(body, "utf-8"):
            return response
        detected = detect_encoding(body)
        if detected is None:
            return response
        return self._redecode(response, detected, declared)

    def _redecode(self, response: TextResponse, encoding: str, declared: str | None) -> Response:
        key = "crawl/charset/mismatch" if declared else "crawl/charset/detected"
        if self.stats is not None:
            self.stats.inc_value(key)
        logger.info(
            "%s: decoding as %s (declared: %s)", response.url, encoding, declared or "nothing"
        )
        return response.replace(encoding=encoding)


def _mislabeled_utf8(body: bytes, declared: str) -> bool:
    """UTF-8 bytes under a single-byte label (`charset=ISO-8859-1` on a UTF-8 page).

    Every byte decodes in Latin-1 or cp1252, so the label cannot be caught by
    decoding with it; but non-ASCII text in those code pages is practically
    never valid UTF-8 by chance, while a mislabeled UTF-8 page always is.
    """
    codec = resolve_encoding(declared)
    if codec is None or codecs.lookup(codec).name not in SINGLE_BYTE or body.isascii():
        return False
    return _decodes(body, "utf-8")


def _decodes(body: bytes, encoding: str) -> bool:
    codec = resolve_encoding(encoding)
    if codec is None:
        return False
    try:
        codecs.decode(body, codec, errors="strict")
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(body: bytes) -> str | None:
    """The most plausible encoding of `body`, preferring common web encodings on near ties."""
    results = list(from_bytes(body))
    if not results:
        return None
    best = results[0]
    close = [
        match
        for match in results
        if match.chaos <= best.chaos + PLAUSIBILITY_MARGIN
        and match.coherence >= best.coherence - PLAUSIBILITY_MARGIN
    ]
    for preferred in PREFERRED:
        for match in close:
            if preferred in match.could_be_from_charset:
                return preferred
    return str(best.encoding)
