"""The contract every index backend passes: what "works" means for embedded and Elasticsearch."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from crawler.index.errors import InvalidCursor
from crawler.index.search_index import Bucket, SearchRequest
from crawler.index.seen_store import SeenRecord
from crawler.query import QuerySyntaxError
from tests.fixtures.backends import add_copy, make_story

if TYPE_CHECKING:
    from crawler.index.backend import IndexBackend
    from crawler.story import Story
    from tests.fixtures.backends import BackendStore

ROOT = Path(__file__).resolve().parents[1]

SEED_TEXT = (
    "Intelligence services say North Korea remains actively involved in the war effort. "
    "Thousands of North Korean soldiers continue to fight alongside Russian forces in the "
    "Kursk Oblast, reports WP Wiadomości. When the troops first reached the front lines, "
    "observers described them as cannon fodder. Pyongyang has also sent over 1.6 million "
    "artillery and missile shells, defector Timothy Cho told Fakt."
)


def corpus() -> dict[str, Story]:
    """Six stories: four on North Korea and the war, two on other subjects."""
    return {
        "troops": make_story(
            "https://kyivindependent.example/news/north-korea-role",
            text=SEED_TEXT,
            copies=[
                ("Reuters", "https://reuters.example/world/nk-role-2026-11-20/"),
                ("Fakt", "https://fakt.example/swiat/korea-polnocna-rola"),
            ],
        ),
        "shells": make_story(
            "https://reuters.example/world/asia/shells-shipped",
            title="North Korea shipped millions of artillery shells to Russia",
            text="North Korea has shipped millions of artillery shells to Russia by rail, "
            "satellite images show. The shells and rockets arrived at depots near the border.",
            outlet="Reuters",
            published="2026-11-18T12:00:00Z",
            topics=("north-korea-russia", "arms-trade"),
            authors=("James Pearson",),
            copies=[
                ("AP", "https://apnews.example/article/shells-rail"),
                ("Deutsche Welle", "https://dw.example/en/nk-shells/a-1"),
                ("Fakt", "https://fakt.example/swiat/pociski"),
            ],
        ),
        "polish": make_story(
            "https://wiadomosci.wp.example/korea-polnocna-zolnierze",
            title="Korea Północna wysyła kolejnych żołnierzy do Rosji",
            text="Północnokoreańscy żołnierze walczą u boku rosyjskich sił w obwodzie kurskim, "
            "podaje wywiad. Korea Północna wysłała już około 15 tysięcy żołnierzy.",
            outlet="WP Wiadomości",
            published="2026-11-19T10:00:00Z",
            language="pl",
            authors=("Anna Nowak",),
        ),
        "defector": make_story(
            "https://bbc.example/news/world-asia-defector",
            title="Defector warns of North Korea ties with Moscow",
            text="Timothy Cho, a North Korean defector living in the United Kingdom, warned that "
            "the cooperation between Moscow and Pyongyang carries serious risks for Europe.",
            outlet="BBC",
            published="2026-11-20T15:00:00Z",
            authors=("Jean Mackenzie",),
        ),
        "grain": make_story(
            "https://apnews.example/article/ukraine-grain-exports",
            title="Ukraine grain exports rise despite attacks on ports",
            text="Grain exports from Odesa rose in November despite drone attacks on the ports, "
            "the agriculture ministry said.",
            outlet="AP",
            published="2026-11-15T06:00:00Z",
            topics=("ukraine-economy",),
            authors=(),
        ),
        "sanctions": make_story(
            "https://politico.example/article/eu-sanctions-package",
            title="EU agrees new sanctions package against Russia",
            text="European Union ambassadors agreed a new package of sanctions targeting Russian "
            "energy exports and the shadow fleet.",
            outlet="Politico Europe",
            published="2026-11-10T09:00:00Z",
            topics=(),
            authors=("Camille Gijs",),
        ),
    }


def index(backend: IndexBackend, *stories: Story) -> None:
    for story in stories:
        backend.put_story(story)
    backend.flush()


@pytest.fixture
def stories(backend: IndexBackend) -> dict[str, Story]:
    docs = corpus()
    index(backend, *docs.values())
    return docs


def found(backend: IndexBackend, query: str = "", **filters: Any) -> set[str]:
    """Names (corpus keys) of every story the search returns."""
    names = {story.id: name for name, story in corpus().items()}
    page = backend.search(SearchRequest(query=query, limit=100, **filters))
    assert page.total == len(page.hits)
    return {names[hit.story.id] for hit in page.hits}


def all_pages(backend: IndexBackend, request: SearchRequest) -> Iterator[list[str]]:
    """The ids of each page, following the cursor to the end."""
    cursor = None
    while True:
        page = backend.search(dataclasses.replace(request, cursor=cursor))
        yield [hit.story.id for hit in page.hits]
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


# stories ------------------------------------------------------------------


def test_put_then_get_returns_the_same_document(backend: IndexBackend) -> None:
    story = corpus()["troops"]
    index(backend, story)
    assert backend.get_story(story.id) == story
    assert backend.get_story("0" * 40) is None
    assert backend.count() == 1


def test_update_in_place_keeps_one_story_with_the_new_text(backend: IndexBackend) -> None:
    story = corpus()["grain"]
    index(backend, story)
    updated = dataclasses.replace(
        story, text="Grain exports collapsed after a missile strike on Izmail."
    )
    index(backend, updated)
    assert backend.count() == 1
    assert backend.get_story(story.id) == updated
    assert found(backend, "izmail") == {"grain"}
    assert found(backend, "odesa") == set()


def test_adding_a_copy_makes_the_story_findable_by_every_copy_url(backend: IndexBackend) -> None:
    story = corpus()["troops"]
    index(backend, story)
    merged = add_copy(story, "Ukrainska Pravda", "https://pravda.example/news/2026/11/21/nk")
    index(backend, merged)
    assert backend.count() == 1
    for url in [*merged.copy_urls, merged.canonical_url]:
        hit = backend.find_by_url(url)
        assert hit is not None, url
        assert hit.id == story.id
        assert hit.outlet_count == 4
        assert [c.outlet for c in hit.copies][-1] == "Ukrainska Pravda"
    assert backend.find_by_url("https://pravda.example/news/other") is None
    assert found(backend, outlets=("Ukrainska Pravda",)) == {"troops"}


def test_find_by_content_hash(backend: IndexBackend) -> None:
    docs = corpus()
    index(backend, docs["troops"], docs["grain"])
    hit = backend.find_by_content_hash(docs["grain"].content_hashes[0])
    assert hit is not None and hit.id == docs["grain"].id
    assert backend.find_by_content_hash("f" * 40) is None


def test_find_candidates_orders_by_shared_bands_and_limits(backend: IndexBackend) -> None:
    three = make_story("https://a.example/1", bands=["0:aa", "1:bb", "2:cc", "3:zz"])
    two = make_story("https://b.example/2", bands=["0:aa", "1:bb", "3:yy"])
    one = make_story("https://c.example/3", bands=["2:cc", "3:xx"])
    none = make_story("https://d.example/4", bands=["0:qq", "1:qq"])
    index(backend, one, none, two, three)
    query = ["0:aa", "1:bb", "2:cc", "3:ww"]
    assert [s.id for s in backend.find_candidates(query)] == [
        three.id,
        two.id,
        one.id,
    ]
    assert [s.id for s in backend.find_candidates(query, limit=2)] == [three.id, two.id]
    assert backend.find_candidates(["9:nothing"]) == []
    assert backend.find_candidates([]) == []
    assert backend.find_candidates(query)[0] == three


def test_delete_removes_the_story_everywhere(backend: IndexBackend) -> None:
    docs = corpus()
    gone = dataclasses.replace(docs["troops"], dedup_bands=["0:aa"])
    index(backend, gone, docs["defector"])
    backend.delete_story(gone.id)
    backend.delete_story("0" * 40)  # unknown: nothing to do, no error
    backend.flush()
    assert backend.get_story(gone.id) is None
    assert backend.find_by_url(gone.url) is None
    assert backend.find_by_content_hash(gone.content_hashes[0]) is None
    assert backend.find_candidates(["0:aa"]) == []
    assert found(backend, "korea") == {"defector"}
    assert backend.count() == 1


def test_stories_survive_reopening(backend_store: BackendStore) -> None:
    assert backend_store.current is not None
    docs = corpus()
    index(backend_store.current, *docs.values())
    reopened = backend_store.reopen()
    assert reopened.count() == len(docs)
    assert reopened.get_story(docs["polish"].id) == docs["polish"]


# seen URLs and run history ------------------------------------------------


def test_seen_records_round_trip_and_survive_reopening(backend_store: BackendStore) -> None:
    backend = backend_store.current
    assert backend is not None
    kept = SeenRecord(
        url="https://bbc.example/news/world-asia-defector",
        fetched_at="2026-11-20T16:00:00Z",
        story_id="a" * 40,
        listed_updated="2026-11-20T15:30:00Z",
    )
    feed = SeenRecord(
        url="https://bbc.example/news/rss.xml",
        fetched_at="2026-11-20T16:00:00Z",
        etag='W/"5e1f"',
        last_modified="Fri, 20 Nov 2026 15:55:00 GMT",
    )
    backend.mark_seen([kept, feed])
    refetched = SeenRecord(url=feed.url, fetched_at="2026-11-20T17:00:00Z", etag='W/"6a2b"')
    backend.mark_seen([refetched])
    backend.flush()
    expected = {kept.url: kept, feed.url: refetched}
    unknown = "https://bbc.example/never-seen"
    assert backend.get_seen([kept.url, feed.url, unknown]) == expected
    assert backend.get_seen([]) == {}
    assert backend_store.reopen().get_seen([kept.url, feed.url, unknown]) == expected


def test_runs_round_trip_newest_first_and_by_source(backend_store: BackendStore) -> None:
    backend = backend_store.current
    assert backend is not None
    runs = [
        {
            "id": f"run-{n}",
            "source": source,
            "started": f"2026-11-20T{hour:02d}:00:00Z",
            "ended": f"2026-11-20T{hour:02d}:04:10Z",
            "outcome": outcome,
            "stats": {"pages_fetched": 10 * n, "stories_new": n, "dropped": {"off-topic": 2}},
        }
        for n, (source, hour, outcome) in enumerate(
            [
                ("bbc", 8, "ok"),
                ("reuters", 9, "failed"),
                ("bbc", 10, "timed out"),
                ("reuters", 11, "ok"),
            ]
        )
    ]
    for run in [runs[2], runs[0], runs[3], runs[1]]:
        backend.record_run(run)
    backend.flush()
    assert backend.list_runs() == runs[::-1]
    assert backend.list_runs(source="bbc") == [runs[2], runs[0]]
    assert backend.list_runs(limit=2) == [runs[3], runs[2]]
    assert backend_store.reopen().list_runs(source="reuters") == [runs[3], runs[1]]


def test_saved_searches_round_trip_replace_delete_and_survive_reopening(
    backend_store: BackendStore,
) -> None:
    from crawler.index.saved_searches import SavedSearch

    backend = backend_store.current
    assert backend is not None
    first = SavedSearch("Korea «troops»", query='"north korea"', topics=("world",), created="1")
    second = SavedSearch(
        "Ukraine spread",
        query="ukraine",
        outlets=("BBC News",),
        alert="spread",
        mode="digest",
        period="hourly",
        channel="team",
        min_outlets=3,
        created="2",
    )
    saved = backend.saved_searches()
    saved.save(second)
    saved.save(first)
    assert saved.all() == [first, second]
    renamed = dataclasses.replace(first, name="Korea")
    saved.save(renamed)
    assert saved.get(first.id) == renamed
    assert saved.get("missing") is None
    saved.close()
    reopened = backend_store.reopen().saved_searches()
    assert reopened.all() == [renamed, second]
    assert reopened.delete(second.id) is True
    assert reopened.delete(second.id) is False
    assert reopened.all() == [renamed]
    reopened.close()


# search --------------------------------------------------------------------


def test_empty_query_matches_every_story(backend: IndexBackend, stories: dict) -> None:
    assert found(backend, "") == set(stories)
    assert backend.search(SearchRequest(limit=2)).total == len(stories)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("korean soldiers", {"troops"}),  # implicit AND
        ("korea russia", {"shells"}),
        ('"cannon fodder"', {"troops"}),
        ('"fodder cannon"', set()),
        ("sanction*", {"sanctions"}),
        ("pyong*", {"troops", "defector"}),
        ("title:shells", {"shells"}),
        ("text:shells", {"troops", "shells"}),
        ("outlet:fakt", {"troops", "shells"}),
        ('outlet:"deutsche welle"', {"shells"}),
        ("author:pearson", {"shells"}),
        ("pyongyang NOT europe", {"troops"}),
        ("pyongyang -fodder", {"defector"}),
        ("grain OR sanctions", {"grain", "sanctions"}),
        ("(grain OR sanctions) AND odesa", {"grain"}),
    ],
)
def test_query_language(backend: IndexBackend, stories: dict, query: str, expected: set) -> None:
    assert found(backend, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("WIADOMOSCI", {"troops"}),  # accent- and case-insensitive
        ("wiadomości", {"troops"}),
        ("polnocna", {"polish"}),
        ("ŻOŁNIERZY", {"polish"}),
        ('"korea północna"', {"polish"}),
    ],
)
def test_accents_and_case_do_not_matter(
    backend: IndexBackend, stories: dict, query: str, expected: set
) -> None:
    assert found(backend, query) == expected


def test_malformed_query_is_a_query_syntax_error(backend: IndexBackend, stories: dict) -> None:
    malformed = SearchRequest(query='"cannon fodder')
    with pytest.raises(QuerySyntaxError):
        backend.search(malformed)
    with pytest.raises(QuerySyntaxError):
        backend.aggregate(malformed)
    with pytest.raises(QuerySyntaxError):
        list(backend.export(malformed))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"topics": ("arms-trade",)}, {"shells"}),
        ({"topics": ("arms-trade", "ukraine-economy")}, {"shells", "grain"}),
        ({"outlets": ("Fakt",)}, {"troops", "shells"}),  # any copy's outlet
        ({"outlets": ("AP",)}, {"shells", "grain"}),
        # A host matches any copy on it, with or without www., and nothing on a host
        # that merely starts the same (dw.example.org) or is a subdomain.
        ({"hosts": ("fakt.example",)}, {"troops", "shells"}),
        ({"hosts": ("dw.example", "bbc.example")}, {"shells", "defector"}),
        ({"hosts": ("wp.example",)}, set()),
        ({"hosts": ("politico.example",)}, {"sanctions"}),
        ({"outlets": ("BBC",), "hosts": ("politico.example",)}, {"defector", "sanctions"}),
        ({"languages": ("pl",)}, {"polish"}),
        ({"since": datetime(2026, 11, 19, 10, tzinfo=UTC)}, {"polish", "troops", "defector"}),
        # Both bounds are inclusive: a story published at the bound is kept.
        ({"until": datetime(2026, 11, 18, 12, tzinfo=UTC)}, {"shells", "grain", "sanctions"}),
        ({"until": datetime(2026, 11, 18, 11, 59, tzinfo=UTC)}, {"grain", "sanctions"}),
        (
            {
                "since": datetime(2026, 11, 12, tzinfo=UTC),
                "until": datetime(2026, 11, 19, tzinfo=UTC),
            },
            {"grain", "shells"},
        ),
        ({"min_outlets": 3}, {"troops", "shells"}),
        ({"min_outlets": 4}, {"shells"}),
    ],
)
def test_filters(backend: IndexBackend, stories: dict, filters: dict, expected: set) -> None:
    assert found(backend, **filters) == expected


def test_filters_combine_with_the_query(backend: IndexBackend, stories: dict) -> None:
    assert found(backend, "korea", languages=("en",), min_outlets=3) == {"troops", "shells"}
    assert found(backend, "pyongyang", outlets=("BBC",)) == {"defector"}


def test_sort_by_date_is_newest_first(backend: IndexBackend, stories: dict) -> None:
    page = backend.search(SearchRequest(sort="date", limit=100))
    newest_first = sorted(stories.values(), key=lambda s: s.published, reverse=True)
    assert [hit.story.id for hit in page.hits] == [s.id for s in newest_first]


def test_sort_by_relevance_puts_the_headline_match_first(backend: IndexBackend, stories) -> None:
    by_relevance = backend.search(SearchRequest(query="shells", sort="relevance"))
    assert [hit.story.id for hit in by_relevance.hits] == [
        stories["shells"].id,
        stories["troops"].id,
    ]
    assert by_relevance.hits[0].score is not None
    assert by_relevance.hits[0].score > by_relevance.hits[1].score
    by_date = backend.search(SearchRequest(query="shells", sort="date"))
    assert [hit.story.id for hit in by_date.hits] == [
        stories["troops"].id,
        stories["shells"].id,
    ]


def test_a_story_without_a_date_sorts_last_and_escapes_date_filters(backend: IndexBackend) -> None:
    dated = make_story("https://apnews.example/article/dated", published="2026-11-01T00:00:00Z")
    undated = dataclasses.replace(
        make_story("https://apnews.example/article/undated"), published=None
    )
    index(backend, undated, dated)
    by_date = backend.search(SearchRequest(sort="date"))
    assert [hit.story.id for hit in by_date.hits] == [dated.id, undated.id]
    assert backend.search(SearchRequest(since=datetime(2026, 1, 1, tzinfo=UTC))).total == 1
    assert backend.search(SearchRequest(until=datetime(2026, 12, 1, tzinfo=UTC))).total == 1
    assert backend.aggregate(SearchRequest()).timeline == [Bucket("2026-11-01", 1)]


def test_snippet_marks_the_match(backend: IndexBackend, stories: dict) -> None:
    (hit,) = backend.search(SearchRequest(query="fodder")).hits
    assert "«fodder»" in hit.snippet
    (hit,) = backend.search(SearchRequest(query='"missile shells"')).hits
    assert "«missile" in hit.snippet and "shells»" in hit.snippet
    # Found without its accents, shown as published.
    (hit,) = backend.search(SearchRequest(query="zolnierzy")).hits
    assert "«żołnierzy»" in hit.snippet


@pytest.mark.parametrize(("sort", "query"), [("date", ""), ("relevance", "ammunition")])
def test_paging_returns_every_story_exactly_once(backend: IndexBackend, sort, query) -> None:
    # Ties on purpose: several stories share a published time, several share a score.
    docs = [
        make_story(
            f"https://outlet{n % 4}.example/story/{n}",
            title=f"Report {n} on ammunition deliveries",
            text="Ammunition deliveries continued. " * (1 + n % 3) + f"Report number {n}.",
            published=f"2026-11-{10 + n % 5:02d}T08:00:00Z",
        )
        for n in range(23)
    ]
    index(backend, *docs)
    request = SearchRequest(query=query, sort=sort, limit=5)
    pages = list(all_pages(backend, request))
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    paged = [story_id for page in pages for story_id in page]
    assert sorted(paged) == sorted(d.id for d in docs)
    one_page = backend.search(SearchRequest(query=query, sort=sort, limit=100))
    assert paged == [hit.story.id for hit in one_page.hits]
    assert one_page.total == 23 and one_page.next_cursor is None


def test_malformed_cursor_is_a_clear_error(backend: IndexBackend, stories: dict) -> None:
    # The same error and words on every backend (the API answers it with a 400).
    with pytest.raises(InvalidCursor, match=r"invalid search cursor 'not-a-cursor' \(malformed\)"):
        backend.search(SearchRequest(cursor="not-a-cursor"))


def test_cursor_of_another_sort_is_refused(backend: IndexBackend, stories: dict) -> None:
    by_date = backend.search(SearchRequest(query="korea", sort="date", limit=1))
    assert by_date.next_cursor is not None
    with pytest.raises(InvalidCursor, match="belongs to a date-sorted search"):
        backend.search(SearchRequest(query="korea", limit=1, cursor=by_date.next_cursor))


# aggregations and export ----------------------------------------------------


def test_aggregations(backend: IndexBackend, stories: dict) -> None:
    aggs = backend.aggregate(SearchRequest(query="korea"))
    assert aggs.timeline == [
        Bucket("2026-11-18", 1),
        Bucket("2026-11-19", 1),
        Bucket("2026-11-20", 2),
    ]
    matched = [stories[n] for n in ("troops", "shells", "polish", "defector")]
    outlets = Counter(o for s in matched for o in s.outlets)
    assert aggs.outlets[:2] == [Bucket("Fakt", 2), Bucket("Reuters", 2)]
    assert {b.key: b.count for b in aggs.outlets} == dict(outlets)
    assert aggs.topics == [Bucket("north-korea-russia", 4), Bucket("arms-trade", 1)]
    top = backend.aggregate(SearchRequest(), size=1)
    assert top.outlets == [Bucket("AP", 2)]  # ties: AP, Fakt, Reuters; by key
    assert top.topics == [Bucket("north-korea-russia", 4)]
    assert sum(b.count for b in top.timeline) == len(stories)
    assert aggs.languages == [Bucket("en", 3), Bucket("pl", 1)]
    assert top.languages == [Bucket("en", 5)]


def test_aggregations_follow_updates_and_deletes_and_search_with_facets_agrees(
    backend: IndexBackend, stories: dict
) -> None:
    request = SearchRequest(query="korea")
    before = backend.aggregate(request)
    moved = dataclasses.replace(stories["troops"], outlets=["Moved Outlet"], topics=["moved"])
    backend.put_story(moved)
    backend.delete_story(stories["shells"].id)
    backend.flush()
    after = backend.aggregate(request)
    assert sum(b.count for b in after.timeline) == sum(b.count for b in before.timeline) - 1
    assert Bucket("Moved Outlet", 1) in after.outlets and Bucket("moved", 1) in after.topics
    page, facets = backend.search_with_facets(dataclasses.replace(request, limit=1), 10)
    assert facets == after and page.total == 3 and len(page.hits) == 1


def test_aggregations_may_be_estimated_above_a_number_of_matches_and_say_so(
    backend: IndexBackend,
) -> None:
    for number in range(40):
        backend.put_story(make_story(f"http://many.test/{number}", outlet=f"O{number % 2}"))
    backend.flush()
    exact = backend.aggregate(SearchRequest(query="korean"))
    assert exact.every == 1 and exact.outlets == [Bucket("O0", 20), Bucket("O1", 20)]
    estimated = backend.aggregate(SearchRequest(query="korean"), estimate_above=10)
    # The embedded index counts every 4th story and says so; Elasticsearch stays exact.
    assert estimated.every in (1, 4)
    assert all(b.count % estimated.every == 0 for b in estimated.outlets)
    assert sum(b.count for b in estimated.outlets) == 40


def test_aggregations_follow_the_filters(backend: IndexBackend, stories: dict) -> None:
    aggs = backend.aggregate(SearchRequest(hosts=("fakt.example",)))
    assert aggs.outlets[0] == Bucket("Fakt", 2)
    assert aggs.timeline == [Bucket("2026-11-18", 1), Bucket("2026-11-20", 1)]
    assert aggs.languages == [Bucket("en", 2)]


def test_stored_names_list_every_distinct_value(backend: IndexBackend, stories: dict) -> None:
    outlets = {o for s in stories.values() for o in s.outlets}
    assert sorted(backend.stored_names("outlet")) == sorted(outlets)
    topics = {t for s in stories.values() for t in s.topics}
    assert sorted(backend.stored_names("topic")) == sorted(topics)
    assert sorted(backend.stored_names("language")) == ["en", "pl"]


def test_export_streams_every_match_newest_first(backend: IndexBackend, stories: dict) -> None:
    exported = backend.export(SearchRequest(query="korea", limit=1))
    assert isinstance(exported, Iterator)
    docs = list(exported)
    assert [d.id for d in docs] == [
        stories[n].id for n in ("defector", "troops", "polish", "shells")
    ]
    assert docs[1] == stories["troops"]  # with its copies
    assert [d.id for d in backend.export(SearchRequest(topics=("arms-trade",)))] == [
        stories["shells"].id
    ]


# dedup lock ------------------------------------------------------------------


def test_dedup_lock_serialises_two_processes(backend_store: BackendStore) -> None:
    backend = backend_store.current
    assert backend is not None
    theirs = make_story("https://reuters.example/world/nk-role-2026-11-20/", outlet="Reuters")
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.fixtures.backends",
            "hold-lock",
            json.dumps(backend_store.spec),
            json.dumps(theirs.to_document()),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "locked"
        seen_inside: list[Any] = []
        errors: list[BaseException] = []

        def decide() -> None:
            # What a dedup decision does: look up, then write, under the lock.
            try:
                with backend.dedup_lock():
                    seen_inside.append(backend.find_by_url(theirs.url))
                    backend.put_story(make_story("https://bbc.example/other-story"))
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)

        ours = threading.Thread(target=decide)
        ours.start()
        ours.join(timeout=1.0)
        # Still waiting: the other process holds the lock (it never lets go on its own).
        assert ours.is_alive()
        assert seen_inside == []
        child.stdin.write("go\n")
        child.stdin.flush()
        ours.join(timeout=60)
        assert not ours.is_alive()
        assert errors == []
        assert child.stdout.readline().strip() == "released"
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    # Our decision ran after theirs was committed, so it saw their story.
    assert seen_inside and seen_inside[0] is not None and seen_inside[0].id == theirs.id
    backend.flush()
    assert backend.count() == 2
