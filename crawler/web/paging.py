"""Pages of results: where this page sits, and links to the pages either side.

Cursors only lead forward, so each page's URL carries the cursors of the pages
before it (`trail`): "Previous" is the same URL one cursor shorter. A page number
that does not match its cursors (`/?page=2` typed without one) is not a page this
search can show; the app sends it to page 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams

    from crawler.index import SearchPage
    from crawler.web.forms import SearchForm


@dataclass(frozen=True)
class Position:
    number: int  # 1-based
    cursor: str | None  # the cursor that starts this page (None: the first page)
    trail: tuple[str, ...]  # the cursors that started pages 2 .. number-1


@dataclass(frozen=True)
class Pager:
    number: int
    first: int  # the 1-based rank of the page's first story
    last: int
    total: int
    previous_url: str | None
    next_url: str | None

    @property
    def shown(self) -> str:
        """`21-32 of 32`."""
        if not self.total or self.last < self.first:
            return f"0 of {self.total}"
        return f"{self.first}-{self.last} of {self.total}"


def read_position(params: QueryParams) -> Position | None:
    """The page the URL asks for, or None when its number and cursors disagree."""
    cursor = params.get("cursor") or None
    trail = tuple(t for t in params.getlist("trail") if t)
    raw = params.get("page")
    if raw is None:
        number = 1 if cursor is None else len(trail) + 2
    else:
        try:
            number = int(raw)
        except ValueError:
            return None
    if number == 1:
        return Position(1, None, ()) if cursor is None and not trail else None
    if cursor is None or number < 1 or len(trail) != number - 2:
        return None
    return Position(number, cursor, trail)


def pager(form: SearchForm, position: Position, page: SearchPage, limit: int) -> Pager:
    first = (position.number - 1) * limit + 1
    previous = None
    if position.number == 2:
        previous = form.url("/")
    elif position.number > 2:
        *before, cursor = position.trail
        previous = form.url("/", cursor=cursor, trail=before, page=position.number - 1)
    following = None
    if page.next_cursor:
        trail = [*position.trail, position.cursor] if position.cursor else []
        following = form.url("/", cursor=page.next_cursor, trail=trail, page=position.number + 1)
    return Pager(
        position.number, first, first + len(page.hits) - 1, page.total, previous, following
    )
