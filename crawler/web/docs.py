"""The API's interactive docs (Swagger UI at /docs, ReDoc at /redoc), served offline.

The viewers' scripts and styles come from the fastapi-offline package, which ships
the released Swagger UI and ReDoc bundles (pinned in pyproject.toml and the image's
lock); they are served from the installed package at /static/api-docs, so the docs
work without a network. FastAPI's own docs pages start Swagger UI with an inline
script, which the app's Content-Security-Policy forbids: this page starts it from
/static/docs.js instead.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

if TYPE_CHECKING:
    from fastapi import FastAPI

ASSETS = "/static/api-docs"

SWAGGER_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newswatch API: Swagger UI</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" href="{ASSETS}/favicon.png">
</head><body>
<div id="swagger-ui" data-spec="/openapi.json"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>
"""

REDOC_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newswatch API: ReDoc</title>
<link rel="icon" href="{ASSETS}/favicon.png">
</head><body>
<redoc spec-url="/openapi.json"></redoc>
<script src="{ASSETS}/redoc.standalone.js"></script>
</body></html>
"""


def assets_directory() -> Path:
    return Path(str(importlib.resources.files("fastapi_offline") / "static"))


def mount_docs(app: FastAPI) -> None:
    """/docs and /redoc (the app is made with docs_url=None, redoc_url=None)."""
    app.mount(ASSETS, StaticFiles(directory=assets_directory()), name="api-docs")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return HTMLResponse(SWAGGER_PAGE)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(REDOC_PAGE)
