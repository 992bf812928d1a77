"""The sources page: the scheduler's counts by state, then a page of sources, paused ones' why.

The web app sits below the scheduler in the layers, so `newswatch serve` hands it
the status as a callable on `app.state.source_status` (see crawler/cli/serve.py):
`(states, source_glob, limit, offset) -> status dict`, as `newswatch status --json`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from crawler.web import auth
from crawler.web.forms import blank_form

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI

    from crawler.config.schema import ApiConfig

PAGE_SIZE = 50
STATES = ("ok", "failing", "paused", "overdue", "new")


def source_routes(app: FastAPI, api: ApiConfig, page: Callable[..., Response]) -> None:
    @app.get("/sources", include_in_schema=False)
    def sources_page(
        request: Request, state: str = "", source: str = "", page_number: int = 1
    ) -> Response:
        auth.require(request, api)
        status_of = getattr(request.app.state, "source_status", None)
        state = state if state in STATES else ""
        number = max(1, page_number)
        status: dict[str, Any] | None = None
        if status_of is not None:
            status = status_of(
                frozenset({state}) if state else frozenset(),
                source or None,
                PAGE_SIZE,
                (number - 1) * PAGE_SIZE,
            )

        def link(**change: Any) -> str:
            query = {"state": state, "source": source, "page_number": number, **change}
            return "/sources?" + urlencode({k: v for k, v in query.items() if v})

        pages = -(-status["matched"] // PAGE_SIZE) if status else 0
        return page(
            request,
            "sources.html",
            blank_form(api),
            report=status,
            states=STATES,
            state=state,
            source=source,
            number=number,
            previous_url=link(page_number=number - 1) if number > 1 else None,
            next_url=link(page_number=number + 1) if number < pages else None,
            state_url=lambda name: link(state=name, page_number=1),
        )
