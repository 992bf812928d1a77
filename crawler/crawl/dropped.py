"""A response the crawl refuses on purpose: logged with its URL and counted once, here."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class DroppedResponse(IgnoreRequest):
    """Raised by a middleware that already logged and counted the drop.

    Request errbacks see it and must not count it again.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def drop(
    stats: StatsCollector | None, request: Request, key: str, reason: str, detail: str
) -> DroppedResponse:
    """Log and count a refused response; return the exception to raise.

    `key` is the stats key (`crawl/dropped/binary`, `crawl/errors/redirect_loop`).
    """
    logger.warning("Dropped %s (%s): %s", request.url, reason, detail)
    if stats is not None:
        stats.inc_value(key)
    return DroppedResponse(reason, detail)
