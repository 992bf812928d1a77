"""The optional API key for people: a login form that sets a session cookie.

Scripts keep sending the `X-API-Key` header. The cookie holds an HMAC of the key,
not the key itself, so a copied cookie never reveals the key the API accepts.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request

COOKIE = "newswatch_session"


class LoginRequired(Exception):
    """Raised by a page whose visitor has not given the API key; answered by a redirect."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def session_token(api_key: str) -> str:
    return hmac.new(api_key.encode(), b"newswatch web session", hashlib.sha256).hexdigest()


def key_matches(given: str, api_key: str) -> bool:
    return secrets.compare_digest(given.encode(), api_key.encode())


def signed_in(request: Request, api_key: str | None) -> bool:
    if not api_key:
        return True
    header = request.headers.get("x-api-key")
    if header is not None and key_matches(header, api_key):
        return True
    cookie = request.cookies.get(COOKIE, "")
    return secrets.compare_digest(cookie.encode(), session_token(api_key).encode())


def require(request: Request, api_key: str | None) -> None:
    if not signed_in(request, api_key):
        query = f"?{request.url.query}" if request.url.query else ""
        raise LoginRequired(request.url.path + query)


def safe_next(path: str | None) -> str:
    """Only local paths: a login link must not send people to another site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
