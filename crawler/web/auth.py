"""The one key check of the API and the web app: a read key and an editor key.

Reading (search, stories, the pages) needs `api.api_key` when one is set; writing
(saved searches) needs `api.editor_key`, and is off when none is set. Scripts send
`X-API-Key` / `X-Editor-Key`; people sign in once on /login, which sets session
cookies holding an HMAC of a key, never the key itself. A form that writes carries a
CSRF token derived from the editor session, checked by `check_csrf`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request

    from crawler.config.schema import ApiConfig

COOKIE = "newswatch_session"
EDITOR_COOKIE = "newswatch_editor"
READ_HEADER = "x-api-key"
EDITOR_HEADER = "x-editor-key"
CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    """Raised by a page whose visitor has not given the API key; answered by a redirect."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class EditorRequired(Exception):
    """A write without the editor key (or with a bad CSRF token); answered by a 403."""


def key_matches(given: str | None, key: str) -> bool:
    """Whether `given` is `key`, in constant time."""
    return given is not None and secrets.compare_digest(given.encode(), key.encode())


def _mac(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def session_token(api_key: str) -> str:
    return _mac(api_key, "newswatch web session")


def editor_token(editor_key: str, nonce: str | None = None) -> str:
    """An editor session: a random nonce and its HMAC under the editor key."""
    nonce = nonce or secrets.token_hex(16)
    return f"{nonce}.{_mac(editor_key, 'newswatch editor ' + nonce)}"


def _editor_nonce(request: Request, editor_key: str) -> str | None:
    """The nonce of a valid editor session cookie, or None."""
    cookie = request.cookies.get(EDITOR_COOKIE, "")
    nonce = cookie.partition(".")[0]
    if nonce and key_matches(cookie, editor_token(editor_key, nonce)):
        return nonce
    return None


def can_read(request: Request, api: ApiConfig) -> bool:
    if not api.api_key:
        return True
    if key_matches(request.headers.get(READ_HEADER), api.api_key):
        return True
    if can_edit(request, api):
        return True  # the editor key opens what the read key opens
    return key_matches(request.cookies.get(COOKIE), session_token(api.api_key))


def can_edit(request: Request, api: ApiConfig) -> bool:
    """Whether the request carries the editor key (header) or an editor session (cookie)."""
    if not api.editor_key:
        return False
    if key_matches(request.headers.get(EDITOR_HEADER), api.editor_key):
        return True
    return _editor_nonce(request, api.editor_key) is not None


def signed_in(request: Request, api: ApiConfig) -> bool:
    """Whether the page shows "Sign out": a key is set and this visitor gave one."""
    return bool(api.api_key or api.editor_key) and (
        (bool(api.api_key) and can_read(request, api)) or can_edit(request, api)
    )


def require(request: Request, api: ApiConfig) -> None:
    if not can_read(request, api):
        query = f"?{request.url.query}" if request.url.query else ""
        raise LoginRequired(request.url.path + query)


def csrf_token(request: Request, api: ApiConfig) -> str:
    """The token a write form of this editor session carries; "" without a session."""
    nonce = _editor_nonce(request, api.editor_key) if api.editor_key else None
    return _mac(api.editor_key, "newswatch csrf " + nonce) if api.editor_key and nonce else ""


def require_editor(request: Request, api: ApiConfig, form_token: str | None = None) -> None:
    """Refuse a write: without the editor key; from a form, without its CSRF token.

    A header key needs no token: another site's page cannot set a custom header."""
    if not api.editor_key:
        raise EditorRequired("saving is off: the operator has set no editor key (api.editor_key)")
    if key_matches(request.headers.get(EDITOR_HEADER), api.editor_key):
        return
    if _editor_nonce(request, api.editor_key) is None:
        raise EditorRequired("saving needs the editor key: sign in with it on /login")
    expected = csrf_token(request, api)
    if not form_token or not key_matches(form_token, expected):
        raise EditorRequired("the form's CSRF token is missing or wrong: reload the page")


def safe_next(path: str | None) -> str:
    """Only local paths: a login link must not send people to another site."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path
