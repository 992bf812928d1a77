"""The one spelling of stored times: ISO-8601 UTC with a `Z`, written and read here."""

from __future__ import annotations

from datetime import UTC, datetime


def isoformat_utc(value: datetime | None) -> str | None:
    """`2026-11-26T10:00:00Z`: the one time spelling of stored documents.

    A time without a zone is taken as UTC, as the index contract says, never as
    this machine's local time.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(stamp: str) -> datetime:
    """A stored time (`isoformat_utc`'s spelling, or any ISO-8601 with a zone) as a datetime."""
    parsed = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
