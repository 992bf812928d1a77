"""The search form: query-string values read into a SearchRequest, or errors to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from crawler.query import QuerySyntaxError, parse_query
from crawler.search.request import FilterError, build_request

if TYPE_CHECKING:
    from crawler.config.schema import ApiConfig
    from crawler.index import SearchRequest

PAGE_SIZE = 20
LIST_FILTERS = ("topic", "outlet", "language")
TEXT_FILTERS = ("q", "since", "until")
DEFAULTS = {"sort": "relevance", "min_outlets": "1", "limit": str(PAGE_SIZE)}


@dataclass
class QueryError:
    """A rejected query, split around the fault so the page can point at it."""

    reason: str
    position: int
    before: str
    at: str
    after: str
    caret_text: str  # the CLI's message: the query with a caret line under the fault


@dataclass
class SearchForm:
    values: dict[str, Any]  # what the form shows, as typed
    errors: dict[str, str] = field(default_factory=dict)  # form field -> message
    query_error: QueryError | None = None
    request: SearchRequest | None = None

    @cached_property
    def _encoded(self) -> dict[str, str]:
        return {key: _encode(key, value) for key, value in self.values.items()}

    def url(self, path: str = "/", **changes: Any) -> str:
        """`path` with this form's filters (and `changes`) as the query string."""
        # Pages link to themselves dozens of times (every outlet of every result):
        # the form's own values are encoded once.
        parts = self._encoded | {key: _encode(key, value) for key, value in changes.items()}
        query = "&".join(part for part in parts.values() if part)
        return f"{path}?{query}" if query else path


def _encode(key: str, value: Any) -> str:
    """`key=value` pairs for the URL; nothing for empty values and the defaults."""
    items = value if isinstance(value, list) else [value]
    kept = [(key, item) for item in items if item not in (None, "") and DEFAULTS.get(key) != item]
    return urlencode(kept)


def _list(params: QueryParams, name: str) -> list[str]:
    """Repeated parameters and comma-separated values alike (`outlet=A,B&outlet=C`)."""
    return [part.strip() for raw in params.getlist(name) for part in raw.split(",") if part.strip()]


def _whole(raw: str, name: str, low: int, high: int, errors: dict[str, str]) -> int | None:
    try:
        number = int(raw)
    except ValueError:
        errors[name] = f"expected a whole number, got {raw!r}"
        return None
    if not low <= number <= high:
        errors[name] = f"expected a whole number from {low} to {high}, got {number}"
        return None
    return number


def query_error(exc: QuerySyntaxError) -> QueryError:
    query, position = exc.query, exc.position
    return QueryError(
        exc.reason,
        position,
        query[:position],
        query[position : position + 1],
        query[position + 1 :],
        str(exc),
    )


def read_form(params: QueryParams, api: ApiConfig) -> SearchForm:
    """Validate every field, collecting each problem for the field that has it."""
    values: dict[str, Any] = {name: params.get(name, "").strip() for name in TEXT_FILTERS}
    values.update({name: _list(params, name) for name in LIST_FILTERS})
    values["sort"] = params.get("sort", "relevance")
    values["min_outlets"] = params.get("min_outlets", "1").strip() or "1"
    values["limit"] = params.get("limit", str(PAGE_SIZE)).strip() or str(PAGE_SIZE)
    form = SearchForm(values)
    if len(values["q"]) > api.max_query_chars:
        form.errors["q"] = f"the query is longer than {api.max_query_chars} characters"
    elif values["q"]:
        try:
            parse_query(values["q"])
        except QuerySyntaxError as exc:
            form.query_error = query_error(exc)
            form.errors["q"] = str(exc.reason)
    if values["sort"] not in ("relevance", "date"):
        form.errors["sort"] = f"expected relevance or date, got {values['sort']!r}"
    min_outlets = _whole(values["min_outlets"], "min_outlets", 1, 10_000, form.errors)
    limit = _whole(values["limit"], "limit", 1, api.max_page_size, form.errors)
    if form.errors or min_outlets is None or limit is None:
        return form
    try:
        form.request = build_request(
            values["q"],
            topics=values["topic"],
            outlets=values["outlet"],
            languages=values["language"],
            since=values["since"] or None,
            until=values["until"] or None,
            min_outlets=min_outlets,
            sort=values["sort"],
            limit=limit,
            cursor=params.get("cursor") or None,
        )
    except FilterError as exc:
        name = str(exc).split(":", 1)[0]
        form.errors[name if name in values else "form"] = str(exc)
    return form


def blank_form(api: ApiConfig) -> SearchForm:
    """The empty search form, for pages that show the search box without a search."""
    return read_form(QueryParams(""), api)
