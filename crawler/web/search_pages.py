"""The search, coverage, story, export and help pages."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from crawler.index.errors import InvalidCursor
from crawler.web import auth
from crawler.web.charts import TimeBucket, ranking_chart, timeline_chart
from crawler.web.export import EXPORT_FORMATS, export_response
from crawler.web.forms import SearchForm, read_form
from crawler.web.paging import pager, read_position
from crawler.web.story import story_view
from crawler.web.templating import highlight_stems, highlight_words

if TYPE_CHECKING:
    from crawler.config.schema import ApiConfig
    from crawler.index import Aggregations, SearchIndex, SearchRequest
    from crawler.search.names import NameDirectory

FACET_SIZE = 8
# Above this many matches the embedded index estimates the facets and the histogram
# from a stride sample (the page says so); counting 25k matches costs 5x the search.
FACET_ESTIMATE_ABOVE = 1000
TOP_OUTLETS = 15
# For analysts, not developers: a cursor is an implementation detail they never typed.
BAD_CURSOR = (
    "This link to a further page of results no longer fits the search (it was changed, "
    "or belongs to another search). Start again from the first page."
)

Page = Callable[..., Response]


def day_link(form: SearchForm, path: str = "/") -> Callable[[TimeBucket], str]:
    """A bucket's link: the same search narrowed to its dates (until: the last day)."""

    # Built once: a chart links hundreds of buckets, and ISO dates need no quoting.
    base = form.url(path, since="", until="")
    joiner = "&" if "?" in base else "?"

    def link(bucket: TimeBucket) -> str:
        last = bucket.end - timedelta(days=1)
        return f"{base}{joiner}since={bucket.start.isoformat()}&until={last.isoformat()}"

    return link


def search_routes(
    app: FastAPI,
    api: ApiConfig,
    backend: Callable[[], SearchIndex],
    directory: NameDirectory,
    page: Page,
) -> None:
    def resolved(form: SearchForm, index: SearchIndex) -> SearchRequest:
        assert form.request is not None
        found = directory.resolve(form.request, index)
        form.unknown = found.unknown
        return found.request

    @app.get("/", include_in_schema=False)
    def search_page(request: Request) -> Response:
        auth.require(request, api)
        form = read_form(request.query_params, api)
        if form.request is None:
            return page(request, "search.html", form, status=400)
        position = read_position(request.query_params)
        if position is None:
            return RedirectResponse(form.url("/"), status_code=303)
        index = backend()
        wanted = dataclasses.replace(resolved(form, index), cursor=position.cursor)
        try:
            # The page and the facets of every match at once: one request on
            # Elasticsearch; on the embedded index one after the other, on the same
            # connection (side by side on two threads they only competed for the cores).
            result, aggs = index.search_with_facets(wanted, FACET_SIZE, FACET_ESTIMATE_ABOVE)
        except InvalidCursor:
            form.errors["form"] = BAD_CURSOR
            return page(request, "search.html", form, status=400, first_page=form.url("/"))
        histogram = timeline_chart(
            aggs.timeline, day_link(form), wanted.since, wanted.until, small=True
        )
        return page(
            request,
            "search.html",
            form,
            result=result,
            pager=pager(form, position, result, wanted.limit),
            facets=facets(form, aggs),
            histogram=histogram,
            estimated_every=aggs.every,
            stems=highlight_stems(form.values["q"]),
        )

    @app.get("/coverage", include_in_schema=False)
    def coverage_page(request: Request) -> Response:
        auth.require(request, api)
        form = read_form(request.query_params, api)
        if form.request is None:
            return page(request, "coverage.html", form, status=400)
        index = backend()
        wanted = resolved(form, index)
        aggs = index.aggregate(wanted, size=TOP_OUTLETS)
        charts = [
            timeline_chart(aggs.timeline, day_link(form, "/coverage"), wanted.since, wanted.until),
            ranking_chart(
                "Top outlets, by stories they ran",
                aggs.outlets,
                lambda name: form.adding("outlet", name, "/coverage"),
            ),
            ranking_chart(
                "Top topics, by stories",
                aggs.topics,
                lambda name: form.adding("topic", name, "/coverage"),
            ),
        ]
        return page(request, "coverage.html", form, charts=charts)

    @app.get("/story/{story_id}", include_in_schema=False)
    def story_page(request: Request, story_id: str) -> Response:
        auth.require(request, api)
        form = read_form(request.query_params, api)
        found = backend().get_story(story_id)
        if found is None:
            return page(request, "missing.html", form, status=404, story_id=story_id)
        wanted = highlight_words(form.values["q"] if not form.errors.get("q") else "")
        stems = wanted.for_language(found.language)
        return page(request, "story.html", form, view=story_view(found), stems=stems)

    @app.get("/export", include_in_schema=False)
    def export(request: Request) -> Response:
        auth.require(request, api)
        form = read_form(request.query_params, api)
        fmt = request.query_params.get("format", "csv")
        if fmt not in EXPORT_FORMATS:
            form.errors["format"] = f"expected csv or jsonl, got {fmt!r}"
        if form.request is None or form.errors:
            return page(request, "search.html", form, status=400)
        index = backend()
        bom = request.query_params.get("bom", "") in ("1", "true", "yes")
        return export_response(index, resolved(form, index), fmt, bom=bom)

    @app.get("/help", include_in_schema=False)
    def help_page(request: Request) -> Response:
        auth.require(request, api)
        form = read_form(request.query_params, api)
        return page(request, "help.html", form)


def facets(form: SearchForm, aggs: Aggregations) -> list[dict[str, Any]]:
    """Each facet's values with counts, and the link that adds (or, when active,
    removes) it as a filter."""
    shown = []
    for name, label, buckets in (
        ("outlet", "Outlets", aggs.outlets),
        ("topic", "Topics", aggs.topics),
        ("language", "Languages", aggs.languages),
    ):
        values = []
        for bucket in buckets:
            active = form.has(name, bucket.key)
            if active:
                rest = [v for v in form.values[name] if v.casefold() != bucket.key.casefold()]
                href = form.url("/", **{name: rest})
            else:
                href = form.adding(name, bucket.key)
            values.append(
                {"key": bucket.key, "count": bucket.count, "href": href, "active": active}
            )
        shown.append({"name": name, "label": label, "values": values})
    return shown
