"""Search cursors, the same on every backend: the sort they belong to and the sort
values of the last hit of a page, as URL-safe base64 JSON (opaque to callers)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from crawler.index.errors import InvalidCursor


def encode_cursor(sort: str, values: list[Any]) -> str:
    raw = json.dumps([sort, *values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    """The sort values after which the next page of a `sort`-sorted search starts.

    InvalidCursor if `cursor` is not one encode_cursor made for that sort.
    """
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeError, ValueError, TypeError):
        raise invalid(cursor) from None
    if not isinstance(decoded, list) or not decoded or not isinstance(decoded[0], str):
        raise invalid(cursor)
    if decoded[0] != sort:
        raise invalid(
            cursor, f"it belongs to a {decoded[0]}-sorted search, not a {sort}-sorted one"
        )
    return decoded[1:]


def invalid(cursor: str, why: str = "malformed") -> InvalidCursor:
    """The one error of a bad cursor, for the backends' own checks of its values too."""
    return InvalidCursor(
        f"invalid search cursor {cursor!r} ({why}): pass the next_cursor of a previous "
        "page of the same search"
    )
