"""Scrapy's log lines for items, in newswatch's one-line form."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.logformatter import LogFormatter

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.http import Response
    from scrapy.logformatter import LogFormatterResult
    from twisted.python.failure import Failure


class NewsLogFormatter(LogFormatter):
    """A dropped item is one line with its URL, the reason and its title.

    Scrapy's default logs the item's repr, which for an article is its whole text.
    """

    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        return {
            "level": logging.INFO,
            "msg": "Dropped %(url)s (%(reason)s): %(title)s",
            "args": {
                "url": getattr(item, "url", "?"),
                "reason": str(exception),
                "title": getattr(item, "title", ""),
            },
        }
