"""The alerts page: the config's rules (read-only) and the saved searches, each with what it
sent; and the editor's forms that save and delete a search (editor key and CSRF token)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from crawler.alerts.overview import rule_overview
from crawler.alerts.saved import saved_rule
from crawler.web import auth
from crawler.web.forms import blank_form
from crawler.web.saved import SaveError, build_saved, search_params

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI

    from crawler.config.alerts import AlertsConfig
    from crawler.config.schema import ApiConfig
    from crawler.index import SearchIndex
    from crawler.index.saved_searches import SavedSearch
    from crawler.search.names import NameDirectory

logger = logging.getLogger(__name__)


def saved_rows(
    searches: list[SavedSearch], alerts: AlertsConfig, overview: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each saved search as the page shows it: its link, its alert and what it sent."""
    rows = []
    for search in searches:
        params = search_params(search)
        row: dict[str, Any] = {
            "search": search,
            "link": f"/?{params}" if str(params) else "/",
            "alert": None,
        }
        if search.alert:
            when = "immediate" if search.mode == "immediate" else f"digest, {search.period}"
            row["alert"] = {
                "kind": search.alert,
                "when": when,
                "channel": search.channel,
                "missing": search.channel not in alerts.channels,
                **overview.get(search.rule_name, {"counts": {}, "recent": []}),
            }
        rows.append(row)
    return rows


def alert_routes(
    app: FastAPI,
    api: ApiConfig,
    backend: Callable[[], SearchIndex],
    alerts: AlertsConfig,
    directory: NameDirectory,
    page: Callable[..., Response],
) -> None:
    def alerts_page(request: Request, status: int = 200, **context: Any) -> Response:
        index = backend()
        state = index.alert_state()
        saved = index.saved_searches()
        try:
            searches = list(saved.all())
            rules = rule_overview(alerts.rules, state) if alerts.rules else []
            own = [r for r in (saved_rule(s, alerts.channels) for s in searches) if r]
            overview = {row["name"]: row for row in rule_overview(own, state)} if own else {}
        finally:
            saved.close()
            state.close()
        rows = saved_rows(searches, alerts, overview)
        return page(
            request,
            "alerts.html",
            blank_form(api),
            status=status,
            rules=rules,
            saved=rows,
            **context,
        )

    @app.get("/alerts", include_in_schema=False)
    def alerts_get(request: Request) -> Response:
        auth.require(request, api)
        return alerts_page(request)

    async def form_fields(request: Request) -> dict[str, str]:
        body = (await request.body()).decode("utf-8", "replace")
        return {key: values[-1] for key, values in parse_qs(body).items()}

    def refused(request: Request, exc: auth.EditorRequired) -> Response:
        logger.warning(
            "web: saved-search change refused from %s: %s",
            request.client.host if request.client else "?",
            exc,
        )
        return alerts_page(request, status=403, refusal=str(exc))

    @app.post("/alerts/saved", include_in_schema=False)
    async def save(request: Request) -> Response:
        auth.require(request, api)
        fields = await form_fields(request)
        try:
            auth.require_editor(request, api, fields.get(auth.CSRF_FIELD))
        except auth.EditorRequired as exc:
            return refused(request, exc)
        index = backend()
        try:
            search = build_saved(
                fields,
                QueryParams(fields.get("search", "")),
                api=api,
                alerts=alerts,
                index=index,
                directory=directory,
            )
        except SaveError as exc:
            return alerts_page(request, status=400, save_error=str(exc))
        saved = index.saved_searches()
        try:
            saved.save(search)
        finally:
            saved.close()
        logger.info("web: saved search %s (%s)", search.id, search.alert or "no alert")
        return RedirectResponse(f"/alerts#saved-{search.id}", status_code=303)

    @app.post("/alerts/saved/{search_id}/delete", include_in_schema=False)
    async def delete(request: Request, search_id: str) -> Response:
        auth.require(request, api)
        fields = await form_fields(request)
        try:
            auth.require_editor(request, api, fields.get(auth.CSRF_FIELD))
        except auth.EditorRequired as exc:
            return refused(request, exc)
        saved = backend().saved_searches()
        try:
            saved.delete(search_id)
        finally:
            saved.close()
        return RedirectResponse("/alerts", status_code=303)
