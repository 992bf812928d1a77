"""The read-only HTTP API on both backends: results, paging, statistics and JSON errors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from crawler.api.app import create_app
from crawler.config.schema import ApiConfig, ElasticsearchIndex
from tests.fixtures.backends import add_copy, make_story

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index import IndexBackend, SearchIndex
    from tests.fixtures.backends import BackendStore

SEED_TEXT = (
    "Ukraine's intelligence services say North Korea remains actively involved in Russia's "
    "war effort. Thousands of North Korean soldiers continue to fight alongside Russian forces "
    "in the Kursk region."
)


def unopened(spec: dict[str, Any]) -> SearchIndex:
    """The read-only search index `newswatch serve` opens per worker thread."""
    if spec["kind"] == "embedded":
        from crawler.index.sqlite import SqliteBackend

        return SqliteBackend(Path(spec["path"]))
    from crawler.index.elasticsearch import ElasticsearchSearchIndex

    es = ElasticsearchIndex(url=[spec["url"]], index_prefix=spec["prefix"])
    return ElasticsearchSearchIndex(es)


@pytest.fixture
def stories(backend: IndexBackend) -> dict[str, dict[str, Any]]:
    seed = make_story("http://outlet-a.test/ukraine-warns", text=SEED_TEXT, outlet="Outlet A")
    seed = add_copy(add_copy(seed, "Outlet B", "http://outlet-b.test/1"), "Outlet C", "http://c/2")
    made = {
        "seed": seed,
        "energy": make_story(
            "http://outlet-b.test/gas",
            title="Russia raises gas exports to Asia",
            text="Moscow signed new gas contracts with buyers in Asia this week.",
            outlet="Outlet B",
            published="2026-11-18T08:00:00Z",
            topics=("energy",),
        ),
        "kim": make_story(
            "http://outlet-c.test/kim",
            title="Kim Jong Un inspects artillery shells bound for Russia",
            text="North Korean leader Kim Jong Un visited a munitions factory on Monday.",
            outlet="Outlet C",
            published="2026-11-22T06:00:00Z",
        ),
    }
    for story in made.values():
        backend.put_story(story)
    backend.flush()
    return made


def client_for(store: BackendStore, **api: Any) -> Iterator[TestClient]:
    app = create_app(ApiConfig(**api), lambda: unopened(store.spec))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def api(backend_store: BackendStore, stories: dict) -> Iterator[TestClient]:
    yield from client_for(backend_store)


def test_search_returns_one_result_per_story_with_copies_and_snippet(api: TestClient) -> None:
    answer = api.get("/search", params={"q": '"North Korean" soldiers'})
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 1
    (hit,) = body["hits"]
    assert hit["story"]["outlet_count"] == 3
    assert {c["outlet"] for c in hit["story"]["copies"]} == {"Outlet A", "Outlet B", "Outlet C"}
    assert "«" in hit["snippet"] and "»" in hit["snippet"]
    assert "dedup_text" not in hit["story"]


def test_filters_and_sort_by_date(api: TestClient) -> None:
    by_date = api.get("/search", params={"sort": "date"}).json()
    dates = [hit["story"]["published"] for hit in by_date["hits"]]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    widely = api.get("/search", params={"min_outlets": 3}).json()
    assert [h["story"]["outlet"] for h in widely["hits"]] == ["Outlet A"]
    energy = api.get("/search", params={"topic": "energy"}).json()
    assert [h["story"]["title"] for h in energy["hits"]] == ["Russia raises gas exports to Asia"]
    recent = api.get("/search", params={"since": "2026-11-21"}).json()
    assert [h["story"]["outlet"] for h in recent["hits"]] == ["Outlet C"]


def test_paging_visits_every_story_once(api: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        params: dict[str, Any] = {"limit": 1, "sort": "date"}
        if cursor:
            params["cursor"] = cursor
        page = api.get("/search", params=params).json()
        seen += [hit["story"]["id"] for hit in page["hits"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 3 and len(set(seen)) == 3


def test_story_by_id_and_unknown_id(api: TestClient, stories: dict) -> None:
    story_id = stories["kim"].id
    assert api.get(f"/stories/{story_id}").json()["title"].startswith("Kim Jong Un")
    missing = api.get("/stories/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "http_error"


def test_statistics(api: TestClient) -> None:
    timeline = api.get("/stats/timeline").json()["buckets"]
    assert {b["date"]: b["stories"] for b in timeline} == {
        "2026-11-18": 1,
        "2026-11-20": 1,
        "2026-11-22": 1,
    }
    outlets = {b["outlet"]: b["stories"] for b in api.get("/stats/outlets").json()["buckets"]}
    assert outlets["Outlet B"] == 2 and outlets["Outlet C"] == 2
    assert api.get("/health").json()["stories"] == 3


@pytest.mark.parametrize(
    ("params", "status", "code", "mentions"),
    [
        ({"q": "(North Korea"}, 400, "bad_query", "position"),
        ({"q": "x" * 1001}, 422, "bad_parameter", "q"),
        ({"limit": 1000}, 422, "bad_parameter", "limit"),
        ({"limit": "many"}, 422, "bad_parameter", "limit"),
        ({"min_outlets": 0}, 422, "bad_parameter", "min_outlets"),
        ({"since": "last tuesday"}, 400, "bad_filter", "since"),
        ({"sort": "random"}, 422, "bad_parameter", "sort"),
        ({"cursor": "not-a-cursor"}, 400, "bad_cursor", "cursor"),
    ],
)
def test_bad_input_gets_a_json_error_not_a_500(
    api: TestClient, params: dict, status: int, code: str, mentions: str
) -> None:
    answer = api.get("/search", params=params)
    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert error["code"] == code
    assert mentions in error["message"] or mentions in error
    assert "Traceback" not in answer.text


def test_api_key_and_cors(backend_store: BackendStore, stories: dict) -> None:
    for client in client_for(backend_store, api_key="k3y"):
        assert client.get("/search").status_code == 401
        assert client.get("/search", headers={"X-API-Key": "wrong"}).status_code == 401
        assert client.get("/search", headers={"X-API-Key": "k3y"}).status_code == 200
        # Off by default: no cross-origin reads unless origins are configured.
        answer = client.get("/health", headers={"Origin": "http://evil.test"})
        assert "access-control-allow-origin" not in answer.headers
    for client in client_for(backend_store, cors_origins=["http://kibana.test"]):
        answer = client.get("/health", headers={"Origin": "http://kibana.test"})
        assert answer.headers["access-control-allow-origin"] == "http://kibana.test"


def test_openapi_documents_every_endpoint(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    for path in ("/search", "/stories/{story_id}", "/stats/timeline", "/stats/outlets", "/health"):
        assert path in paths
