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
from crawler.search.names import NameDirectory
from crawler.web import auth
from crawler.web.alerts import alert_routes
from crawler.web.docs import mount_docs
from crawler.web.forms import SearchForm, blank_form
from crawler.web.http import HttpBasics
from crawler.web.saved import WHEN
from crawler.web.search_pages import search_routes
from crawler.web.sources import source_routes
from crawler.web.templating import Pages

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


def mount_web(
    app: FastAPI,
    api: ApiConfig,
    backend: Callable[[], SearchIndex],
    alerts: AlertsConfig,
    directory: NameDirectory,
) -> None:
    """Add the pages (/, /coverage, /story/{id}, /alerts, /sources, /export, /help, /login), the
    API docs (/docs, /redoc), /static, and HEAD and the security headers everywhere."""
    pages = Pages()

    def page(
        request: Request, name: str, form: SearchForm, status: int = 200, **context: Any
    ) -> Response:
        return pages.render(
            name,
            status=status,
            form=form,
            signed_in=auth.signed_in(request, api),
            editor=auth.can_edit(request, api),
            csrf_token=auth.csrf_token(request, api),
            channels=list(alerts.channels),
            alert_when=WHEN,
            path=request.url.path,
            **context,
        )

    app.add_middleware(HttpBasics)
    mount_docs(app)  # before /static, which would otherwise take /static/api-docs
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    search_routes(app, api, backend, directory, page)
    alert_routes(app, api, backend, alerts, directory, page)
    source_routes(app, api, page)
    _login_routes(app, api, page)


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
        editor = bool(api.editor_key) and auth.key_matches(given, api.editor_key or "")
        if (
            not (api.api_key or api.editor_key)
            or editor
            or (api.api_key and auth.key_matches(given, api.api_key))
        ):
            answer = RedirectResponse(target, status_code=303)
            secure = request.url.scheme == "https"
            if api.api_key:
                answer.set_cookie(
                    auth.COOKIE,
                    auth.session_token(api.api_key),
                    httponly=True,
                    samesite="strict",
                    secure=secure,
                )
            if editor and api.editor_key:
                answer.set_cookie(
                    auth.EDITOR_COOKIE,
                    auth.editor_token(api.editor_key),
                    httponly=True,
                    samesite="strict",
                    secure=secure,
                )
            return answer
        logger.warning("web login refused from %s", request.client.host if request.client else "?")
        form = blank_form(api)
        return page(request, "login.html", form, status=401, next=target, failed=True)

    @app.post("/logout", include_in_schema=False)
    def logout() -> Response:
        answer = RedirectResponse("/login", status_code=303)
        answer.delete_cookie(auth.COOKIE)
        answer.delete_cookie(auth.EDITOR_COOKIE)
        return answer
