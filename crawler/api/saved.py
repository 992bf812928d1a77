"""The API's saved searches: list them with the read key; save and delete with the editor key
(`X-Editor-Key`). The same builder as the web app's form (crawler/web/saved.py)."""

# No `from __future__ import annotations`: FastAPI reads the route signatures at runtime.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Body, FastAPI, HTTPException, Request
from fastapi.params import Depends
from starlette.datastructures import QueryParams

from crawler.config.alerts import AlertsConfig
from crawler.config.schema import ApiConfig
from crawler.index import SearchIndex
from crawler.index.saved_searches import SavedSearch
from crawler.search.names import NameDirectory
from crawler.web import auth
from crawler.web.saved import SaveError, build_saved

SEARCH_KEYS = ("q", "topic", "outlet", "language", "min_outlets")


def saved_json(search: SavedSearch) -> dict[str, Any]:
    return search.to_document()


def saved_search_routes(
    app: FastAPI,
    api: ApiConfig,
    backend: Callable[[], SearchIndex],
    alerts: AlertsConfig,
    directory: NameDirectory,
    guarded: list[Depends],
) -> None:
    def editor(request: Request) -> None:
        try:
            auth.require_editor(request, api)
        except auth.EditorRequired as exc:
            raise HTTPException(status_code=403, detail=str(exc)) from None

    @app.get("/saved-searches", dependencies=guarded)
    def list_saved() -> dict[str, Any]:
        """The saved searches, oldest first, each with its alert (kind, mode, channel)."""
        saved = backend().saved_searches()
        try:
            return {"saved_searches": [saved_json(s) for s in saved.all()]}
        finally:
            saved.close()

    @app.post("/saved-searches", status_code=201)
    def save(
        request: Request,
        body: Annotated[dict[str, Any], Body(examples=[{"name": "Korea", "q": "korea"}])],
    ) -> dict[str, Any]:
        """Save a search (name, q, topic, outlet, language, min_outlets) with an optional
        alert (alert: new | spread | surge; when: immediate | hourly | daily; channel: a
        name in the config's alerts.channels). Needs `X-Editor-Key`."""
        editor(request)
        pairs: list[tuple[str, str]] = []
        for key in SEARCH_KEYS:
            value = body.get(key)
            for item in value if isinstance(value, list) else [value]:
                if item not in (None, ""):
                    pairs.append((key, str(item)))
        fields = {k: str(body.get(k) or "") for k in ("name", "alert", "when", "channel")}
        index = backend()
        try:
            search = build_saved(
                fields, QueryParams(pairs), api=api, alerts=alerts, index=index, directory=directory
            )
        except SaveError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        saved = index.saved_searches()
        try:
            saved.save(search)
        finally:
            saved.close()
        return saved_json(search)

    @app.delete("/saved-searches/{search_id}")
    def delete(request: Request, search_id: str) -> dict[str, Any]:
        """Delete a saved search and its alert. Needs `X-Editor-Key`."""
        editor(request)
        saved = backend().saved_searches()
        try:
            if not saved.delete(search_id):
                raise HTTPException(status_code=404, detail=f"no saved search {search_id!r}")
        finally:
            saved.close()
        return {"deleted": search_id}
