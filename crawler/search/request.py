"""Turn analysts' filter values (`--since 7d`, ISO dates, lists) into a SearchRequest."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from crawler.config import parse_duration
from crawler.index import SearchRequest


class FilterError(ValueError):
    """A filter value that cannot be read; the message names the filter."""


def parse_time(name: str, value: str | None, now: datetime | None = None) -> datetime | None:
    """`7d`/`12h` (that long before now) or an ISO date/time (UTC when no zone is given)."""
    if value is None or value == "":
        return None
    now = now or datetime.now(UTC)
    try:
        return now - parse_duration(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise FilterError(
            f"{name}: expected a duration like 7d or an ISO date like 2026-11-01, got {value!r}"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_request(
    query: str = "",
    *,
    topics: list[str] | None = None,
    outlets: list[str] | None = None,
    languages: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    min_outlets: int = 1,
    sort: Literal["relevance", "date"] = "relevance",
    limit: int = 20,
    cursor: str | None = None,
    now: datetime | None = None,
) -> SearchRequest:
    if min_outlets < 1:
        raise FilterError(f"min_outlets: expected a whole number >= 1, got {min_outlets}")
    if limit < 1:
        raise FilterError(f"limit: expected a whole number >= 1, got {limit}")
    start = parse_time("since", since, now)
    end = parse_time("until", until, now)
    if start and end and start > end:
        raise FilterError("since: must be before until")
    return SearchRequest(
        query=query.strip(),
        topics=tuple(topics or ()),
        outlets=tuple(outlets or ()),
        languages=tuple(languages or ()),
        since=start,
        until=end,
        min_outlets=min_outlets,
        sort=sort,
        limit=limit,
        cursor=cursor,
    )
