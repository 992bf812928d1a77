"""The alert rules page: what each rule watches, where it sends, and what it sent last."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from crawler.alerts.overview import rule_overview
from crawler.web import auth
from crawler.web.forms import blank_form

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI

    from crawler.config.alerts import AlertsConfig
    from crawler.config.schema import ApiConfig
    from crawler.index import SearchIndex


def alert_routes(
    app: FastAPI,
    api: ApiConfig,
    backend: Callable[[], SearchIndex],
    alerts: AlertsConfig,
    page: Callable[..., Response],
) -> None:
    @app.get("/alerts", include_in_schema=False)
    def alerts_page(request: Request) -> Response:
        auth.require(request, api)
        rules = []
        if alerts.rules:
            state = backend().alert_state()
            try:
                rules = rule_overview(alerts.rules, state)
            finally:
                state.close()
        return page(request, "alerts.html", blank_form(api), rules=rules)
