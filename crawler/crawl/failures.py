"""Name a failed request's cause as a stats key: crawl/errors/<kind> or crawl/dropped/<reason>."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as twisted_errors

from crawler.crawl.dropped import DroppedResponse

if TYPE_CHECKING:
    from twisted.python.failure import Failure

TIMEOUTS = (DownloadTimeoutError, twisted_errors.TimeoutError, twisted_errors.TCPTimedOutError)
CONNECTION = (
    DownloadConnectionRefusedError,
    twisted_errors.ConnectError,
    twisted_errors.ConnectionLost,
    twisted_errors.ConnectionDone,
)


def failure_key(failure: Failure) -> str | None:
    """The stats key for `failure`, or None when a middleware already counted it."""
    exc = failure.value
    if isinstance(exc, DroppedResponse):
        return None
    if isinstance(exc, HttpError):
        return f"crawl/errors/http_{exc.response.status}"
    if isinstance(exc, TIMEOUTS):
        return "crawl/errors/timeout"
    if isinstance(exc, DownloadCancelledError):
        return "crawl/dropped/too_large"  # DOWNLOAD_MAXSIZE
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message:
            return "crawl/dropped/robots_txt"
        if "redirections" in message:
            return "crawl/errors/redirect_loop"  # REDIRECT_MAX_TIMES
        return "crawl/dropped/ignored"
    if isinstance(exc, CannotResolveHostError | twisted_errors.DNSLookupError):
        return "crawl/errors/dns"
    if isinstance(exc, CONNECTION):
        return "crawl/errors/connection"
    if isinstance(exc, ResponseDataLossError | DownloadFailedError):
        return "crawl/errors/download_failed"
    return f"crawl/errors/{type(exc).__name__.lower()}"
