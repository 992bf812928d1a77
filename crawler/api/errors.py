"""Every API error is JSON with a message a person can act on; no stack traces."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from fastapi import HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from crawler.index.errors import InvalidCursor
from crawler.query import QuerySyntaxError
from crawler.search.request import FilterError

if TYPE_CHECKING:
    from fastapi import FastAPI, Request

logger = logging.getLogger(__name__)


def error_body(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    return JSONResponse(
        status_code=status, content={"error": {"code": code, "message": message, **extra}}
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QuerySyntaxError)
    async def bad_query(request: Request, exc: QuerySyntaxError) -> JSONResponse:
        return error_body(400, "bad_query", str(exc), position=getattr(exc, "position", None))

    @app.exception_handler(InvalidCursor)
    async def bad_cursor(request: Request, exc: InvalidCursor) -> JSONResponse:
        return error_body(400, "bad_cursor", str(exc))

    @app.exception_handler(FilterError)
    async def bad_filter(request: Request, exc: FilterError) -> JSONResponse:
        return error_body(400, "bad_filter", str(exc), field=exc.field)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in error['loc'] if p != 'query')}: {error['msg']}"
            for error in exc.errors()
        ]
        return error_body(422, "bad_parameter", "; ".join(problems))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error_body(exc.status_code, "http_error", str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unexpected error on %s", request.url.path, exc_info=exc)
        return error_body(500, "internal_error", "the server failed to answer; see its log")
