"""The web app's routes, mounted on the API's FastAPI app: same backend, same API key."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response

from crawler.config.alerts import AlertsConfig
from crawler.config.schema import ApiConfig
from crawler.index import SearchIndex
from crawler.web import auth
from crawler.web.alerts import alert_routes
from crawler.web.charts import outlets_chart, timeline_chart
from crawler.web.export import export_response
from crawler.web.forms import SearchForm, blank_form, read_form
from crawler.web.story import story_view
from crawler.web.templating import SECURITY_HEADERS, Pages, highlight_stems

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
TOP_OUTLETS = 15


def mount_web(
    app: FastAPI, api: ApiConfig, backend: Callable[[], SearchIndex], alerts: AlertsConfig
) -> None:
    """Add the pages (/, /coverage, /story/{id}, /alerts, /export, /login) and /static."""
    pages = Pages()

    def page(
        request: Request, name: str, form: SearchForm, status: int = 200, **context: Any
    ) -> Response:
        return pages.render(
            name,
            status=status,
            form=form,
            signed_in=bool(api.api_key) and auth.signed_in(request, api.api_key),
            path=request.url.path,
            **context,
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _search_routes(app, api, backend, page)
    alert_routes(app, api, backend, alerts, page)
    _login_routes(app, api, page)


def _search_routes(
    app: FastAPI, api: ApiConfig, backend: Callable[[], SearchIndex], page: Callable[..., Response]
) -> None:
    @app.get("/", include_in_schema=False)
    def search_page(request: Request) -> Response:
        auth.require(request, api.api_key)
        form = read_form(request.query_params, api)
        if form.request is None:
            return page(request, "search.html", form, status=400)
        try:
            result = backend().search(form.request)
        except ValueError as exc:  # a cursor from another search, a query the engine refuses
            form.errors["form"] = str(exc)
            return page(request, "search.html", form, status=400)
        number = _page_number(request)
        stems = highlight_stems(form.values["q"])
        return page(request, "search.html", form, result=result, page_number=number, stems=stems)

    @app.get("/coverage", include_in_schema=False)
    def coverage_page(request: Request) -> Response:
        auth.require(request, api.api_key)
        form = read_form(request.query_params, api)
        if form.request is None:
            return page(request, "coverage.html", form, status=400)
        aggs = backend().aggregate(form.request, size=TOP_OUTLETS)
        charts = [timeline_chart(aggs.timeline), outlets_chart(aggs.outlets)]
        return page(request, "coverage.html", form, charts=charts)

    @app.get("/story/{story_id}", include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Response:
        auth.require(request, api.api_key)
        form = read_form(request.query_params, api)
        found = backend().get_story(story_id)
        if found is None:
            return page(request, "missing.html", form, status=404, story_id=story_id)
        return page(request, "story.html", form, view=story_view(found))

    @app.get("/export", include_in_schema=False)
    def export(request: Request) -> Response:
        auth.require(request, api.api_key)
        form = read_form(request.query_params, api)
        fmt = request.query_params.get("format", "csv")
        if fmt not in ("csv", "jsonl"):
            form.errors["form"] = f"export format: expected csv or jsonl, got {fmt!r}"
        if form.request is None or form.errors:
            return page(request, "search.html", form, status=400)
        return export_response(backend(), form.request, fmt)


def _login_routes(app: FastAPI, api: ApiConfig, page: Callable[..., Response]) -> None:
    @app.exception_handler(auth.LoginRequired)
    async def login_first(request: Request, exc: auth.LoginRequired) -> Response:
        return RedirectResponse("/login?" + urlencode({"next": exc.next_path}), status_code=303)

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request, next: str = "/") -> Response:
        form = blank_form(api)
        return page(request, "login.html", form, next=auth.safe_next(next), failed=False)

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        fields = parse_qs((await request.body()).decode("utf-8", "replace"))
        given = (fields.get("api_key") or [""])[0]
        target = auth.safe_next((fields.get("next") or ["/"])[0])
        if not api.api_key or auth.key_matches(given, api.api_key):
            answer = RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)
            if api.api_key:
                answer.set_cookie(
                    auth.COOKIE,
                    auth.session_token(api.api_key),
                    httponly=True,
                    samesite="strict",
                    secure=request.url.scheme == "https",
                )
            return answer
        logger.warning("web login refused from %s", request.client.host if request.client else "?")
        form = blank_form(api)
        return page(request, "login.html", form, status=401, next=target, failed=True)

    @app.post("/logout", include_in_schema=False)
    def logout() -> Response:
        answer = RedirectResponse("/login", status_code=303, headers=SECURITY_HEADERS)
        answer.delete_cookie(auth.COOKIE)
        return answer


def _page_number(request: Request) -> int:
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1
