"""Read the date formats pages, feeds and sitemaps use into timezone-aware UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from dateutil import parser as dateutil_parser


def parse_datetime(value: object) -> datetime | None:
    """ISO 8601 / W3C (sitemaps, Atom, JSON-LD), RFC 822 (RSS) or looser text.

    A value without a zone is taken as UTC: feeds that omit it are nearly
    always UTC, and a guess is better than a naive datetime in the index.
    Returns None for anything unreadable or absurd (before 1990, far future).
    """
    if isinstance(value, datetime):
        parsed: datetime | None = value
    elif isinstance(value, str) and value.strip():
        parsed = _parse_text(value.strip())
    else:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    if not 1990 <= parsed.year <= datetime.now(UTC).year + 1:
        return None
    return parsed


def _parse_text(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dateutil_parser.parse(text)
    except (ValueError, OverflowError):
        return None
