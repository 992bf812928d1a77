"""HTTP for every answer of the app (HEAD, security headers, offline API docs), the
filters made from one declaration, names resolved for them, and the CSV export."""

from __future__ import annotations

import argparse
import csv
import io
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from crawler.api.app import create_app
from crawler.cli.options import add_filter_options, request_kwargs
from crawler.config.schema import ApiConfig, Source
from crawler.search.names import NameDirectory
from crawler.search.request import FILTERS, FilterError, build_request
from tests.fixtures.backends import add_copy, make_story, open_backend

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index import IndexBackend
    from tests.fixtures.backends import BackendStore

SOURCES = [
    Source(name="usatoday-com", feeds=["https://www.usatoday.com/rss/news"]),
    Source(name="metro", outlet="Metroline", homepages=["https://metroline.example/"]),
]


@pytest.fixture
def web(backend_store: BackendStore, backend: IndexBackend) -> Iterator[TestClient]:
    story = make_story(
        "https://www.usatoday.com/story/news/1", outlet="USA TODAY", topics=("US-Politics",)
    )
    story = add_copy(story, "Metroline", "https://metroline.example/news/1")
    other = make_story("https://elsewhere.example/2", outlet="Elsewhere", language="de")
    for item in (story, other):
        backend.put_story(item)
    backend.flush()
    directory = NameDirectory(SOURCES, ["us-politics"])
    app = create_app(ApiConfig(), lambda: open_backend(backend_store.spec), directory=directory)
    with TestClient(app) as client:
        yield client


PATHS = (
    "/",
    "/?q=korea",
    "/coverage",
    "/help",
    "/export?format=csv",
    "/docs",
    "/redoc",
    "/openapi.json",
    "/search?q=korea",
    "/static/style.css",
    "/static/api-docs/swagger-ui.css",
    "/story/nope",
    "/search?q=(",
)


def test_every_answer_carries_the_security_headers_and_head_works(web: TestClient) -> None:
    for path in PATHS:
        got = web.get(path)
        head = web.head(path)
        assert head.status_code == got.status_code != 405, path
        assert head.content == b"", path
        for answer in (got, head):
            assert "default-src 'none'" in answer.headers["content-security-policy"], path
            assert answer.headers["x-content-type-options"] == "nosniff", path
            assert answer.headers["referrer-policy"] == "no-referrer", path
            assert answer.headers["x-frame-options"] == "DENY", path
        if path not in ("/docs", "/redoc"):
            assert "unsafe-inline" not in got.headers["content-security-policy"], path


def test_api_docs_load_nothing_from_elsewhere(web: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = web.get(path).text
        assert "http://" not in page and "https://" not in page, path
        assert "<script>" not in page  # the CSP allows no inline script
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert web.get(f"/static/api-docs/{asset}").status_code == 200


def test_cli_api_and_form_take_the_same_filters(web: TestClient) -> None:
    parser = argparse.ArgumentParser()
    add_filter_options(parser)
    options = {a.dest for a in parser._actions} - {"help", "query"}
    assert options == {spec.name for spec in FILTERS}
    parameters = web.get("/openapi.json").json()["paths"]["/search"]["get"]["parameters"]
    assert {spec.name for spec in FILTERS} <= {p["name"] for p in parameters}
    form = web.get("/").text
    for spec in FILTERS:
        assert f'name="{spec.name}"' in form
    args = parser.parse_args(["korea", "--outlet", "A,B", "--outlet", "C", "--min-outlets", "2"])
    request = build_request(args.query, **request_kwargs(args))
    assert request.outlets == ("A", "B", "C") and request.min_outlets == 2


def test_a_filter_error_carries_its_field() -> None:
    with pytest.raises(FilterError) as raised:
        build_request(since="garbage")
    assert raised.value.field == "since" and not raised.value.message.startswith("since")
    assert str(raised.value).count("since:") == 1
    assert build_request(until="2026-11-30").until.isoformat() == "2026-11-30T23:59:59.999999+00:00"


def total(web: TestClient, **params: Any) -> tuple[int, list[dict[str, Any]]]:
    answer = web.get("/search", params=params).json()
    return answer["total"], answer["unknown"]


@pytest.mark.parametrize(
    "given",
    [
        "USA TODAY",
        "usa today",
        "usatoday-com",
        "USATODAY-COM",
        "usatoday.com",
        "https://www.usatoday.com/",
    ],
)
def test_an_outlet_is_found_by_its_name_its_source_or_its_host(web: TestClient, given: str) -> None:
    assert total(web, outlet=given) == (1, [])


def test_topics_and_languages_match_in_any_case(web: TestClient) -> None:
    assert total(web, topic="us-politics") == (1, [])
    assert total(web, topic="US-POLITICS") == (1, [])
    assert total(web, language="DE") == (1, [])
    assert total(web, outlet="metro") == (1, [])  # the config's outlet: name


def test_an_unknown_name_is_reported_never_a_silent_zero(web: TestClient) -> None:
    found, unknown = total(web, outlet=["Nowhere", "Elsewhere"])
    assert found == 1
    assert unknown == [
        {"filter": "outlet", "value": "Nowhere", "message": "No outlet called 'Nowhere'"}
    ]
    found, unknown = total(web, outlet="nowhere.example")
    assert found == 0 and unknown[0]["value"] == "nowhere.example"
    page = web.get("/", params={"outlet": "Nowhere"}).text
    assert "No outlet called &#39;Nowhere&#39;" in page


def test_facets_count_the_search(web: TestClient) -> None:
    facets = web.get("/stats/facets").json()
    assert {b["key"]: b["stories"] for b in facets["outlets"]} == {
        "USA TODAY": 1,
        "Metroline": 1,
        "Elsewhere": 1,
    }
    assert {b["key"] for b in facets["languages"]} == {"en", "de"}
    page = web.get("/").text
    assert 'class="facet facet-outlet"' in page and "outlet=Metroline" in page


def test_a_page_number_without_its_cursor_goes_to_page_one(web: TestClient) -> None:
    moved = web.get("/?q=korea&page=2", follow_redirects=False)
    assert moved.status_code == 303 and moved.headers["location"] == "/?q=korea"


def test_csv_export_has_each_copys_outlet_and_first_seen_and_a_bom_on_request(
    web: TestClient,
) -> None:
    plain = web.get("/export", params={"format": "csv", "outlet": "usatoday-com"})
    assert not plain.content.startswith(b"\xef\xbb\xbf")
    marked = web.get("/export", params={"format": "csv", "outlet": "usatoday-com", "bom": "1"})
    assert marked.content.startswith(b"\xef\xbb\xbf")
    [row] = list(csv.DictReader(io.StringIO(marked.content.decode("utf-8-sig"))))
    assert row["copy_outlets"] == "USA TODAY; Metroline"
    assert row["copy_first_seen"].split("; ")[0] == row["first_seen"]
    assert row["copy_urls"].split("; ")[1] == "https://metroline.example/news/1"
