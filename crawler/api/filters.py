"""The API's filter parameters, made from the one declaration (crawler/search/request.py)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query

from crawler.search.request import FILTERS, Filter


def _annotation(spec: Filter) -> Any:
    if spec.kind == "list":
        return Annotated[list[str] | None, Query(description=spec.help)]
    if spec.kind == "count":
        return Annotated[int | None, Query(ge=1, description=spec.help)]
    return Annotated[str | None, Query(description=spec.help)]


def filter_parameters() -> Callable[..., dict[str, Any]]:
    """A FastAPI dependency taking every filter as a query parameter (documented in
    OpenAPI from FILTERS) and giving the ones present, for build_request."""

    def filters(**given: Any) -> dict[str, Any]:
        return {name: value for name, value in given.items() if value is not None}

    # FastAPI reads the parameters from the signature; this one is FILTERS'.
    filters.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                spec.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=_annotation(spec),
            )
            for spec in FILTERS
        ]
    )
    return filters
