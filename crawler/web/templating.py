"""Jinja2 set up for crawled, attacker-controlled text: everything escaped, strict headers."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

# No inline script or style anywhere: a payload that slipped past escaping still cannot
# run, load from elsewhere, or post a form to another site.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Links lead to crawled outlets; they need not learn what an analyst searched.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
OPEN, CLOSE = "«", "»"


def marked(snippet: str | None) -> Markup:
    """Escape a snippet, then turn the backend's « » match markers into <mark> elements.

    Unbalanced markers (a crawled text may contain guillemets itself) stay text, so the
    result is always well-formed.
    """
    parts: list[str] = []
    open_mark = False
    for char in snippet or "":
        if char == OPEN and not open_mark:
            parts.append("<mark>")
            open_mark = True
        elif char == CLOSE and open_mark:
            parts.append("</mark>")
            open_mark = False
        else:
            parts.append(str(escape(char)))
    if open_mark:
        parts.append("</mark>")
    return Markup("".join(parts))


def day(value: str | None) -> str:
    """`2026-11-20T08:00:00Z` as `2026-11-20 08:00 UTC`."""
    if not value:
        return "undated"
    return f"{value[:10]} {value[11:16]} UTC" if len(value) >= 16 else value


def linkable(url: str | None) -> bool:
    """Only web addresses become links: a crawled `javascript:` URL stays text."""
    return bool(url) and urlsplit(str(url)).scheme in ("http", "https")


def make_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crawler.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["marked"] = marked
    env.filters["day"] = day
    env.filters["linkable"] = linkable
    return env


class Pages:
    """Renders templates into responses that carry the security headers."""

    def __init__(self) -> None:
        self.env = make_environment()

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)
