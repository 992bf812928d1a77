"""The story filters, declared once, and analysts' values read into a SearchRequest.

FILTERS is the one list: the CLI's options (crawler/cli/options.py), the API's query
parameters (crawler/api/app.py) and the web form (crawler/web/forms.py) are made from
it, and `read_filters` reads every one of them the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from crawler.config import parse_duration
from crawler.index import SearchRequest

FilterKind = Literal["list", "time", "count"]
MAX_MIN_OUTLETS = 10_000


@dataclass(frozen=True)
class Filter:
    """One filter: its parameter name (the CLI option is `--name` with dashes), the
    SearchRequest field it sets, what kind of value it takes, and how people see it."""

    name: str
    field: str
    kind: FilterKind
    label: str
    hint: str
    help: str

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


FILTERS: tuple[Filter, ...] = (
    Filter(
        "topic",
        "topics",
        "list",
        "Topics",
        "comma-separated",
        "only stories of this topic (any case)",
    ),
    Filter(
        "outlet",
        "outlets",
        "list",
        "Outlets",
        "name, source or host",
        "only stories this outlet ran: its name, its source's name in the config or its "
        "host, any case",
    ),
    Filter("language", "languages", "list", "Languages", "e.g. en, fr", "ISO code, e.g. en"),
    Filter(
        "since",
        "since",
        "time",
        "Since",
        "7d or 2026-11-01",
        "7d, 12h or an ISO date (published on or after)",
    ),
    Filter(
        "until",
        "until",
        "time",
        "Until",
        "7d or 2026-11-30",
        "7d, 12h or an ISO date (published on or before)",
    ),
    Filter(
        "min_outlets",
        "min_outlets",
        "count",
        "Minimum outlets",
        "",
        "only stories run by at least this many outlets",
    ),
)
FILTER_NAMES = tuple(f.name for f in FILTERS)


class FilterError(ValueError):
    """A filter value that cannot be read: `field` names the filter, `message` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def split_values(raw: Sequence[str]) -> list[str]:
    """Repeated values and comma-separated ones alike (`outlet=A,B&outlet=C`)."""
    return [part.strip() for value in raw for part in value.split(",") if part.strip()]


def parse_time(name: str, value: str | None, now: datetime | None = None) -> datetime | None:
    """`7d`/`12h` (that long before now) or an ISO date/time (UTC when no zone is given).

    `until` with a date alone means the end of that day: "until 2026-11-30" keeps
    what was published on the 30th.
    """
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
            name, f"expected a duration like 7d or an ISO date like 2026-11-01, got {value!r}"
        ) from None
    if name == "until" and len(value) == len("2026-11-30"):
        moment += timedelta(days=1, microseconds=-1)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_count(name: str, value: str | int | None, low: int, high: int) -> int:
    """A whole number from `low` to `high` (None: `low`)."""
    if value is None or value == "":
        return low
    try:
        number = int(value)
    except ValueError:
        raise FilterError(name, f"expected a whole number, got {value!r}") from None
    if not low <= number <= high:
        raise FilterError(name, f"expected a whole number from {low} to {high}, got {number}")
    return number


def read_filters(
    get: Callable[[str], Sequence[str]], now: datetime | None = None
) -> tuple[dict[str, Any], list[FilterError]]:
    """Every filter's values (`get(name)`: the raw strings given for it) as SearchRequest
    fields, and every problem found; the fields of a filter with a problem are left out."""
    fields: dict[str, Any] = {}
    errors: list[FilterError] = []
    for spec in FILTERS:
        raw = [value.strip() for value in get(spec.name) if value is not None]
        try:
            if spec.kind == "list":
                fields[spec.field] = tuple(split_values(raw))
            elif spec.kind == "time":
                fields[spec.field] = parse_time(spec.name, raw[-1] if raw else None, now)
            else:
                value = raw[-1] if raw else None
                fields[spec.field] = parse_count(spec.name, value, 1, MAX_MIN_OUTLETS)
        except FilterError as exc:
            errors.append(exc)
    since, until = fields.get("since"), fields.get("until")
    if since and until and since > until:
        errors.append(FilterError("since", "must be before until"))
    return fields, errors


def build_request(
    query: str = "",
    *,
    sort: Literal["relevance", "date"] = "relevance",
    limit: int = 20,
    cursor: str | None = None,
    now: datetime | None = None,
    **given: Any,
) -> SearchRequest:
    """A SearchRequest from the query and filter values as people type them
    (`topic=["a,b"]`, `since="7d"`, `min_outlets="2"`); FilterError for the first bad one."""
    unknown = set(given) - set(FILTER_NAMES)
    if unknown:
        raise TypeError(f"build_request: no filter named {', '.join(sorted(unknown))}")

    def get(name: str) -> list[str]:
        value = given.get(name)
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]

    fields, errors = read_filters(get, now)
    if errors:
        raise errors[0]
    if limit < 1:
        raise FilterError("limit", f"expected a whole number >= 1, got {limit}")
    return SearchRequest(query=query.strip(), sort=sort, limit=limit, cursor=cursor, **fields)
