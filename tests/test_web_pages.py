"""The web app's pages over HTTP on both backends, and its diff and highlighting on their own."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from crawler.api.app import create_app
from crawler.cli.export import write_stories
from crawler.config.schema import ApiConfig
from crawler.index import SearchRequest
from crawler.web.diff import compare
from crawler.web.templating import highlight_stems, marked
from tests.fixtures.backends import add_copy, make_story, open_backend

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index import IndexBackend
    from tests.fixtures.backends import BackendStore

PRIMARY = "\n".join(
    [
        "North Korean soldiers continue to fight alongside Russian forces in Kursk.",
        "Officials said thousands more were sent this autumn to the front line.",
        "Analysts warned the deployment could grow next year as training ends.",
        "The ministry declined to comment on the reports on Monday evening.",
    ]
)


def test_a_truncated_copy_is_cut_where_it_ends() -> None:
    lines = PRIMARY.splitlines()
    copy = "\n".join([lines[0], lines[1][:30] + "..."])
    diff = compare("Title", PRIMARY, "Title", copy)
    assert diff.truncated_after == 2
    assert diff.headline is None and not diff.identical
    assert [b.kind for b in diff.blocks] == ["same", "changed", "cut"]
    assert diff.blocks[-1].paragraphs == lines[2:]


def test_inserted_dropped_and_edited_paragraphs_and_a_new_headline() -> None:
    lines = PRIMARY.splitlines()
    edited = lines[1].replace("said", "stated")
    copy = "\n".join([lines[0], "Seoul added this.", edited, lines[3]])
    diff = compare("Ukraine warns", PRIMARY, "Ukraine warns - Outlet B", copy)
    assert (diff.inserted, diff.dropped, diff.changed, diff.truncated_after) == (1, 1, 1, None)
    assert [(s.kind, s.text) for s in diff.headline or []] == [
        ("same", "Ukraine warns"),
        ("inserted", "- Outlet B"),
    ]
    changed = next(b for b in diff.blocks if b.kind == "changed")
    assert ("dropped", "said") in [(s.kind, s.text) for s in changed.segments]
    assert ("inserted", "stated") in [(s.kind, s.text) for s in changed.segments]
    assert compare("T", PRIMARY, "T", PRIMARY).identical


def test_a_copy_differing_only_in_extraction_shows_no_change() -> None:
    primary = "\n".join(["## The front", *PRIMARY.splitlines()])
    # The subheading set as a plain paragraph, other quotes and dashes, a furniture line.
    copy = "\n".join(["The front", *PRIMARY.replace("'", "’").splitlines(), "Also read"])
    assert compare("T", primary, "T", copy).identical
    assert not compare("T", primary, "T", copy.replace("thousands", "hundreds")).identical


def test_snippets_are_escaped_and_only_query_matches_are_marked() -> None:
    stems = highlight_stems('"North Korean" troops -sanctions')
    html = marked("«North Korean» <b>x</b> «Ми бачимо» «sanctions» «troop» a « b", stems)
    assert html == (
        "<mark>North Korean</mark> &lt;b&gt;x&lt;/b&gt; «Ми бачимо» «sanctions» "
        "<mark>troop</mark> a « b"
    )
    assert marked("«<img src=x onerror=alert(1)>»", highlight_stems("img")) == (
        "«&lt;img src=x onerror=alert(1)&gt;»"
    )


HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def stories(backend: IndexBackend) -> dict[str, dict[str, Any]]:
    seed = make_story("http://a.test/1", text=PRIMARY, outlet="Outlet A")
    seed = add_copy(seed, "Outlet B", "http://b.test/1")
    seed.copies[1].text = "\n".join(PRIMARY.splitlines()[:2])
    hostile = make_story("http://h.test/1", title=HOSTILE, text="<script>alert(2)</script> Kursk")
    made = {"seed": seed, "hostile": hostile}
    for story in made.values():
        backend.put_story(story)
    backend.flush()
    return made


def client_for(store: BackendStore, **api: Any) -> Iterator[TestClient]:
    app = create_app(ApiConfig(**api), lambda: open_backend(store.spec))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def web(backend_store: BackendStore, stories: dict) -> Iterator[TestClient]:
    yield from client_for(backend_store)


def test_every_page_carries_a_strict_content_security_policy(
    web: TestClient, stories: dict
) -> None:
    for path in ("/", "/?q=Kursk", "/coverage", f"/story/{stories['seed'].id}", "/login"):
        answer = web.get(path)
        assert answer.status_code == 200, path
        policy = answer.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "<script>" not in answer.text and " style=" not in answer.text


def test_hostile_text_is_escaped_on_every_page(web: TestClient, stories: dict) -> None:
    for path in ("/?q=Kursk", f"/story/{stories['hostile'].id}"):
        text = web.get(path).text
        assert HOSTILE not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
        assert "<script>alert(2)" not in text


def test_story_page_lists_copies_and_the_truncation(web: TestClient, stories: dict) -> None:
    page = web.get(f"/story/{stories['seed'].id}").text
    assert "http://b.test/1" in page and "near" in page and "0.88" in page
    assert "truncated at paragraph 2 of 4" in page
    missing = web.get("/story/nope")
    assert missing.status_code == 404 and "No such story" in missing.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "(Kursk"}, "at position"),
        ({"min_outlets": "many"}, "<strong>Minimum outlets</strong>: expected a whole number"),
        ({"since": "last tuesday"}, "<strong>Since</strong>: expected a duration"),
        ({"sort": "random"}, "expected relevance or date"),
        ({"cursor": "garbage"}, "no longer fits the search"),
        ({"cursor": "garbage", "page": "2"}, "Start again from the first page"),
    ],
)
def test_bad_input_is_shown_on_the_form_once(web: TestClient, params: dict, message: str) -> None:
    answer = web.get("/", params=params)
    assert answer.status_code == 400
    assert answer.text.count(message) == 1
    assert answer.text.count('role="alert"') == 1
    # The field is said once, in its label: never "since: since: ...".
    assert "since: since" not in answer.text.lower()


def test_export_matches_the_cli_export(web: TestClient, backend: IndexBackend) -> None:
    for fmt in ("csv", "jsonl"):
        answer = web.get("/export", params={"q": "Kursk", "format": fmt})
        assert answer.status_code == 200
        assert "attachment" in answer.headers["content-disposition"]
        expected = io.StringIO()
        count = write_stories(backend.export(SearchRequest(query="Kursk")), expected, fmt)
        assert count == 2 and answer.text == expected.getvalue()


def test_api_key_guards_pages_through_a_login_form(
    backend_store: BackendStore, stories: dict
) -> None:
    for client in client_for(backend_store, api_key="k3y"):
        first = client.get("/?q=Kursk", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"].startswith("/login?next=")
        assert client.get("/export?format=csv", follow_redirects=False).status_code == 303
        refused = client.post("/login", data={"api_key": "wrong", "next": "/"})
        assert refused.status_code == 401 and "not the API key" in refused.text
        assert "Sign out" not in refused.text
        # Only local paths: the login form must not redirect to another site.
        accepted = client.post(
            "/login", data={"api_key": "k3y", "next": "//evil.test/"}, follow_redirects=False
        )
        assert accepted.headers["location"] == "/"
        assert "k3y" not in accepted.headers["set-cookie"]
        signed = client.get("/?q=Kursk")
        assert signed.status_code == 200 and "Sign out" in signed.text
        client.post("/logout")
        assert client.get("/", follow_redirects=False).status_code == 303
        assert client.get("/", headers={"X-API-Key": "k3y"}).status_code == 200


# -- alert rules ----------------------------------------------------------------------------
def test_alerts_page_lists_each_rule_with_its_last_delivery_and_no_secret(
    backend_store: BackendStore, stories: dict
) -> None:
    from crawler.config.alerts import AlertsConfig
    from crawler.index.alert_state import AlertItem

    secret = "T0KEN-never-shown"
    rules = AlertsConfig(
        rules=[
            {
                "name": "kursk-spread",
                "kind": "spread",
                "query": "kursk",
                "notify": [f"json://127.0.0.1:9/{secret}"],
            },
            {
                "name": "quiet",
                "kind": "new",
                "query": "pyongyang",
                "notify": ["json://127.0.0.1:9/"],
            },
        ]
    )
    backend = open_backend(backend_store.spec)
    state = backend.alert_state()
    try:
        item = AlertItem(
            key="kursk-spread:1",
            rule="kursk-spread",
            kind="spread",
            subject="s1",
            status="sending",
            payload={"title": "<b>Troops</b> reach Kursk"},
        )
        assert state.claim(item)
        state.move([item.key], "sending", "sent")
    finally:
        state.close()
        backend.close()
    app = create_app(ApiConfig(), lambda: open_backend(backend_store.spec), rules)
    with TestClient(app) as client:
        page = client.get("/alerts")
    assert page.status_code == 200
    assert "kursk-spread" in page.text and "quiet" in page.text
    assert "&lt;b&gt;Troops&lt;/b&gt; reach Kursk" in page.text  # escaped, as all crawled text
    assert "1 sent" in page.text and "Nothing sent yet." in page.text
    assert secret not in page.text and "json://" in page.text


def test_a_copy_cut_short_and_closed_with_its_own_line_is_cut_not_inserted() -> None:
    lines = PRIMARY.splitlines()
    copy = "\n".join([lines[0], "Lire la suite sur Outlet A"])
    diff = compare("T", PRIMARY, "T", copy)
    assert diff.truncated_after == 1 and diff.inserted == 0 and diff.dropped == 0
    assert diff.closing == ["Lire la suite sur Outlet A"]
    assert [b.kind for b in diff.blocks] == ["same", "cut"]
