"""The search form: query-string values read into a SearchRequest, or errors to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from crawler.index import SearchRequest
from crawler.query import QuerySyntaxError, parse_query
from crawler.search.request import FILTERS, FilterError, parse_count, read_filters, split_values

if TYPE_CHECKING:
    from crawler.config.schema import ApiConfig
    from crawler.search.names import UnknownName

PAGE_SIZE = 20
SORTS = {"relevance": "Relevance", "date": "Newest first"}
DEFAULTS = {"sort": "relevance", "min_outlets": "1", "limit": str(PAGE_SIZE)}
# Parameters of one page of results, not of the search: links to other searches drop them.
PAGING = ("cursor", "trail", "page")


@dataclass
class QueryError:
    """A rejected query, split around the fault so the page can point at it."""

    reason: str
    position: int
    before: str
    at: str
    after: str


@dataclass(frozen=True)
class Chip:
    """An active filter or sort, shown with a link to the same search without it."""

    label: str
    value: str
    remove_url: str


@dataclass
class SearchForm:
    values: dict[str, Any]  # what the form shows, as typed
    errors: dict[str, str] = field(default_factory=dict)  # form field -> message
    query_error: QueryError | None = None
    request: SearchRequest | None = None
    unknown: list[UnknownName] = field(default_factory=list)

    @cached_property
    def _encoded(self) -> dict[str, str]:
        return {key: _encode(key, value) for key, value in self.values.items()}

    def url(self, path: str = "/", /, **changes: Any) -> str:
        """`path` with this form's filters (and `changes`) as the query string."""
        # Pages link to themselves dozens of times (every outlet of every result):
        # the form's own values are encoded once.
        parts = self._encoded | {key: _encode(key, value) for key, value in changes.items()}
        query = "&".join(part for part in parts.values() if part)
        return f"{path}?{query}" if query else path

    def adding(self, name: str, value: str, path: str = "/") -> str:
        """This search with `value` added to the list filter `name` (a facet's link)."""
        current = self.values.get(name) or []
        if any(v.casefold() == value.casefold() for v in current):
            return self.url(path)
        return self.url(path, **{name: [*current, value]})

    def has(self, name: str, value: str) -> bool:
        return any(v.casefold() == value.casefold() for v in self.values.get(name) or [])

    @property
    def filtered(self) -> bool:
        """Whether any filter is set (the filters' panel starts open then)."""
        return any(self._encoded.get(spec.name) for spec in FILTERS) or bool(self.errors)

    def chips(self) -> list[Chip]:
        """Every active filter value and a non-default sort, each removable on its own."""
        chips: list[Chip] = []
        for spec in FILTERS:
            value = self.values.get(spec.name)
            if isinstance(value, list):
                for item in value:
                    rest = [v for v in value if v != item]
                    chips.append(Chip(spec.label, item, self.url(**{spec.name: rest})))
            elif value and DEFAULTS.get(spec.name) != value:
                chips.append(Chip(spec.label, value, self.url(**{spec.name: ""})))
        if self.values.get("sort") != DEFAULTS["sort"]:
            label = SORTS.get(self.values.get("sort", ""), self.values.get("sort", ""))
            chips.append(Chip("Sort", label, self.url(sort=DEFAULTS["sort"])))
        return chips


def _encode(key: str, value: Any) -> str:
    """`key=value` pairs for the URL; nothing for empty values and the defaults."""
    items = value if isinstance(value, list) else [value]
    kept = [(key, item) for item in items if item not in (None, "") and DEFAULTS.get(key) != item]
    return urlencode(kept)


def query_error(exc: QuerySyntaxError) -> QueryError:
    query, position = exc.query, exc.position
    at = query[position : position + 1]
    return QueryError(exc.reason, position, query[:position], at, query[position + 1 :])


def read_form(params: QueryParams, api: ApiConfig) -> SearchForm:
    """Validate every field, collecting each problem for the field that has it."""
    values: dict[str, Any] = {"q": params.get("q", "").strip()}
    for spec in FILTERS:
        raw = params.getlist(spec.name)
        if spec.kind == "list":
            values[spec.name] = split_values(raw)
        else:
            values[spec.name] = (raw[-1] if raw else "").strip() or DEFAULTS.get(spec.name, "")
    values["sort"] = params.get("sort", "relevance")
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
    if values["sort"] not in SORTS:
        form.errors["sort"] = f"expected relevance or date, got {values['sort']!r}"
    fields, problems = read_filters(params.getlist)
    try:
        limit = parse_count("limit", values["limit"], 1, api.max_page_size)
    except FilterError as exc:
        problems.append(exc)
    for problem in problems:
        form.errors.setdefault(problem.field, problem.message)
    if form.errors:
        return form
    form.request = SearchRequest(
        query=values["q"],
        sort=values["sort"],
        limit=limit,
        cursor=params.get("cursor") or None,
        **fields,
    )
    return form


def blank_form(api: ApiConfig) -> SearchForm:
    """The empty search form, for pages that show the search box without a search."""
    return read_form(QueryParams(""), api)
