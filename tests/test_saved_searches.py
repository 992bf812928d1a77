"""Saved searches and their alerts over HTTP, on both backends: saving needs the editor key
and, from a form, its CSRF token; the API takes `X-Editor-Key`; a saved alert is
evaluated by the alert service like a config rule and delivered to its channel."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from crawler.alerts.service import AlertService
from crawler.api.app import create_app
from crawler.config.alerts import AlertsConfig
from crawler.config.schema import ApiConfig
from tests.fixtures.backends import make_story, open_backend

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index import IndexBackend
    from tests.fixtures.backends import BackendStore
    from tests.fixtures.receivers import HttpReceiver

EDITOR, READER = "ed1tor-key", "r3ad-key"


@pytest.fixture
def channels(http_receiver: HttpReceiver) -> AlertsConfig:
    return AlertsConfig(channels={"newsroom": [http_receiver.url]}, retries=0)


@pytest.fixture
def client(
    backend_store: BackendStore, backend: IndexBackend, channels: AlertsConfig
) -> Iterator[TestClient]:
    backend.put_story(make_story("http://a.test/1", text="Troops reached Kursk."))
    backend.flush()
    api = ApiConfig(api_key=READER, editor_key=EDITOR)
    app = create_app(api, lambda: open_backend(backend_store.spec), channels)
    with TestClient(app) as web:
        yield web


def sign_in(client: TestClient, key: str) -> None:
    answer = client.post("/login", data={"api_key": key, "next": "/"}, follow_redirects=False)
    assert answer.status_code == 303


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert found, "no CSRF token on the page"
    return found[1]


def save_form(**extra: str) -> dict[str, Any]:
    return {
        "search": "q=kursk",
        "name": "Kursk <watch>",
        "alert": "new",
        "channel": "newsroom",
    } | extra


def test_the_editor_saves_a_search_from_the_results_page(client: TestClient) -> None:
    sign_in(client, EDITOR)
    page = client.get("/", params={"q": "kursk"}).text
    assert "Save this search" in page
    saved = client.post(
        "/alerts/saved", data=save_form(csrf_token=csrf_of(page)), follow_redirects=False
    )
    assert saved.status_code == 303
    listing = client.get("/alerts").text
    assert "Kursk &lt;watch&gt;" in listing  # escaped, like everything people type
    assert "new, immediate, to newsroom" in listing
    assert "Rules in the config" in listing
    api = client.get("/saved-searches", headers={"X-API-Key": READER}).json()
    [search] = api["saved_searches"]
    assert (search["query"], search["alert"], search["channel"]) == ("kursk", "new", "newsroom")


def test_saving_is_refused_without_the_editor_key_or_the_csrf_token(client: TestClient) -> None:
    sign_in(client, READER)
    page = client.get("/", params={"q": "kursk"}).text
    assert "needs the editor key" in page and 'name="csrf_token"' not in page
    refused = client.post("/alerts/saved", data=save_form(csrf_token="x"))
    assert refused.status_code == 403 and "needs the editor key" in refused.text
    sign_in(client, EDITOR)
    for token in ("", "0" * 64):
        forged = client.post("/alerts/saved", data=save_form(csrf_token=token))
        assert forged.status_code == 403 and "CSRF token" in forged.text
    assert client.get("/saved-searches", headers={"X-API-Key": READER}).json() == {
        "saved_searches": []
    }


def test_the_api_saves_with_the_editor_key_only(client: TestClient) -> None:
    body = {
        "name": "Kursk",
        "q": "kursk",
        "alert": "spread",
        "when": "daily",
        "channel": "newsroom",
    }
    assert client.post("/saved-searches", json=body).status_code == 403
    wrong = client.post("/saved-searches", json=body, headers={"X-API-Key": READER})
    assert wrong.status_code == 403
    made = client.post("/saved-searches", json=body, headers={"X-Editor-Key": EDITOR})
    assert made.status_code == 201 and made.json()["mode"] == "digest"
    bad = client.post(
        "/saved-searches", json=body | {"channel": "elsewhere"}, headers={"X-Editor-Key": EDITOR}
    )
    assert bad.status_code == 422 and "expected one of newsroom" in bad.json()["error"]["message"]
    search_id = made.json()["id"]
    gone = client.delete(f"/saved-searches/{search_id}", headers={"X-Editor-Key": EDITOR})
    assert gone.status_code == 200
    assert (
        client.delete(f"/saved-searches/{search_id}", headers={"X-Editor-Key": EDITOR}).status_code
        == 404
    )


def test_a_saved_alert_fires_through_the_alert_service(
    client: TestClient,
    backend_store: BackendStore,
    channels: AlertsConfig,
    http_receiver: HttpReceiver,
) -> None:
    body = {"name": "Pyongyang", "q": "pyongyang", "alert": "new", "channel": "newsroom"}
    assert (
        client.post("/saved-searches", json=body, headers={"X-Editor-Key": EDITOR}).status_code
        == 201
    )
    backend = open_backend(backend_store.spec)
    clock = [datetime(2026, 11, 20, 8, 0, tzinfo=UTC)]
    service = AlertService(channels, backend, clock=lambda: clock[0])
    try:
        assert service.arm()
        story = make_story(
            "http://b.test/2", title="Pyongyang sends shells", text="Pyongyang sent shells."
        )
        backend.put_story(story)
        backend.flush()
        clock[0] = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
        report = service.run()
        assert report.sent == 1
        assert http_receiver.titles() == [
            "[newswatch] Pyongyang: new story: Pyongyang sends shells"
        ]
        assert service.run().sent == 0  # once
    finally:
        service.close()
        backend.close()
    listing = client.get("/alerts", headers={"X-API-Key": READER}).text
    assert "1 sent" in listing and "Pyongyang sends shells" in listing


def test_the_results_page_says_when_its_counts_are_estimated(
    client: TestClient, backend: IndexBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crawler.web.search_pages

    for number in range(2, 6):
        backend.put_story(make_story(f"http://a.test/{number}", text="Troops left Kursk."))
    backend.flush()
    sign_in(client, READER)
    exact = client.get("/", params={"q": "kursk"}).text
    assert "are estimates" not in exact
    monkeypatch.setattr(crawler.web.search_pages, "FACET_ESTIMATE_ABOVE", 2)
    page = client.get("/", params={"q": "kursk"}).text
    # The embedded index counts every 3rd of the 5 matches; Elasticsearch counts them all.
    assert ("one matching story in 3 " in page) == (backend.name == "embedded")
