"""What every response of the app gets: HEAD wherever GET is answered, and the
security headers (pages, exports, API answers, errors, static files, API docs)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import MutableHeaders

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(*, docs: bool = False) -> str:
    """No inline script or style anywhere: a payload that slipped past escaping still
    cannot run, load from elsewhere, or post a form to another site. The API docs'
    viewers (Swagger UI, ReDoc) style their own elements and draw icons from data:
    URIs, so their pages allow inline styles and data: images, nothing more."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'" + (" 'unsafe-inline'" if docs else ""),
            "img-src 'self'" + (" data:" if docs else ""),
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'" + (" blob:" if docs else ""),
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


SECURITY_HEADERS = {
    "Content-Security-Policy": content_security_policy(),
    "X-Content-Type-Options": "nosniff",
    # Links lead to crawled outlets; they need not learn what an analyst searched.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
DOCS_PATHS = ("/docs", "/redoc")


class HttpBasics:
    """ASGI middleware: HEAD is answered as GET without the body (FastAPI's routes
    answer GET only), and every response carries SECURITY_HEADERS."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.docs_policy = content_security_policy(docs=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        docs = scope["path"] in DOCS_PATHS

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if docs:
                    headers["Content-Security-Policy"] = self.docs_policy
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, answer)
