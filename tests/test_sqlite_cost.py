"""The embedded index's look-ups use its indexes: their cost does not grow with the index."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

import pytest

from crawler.index.search_index import SearchRequest
from crawler.index.sqlite import SqliteBackend
from crawler.index.sqlite.backend import CANDIDATES_SQL
from crawler.index.sqlite.search import page_query, select
from tests.fixtures.backends import make_story

if TYPE_CHECKING:
    from pathlib import Path

PAGE_BANDS = [f"{band}:page" for band in range(16)]


def plan(conn: sqlite3.Connection, sql: str, params: tuple) -> str:
    return "\n".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def steps(conn: sqlite3.Connection, sql: str, params: tuple) -> int:
    """Virtual-machine steps SQLite runs for the query: a deterministic measure of its cost."""
    conn.execute(sql, params).fetchall()  # reads the schema and prepares: not counted
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    conn.set_progress_handler(tick, 1)
    try:
        conn.execute(sql, params).fetchall()
    finally:
        conn.set_progress_handler(None, 1)
    return count


def add_unrelated(backend: SqliteBackend, start: int, count: int) -> None:
    with backend.dedup_lock():  # one transaction: quicker to build
        for n in range(start, start + count):
            bands = [f"{band}:{n:x}" for band in range(16)]
            backend.put_story(make_story(f"https://filler.example/{n}", bands=bands))


def test_find_candidates_searches_the_band_index(tmp_path: Path) -> None:
    with SqliteBackend(tmp_path / "index.sqlite3") as backend:
        add_unrelated(backend, 0, 10)
    conn = sqlite3.connect(tmp_path / "index.sqlite3")
    query_plan = plan(conn, CANDIDATES_SQL, (json.dumps(PAGE_BANDS), 20))
    assert "SEARCH b USING PRIMARY KEY (band=?)" in query_plan
    assert "SCAN story_bands" not in query_plan
    assert "SEARCH s USING INTEGER PRIMARY KEY (rowid=?)" in query_plan


def test_find_candidates_costs_the_same_in_a_ten_times_larger_index(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    sharing = [
        make_story(f"https://syndicated.example/{n}", bands=PAGE_BANDS[: 2 + n]) for n in range(5)
    ]
    params = (json.dumps(sorted(PAGE_BANDS)), 20)
    # Closing runs PRAGMA optimize, which gathers the statistics the planner goes by.
    with SqliteBackend(path) as backend:
        for story in sharing:
            backend.put_story(story)
        add_unrelated(backend, 0, 200)
    small = steps(sqlite3.connect(path), CANDIDATES_SQL, params)
    with SqliteBackend(path) as backend:
        add_unrelated(backend, 200, 1800)
    large = steps(sqlite3.connect(path), CANDIDATES_SQL, params)
    with SqliteBackend(path) as backend:
        found = backend.find_candidates(PAGE_BANDS)
    assert [s.id for s in found] == [s.id for s in reversed(sharing)]
    assert large == small


@pytest.mark.parametrize("query", ["", "korea", "korea -sanctions"])
@pytest.mark.parametrize("after", [None, ("2026-11-20T08:00:00.000000Z", "a" * 40)])
def test_date_sorted_pages_walk_the_date_index(tmp_path: Path, query: str, after) -> None:
    # Walking the index newest first stops after one page; sorting every match
    # first would cost as much as the query has matches.
    path = tmp_path / "index.sqlite3"
    with SqliteBackend(path):
        pass
    sql, params = page_query(select(SearchRequest(query=query, sort="date")), False, after, 21)
    query_plan = plan(sqlite3.connect(path), sql, tuple(params))
    assert "stories_by_date" in query_plan
    assert "TEMP B-TREE" not in query_plan


def test_unfiltered_relevance_pages_read_only_the_full_text_index(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    with SqliteBackend(path):
        pass
    sql, params = page_query(select(SearchRequest(query="korea")), True, None, 21)
    query_plan = plan(sqlite3.connect(path), sql, tuple(params))
    steps = query_plan.splitlines()
    assert any("story_tokens" in step for step in steps)
    assert all("story_tokens" in step or "TEMP B-TREE" in step for step in steps), query_plan
