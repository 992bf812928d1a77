"""Feeds that tell a poller when to come back: Retry-After, <ttl>, Cache-Control, Expires.

Every outlet answers these paths; the feeds list the outlet's own stories.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

PREFIX = "/polite/"
THROTTLED = "/polite/throttled.xml"  # 429 with Retry-After: 3600
TTL = "/polite/ttl.xml"  # <ttl>90</ttl>, sy:updatePeriod hourly / sy:updateFrequency 2
CACHED = "/polite/cached.xml"  # Cache-Control: max-age=7200
EXPIRES = "/polite/expires.xml"  # Expires three hours after Date, no max-age
RETRY_AFTER_S = 3600
TTL_MINUTES = 90
MAX_AGE_S = 7200
EXPIRES_S = 3 * 3600
SY = "http://purl.org/rss/1.0/modules/syndication/"


def headers_for(path: str) -> dict[str, str]:
    """The extra response headers of `path`."""
    if path == CACHED:
        return {"Cache-Control": f"public, max-age={MAX_AGE_S}"}
    if path == EXPIRES:
        until = datetime.now(UTC) + timedelta(seconds=EXPIRES_S)
        return {"Expires": format_datetime(until, usegmt=True)}
    return {}


def with_channel_hints(rss: str, path: str) -> str:
    """An RSS 2.0 document with `<ttl>` and the syndication module's period added (TTL only)."""
    if path != TTL:
        return rss
    rss = rss.replace('<rss version="2.0"', f'<rss version="2.0" xmlns:sy="{SY}"', 1)
    return rss.replace(
        "<channel>",
        f"<channel><ttl>{TTL_MINUTES}</ttl><sy:updatePeriod>hourly</sy:updatePeriod>"
        "<sy:updateFrequency>2</sy:updateFrequency>",
        1,
    )
