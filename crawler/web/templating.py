"""Jinja2 set up for crawled, attacker-controlled text: everything escaped, strict headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from crawler.analysis.scripts import TOKEN
from crawler.query.highlight import Highlight, highlight
from crawler.search.request import FILTERS
from crawler.web.forms import SORTS
from crawler.web.svg import chart_svg

# The backends' snippets (crawler/query/highlight.py) mark matches with guillemets and turn
# the crawled text's own into ‹ ›; a «span» is still marked only when its words are ones the
# query looks for, so a snippet from elsewhere cannot mark what it likes.
_SPAN = re.compile("«([^«»]*)»")
NOTHING = Highlight()


def highlight_words(query: str) -> Highlight:
    """What the query looks for (not under NOT), inflected forms included."""
    return highlight(query)


highlight_stems = highlight_words


def _is_match(span: str, marks: Highlight) -> bool:
    found = TOKEN.findall(span)
    return bool(found) and all(marks.is_match(word) for word in found)


def marked(snippet: str | None, stems: Highlight = NOTHING) -> Markup:
    """Escape a snippet, then turn the backend's match markers into <mark> elements."""
    return _mark(snippet or "", _SPAN, lambda span: _is_match(span, stems))


def _mark(text: str, spans: re.Pattern[str], is_match: Callable[[str], bool]) -> Markup:
    """`text` escaped, each span of `spans` whose words the query looks for (its last
    group: the words inside the backend's markers, or the word itself) as <mark>."""
    parts: list[str] = []
    last = 0
    for span in spans.finditer(text):
        words_of = span.group(spans.groups)
        if is_match(words_of):
            parts.append(escape(text[last : span.start()]))
            parts.append(Markup("<mark>%s</mark>") % words_of)
            last = span.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


# The form's fields besides the filters, as their errors name them.
OTHER_FIELDS = {"q": "Query", "sort": "Sort", "limit": "Page size", "format": "Export format"}


def highlighted(text: str | None, wanted: Highlight = NOTHING) -> Markup:
    """Escape plain text and mark the words the query looks for (`highlight_words`):
    a story's text reached from a search. A word is marked when the query matches it,
    inflected ("Кореи" for "Корея", 북한군 for 북한) as the search's own matching goes."""
    if not wanted:
        return escape(text or "")
    return _mark(text or "", TOKEN, wanted.is_match)


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
    env.filters["highlighted"] = highlighted
    env.filters["day"] = day
    env.filters["linkable"] = linkable
    env.globals["FILTERS"] = FILTERS
    env.globals["chart_svg"] = chart_svg
    env.globals["SORTS"] = SORTS
    env.globals["FIELD_LABELS"] = {s.name: s.label for s in FILTERS} | OTHER_FIELDS
    return env


class Pages:
    """Renders templates into responses (crawler/web/http.py adds the security headers)."""

    def __init__(self) -> None:
        self.env = make_environment()

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(**context)
        return HTMLResponse(html, status_code=status)
