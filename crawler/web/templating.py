"""Jinja2 set up for crawled, attacker-controlled text: everything escaped, strict headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.responses import HTMLResponse

from crawler.query import QuerySyntaxError, parse_query, terms_for_highlight
from crawler.query.normalise import words
from crawler.search.request import FILTERS
from crawler.web.forms import SORTS
from crawler.web.svg import chart_svg

# The backends mark matches with guillemets, which crawled text also uses as quotation
# marks («Ми бачимо...»): a «span» is taken for a match only when its words relate to
# the query's (same first letters: Elasticsearch also marks stemmed forms).
_SPAN = re.compile("«([^«»]*)»")
STEM = 4


def highlight_words(query: str) -> frozenset[str]:
    """Every word the query looks for, folded (not those under NOT)."""
    if not query:
        return frozenset()
    try:
        terms = terms_for_highlight(parse_query(query))
    except QuerySyntaxError:
        return frozenset()
    return frozenset(word for term in terms for word in term.words)


def highlight_stems(query: str) -> frozenset[str]:
    """The first letters of every word the query looks for (not those under NOT)."""
    return frozenset(word[:STEM] for word in highlight_words(query))


def _is_match(span: str, stems: frozenset[str]) -> bool:
    found = words(span)
    return bool(found) and all(
        word[:STEM] in stems or any(word.startswith(stem) for stem in stems) for word in found
    )


def marked(snippet: str | None, stems: frozenset[str] = frozenset()) -> Markup:
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
_WORD = re.compile(r"\w+")


def highlighted(text: str | None, wanted: frozenset[str] = frozenset()) -> Markup:
    """Escape plain text and mark the words the query looks for (`highlight_words`):
    a story's text reached from a search. A word is marked when it begins with one
    of them ("Koreans" for korean, not "Korea"), as the search's own matching goes."""
    if not wanted:
        return escape(text or "")

    def is_match(word: str) -> bool:
        folded = words(word)
        return bool(folded) and any(folded[0].startswith(w) for w in wanted)

    return _mark(text or "", _WORD, is_match)


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
