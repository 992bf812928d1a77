"""A poll's hints from HTTP and the feed itself: how soon the server wants to be asked again.

The crawl records them as stats (`hints/*`, the largest value of the poll's
responses wins: every listing's wish is honoured) and reports them in the
summary under `hints`; the scheduler turns them into the next interval
(scheduler/adaptive.py). Values are seconds.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypedDict

PREFIX = "hints/"
MAX_AGE = "hints/max_age_s"  # Cache-Control: max-age of a listing
EXPIRES = "hints/expires_s"  # Expires minus Date of a listing (when there is no max-age)
RETRY_AFTER = "hints/retry_after_s"  # Retry-After of a 429 or 503, any page
THROTTLED = "hints/throttled"  # 429 and 503 answers, any page
TTL = "hints/ttl_s"  # RSS <ttl> (minutes in the feed)
UPDATE_PERIOD = "hints/update_period_s"  # sy:updatePeriod / sy:updateFrequency
FEEDS_READ = "hints/feeds_read"  # feed bodies read (a 304 has none: the last feed's hints stand)
LISTINGS_ANSWERED = "hints/listings_answered"  # listings answered 200 or 304
COUNTS = frozenset({"throttled", "feeds_read", "listings_answered"})
#: How far ahead a server may push a poll at most (a bad header cannot stop a source for good).
MAX_HINT = 7 * 86400.0

_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?", re.IGNORECASE)
_NO_CACHE = re.compile(r"(?:^|,)\s*(?:no-cache|no-store)\b", re.IGNORECASE)
_PERIODS = {
    "hourly": 3600,
    "daily": 86400,
    "weekly": 604800,
    "monthly": 2592000,
    "yearly": 31536000,
}


class PollHints(TypedDict, total=False):
    """The `hints` object of a crawl summary: only the hints the poll's responses gave."""

    max_age_s: float
    expires_s: float
    retry_after_s: float
    throttled: int
    feeds_read: int
    listings_answered: int
    ttl_s: float
    update_period_s: float


def max_age(cache_control: str) -> float | None:
    """Seconds from `Cache-Control: max-age=N`; None without it or with no-cache/no-store."""
    if _NO_CACHE.search(cache_control):
        return None
    match = _MAX_AGE.search(cache_control)
    return min(float(match[1]), MAX_HINT) if match else None


def http_date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def expires_in(expires: str, date: str | None, now: datetime | None = None) -> float | None:
    """Seconds until `Expires`, against the response's `Date` (else now); None when past."""
    until = http_date(expires)
    since = (http_date(date) if date else None) or now or datetime.now(UTC)
    if until is None:
        return None
    seconds = (until - since).total_seconds()
    return min(seconds, MAX_HINT) if seconds > 0 else None


def retry_after(value: str, now: datetime | None = None) -> float | None:
    """Seconds from `Retry-After`: delta-seconds or an HTTP date."""
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_HINT)
    when = http_date(value)
    if when is None:
        return None
    return min(max(0.0, (when - (now or datetime.now(UTC))).total_seconds()), MAX_HINT)


def ttl_seconds(text: str) -> float | None:
    """RSS 2.0 `<ttl>`: minutes a feed may be cached."""
    text = text.strip()
    return min(float(text) * 60, MAX_HINT) if text.isdigit() and int(text) > 0 else None


def update_period_seconds(period: str, frequency: str) -> float | None:
    """RSS syndication module: `updatePeriod` divided by `updateFrequency` (default 1)."""
    seconds = _PERIODS.get(period.strip().lower())
    if seconds is None:
        return None
    times = int(frequency) if frequency.strip().isdigit() and int(frequency) > 0 else 1
    return min(seconds / times, MAX_HINT)


def summarize_hints(stats: dict[str, Any]) -> PollHints:
    """The `hints/*` stats as the summary's `hints` object."""
    hints: dict[str, Any] = {}
    for key, value in stats.items():
        if key.startswith(PREFIX) and isinstance(value, int | float):
            name = key[len(PREFIX) :]
            hints[name] = int(value) if name in COUNTS else float(value)
    return PollHints(**hints)  # type: ignore[typeddict-item]  # keys are the stats' own
