"""The embedded index's file: WAL, the agreed FTS5 table, schema versions and migrations."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import TYPE_CHECKING

import pytest

from crawler.index.search_index import SearchRequest
from crawler.index.sqlite import SqliteBackend
from crawler.index.sqlite.schema import (
    FTS_COLUMNS,
    MIGRATIONS,
    SCHEMA_VERSION,
    SchemaError,
    connect,
    migrate,
)
from tests.fixtures.backends import make_story

if TYPE_CHECKING:
    from pathlib import Path


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_new_file_gets_the_current_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "data" / "newswatch.sqlite3"  # parent directory created on open
    with SqliteBackend(path):
        pass
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert {"stories", "story_urls", "story_hashes", "story_bands", "story_topics",
            "story_outlets", "story_tokens", "seen", "runs"} <= tables  # fmt: skip
    assert "story_fts" not in tables  # replaced by story_tokens in version 5


def test_the_fts_table_is_the_one_the_query_compiler_targets(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    with SqliteBackend(path):
        pass
    conn = raw(path)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(story_tokens)")]
    assert columns == ["title", "text", "outlets", "authors", "title_words", "text_words"]
    assert tuple(columns) == FTS_COLUMNS
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'story_tokens'").fetchone()
    assert "tokenize = 'ascii'" in sql


def test_reopening_is_idempotent_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    story = make_story("https://kyivindependent.example/news/north-korea-role")
    with SqliteBackend(path) as backend:
        backend.put_story(story)
    for _ in range(2):
        with SqliteBackend(path) as backend:
            assert backend.get_story(story.id) == story
            assert backend.count() == 1
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_new_migration_applies_once_on_top_of_existing_data(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    story = make_story("https://reuters.example/world/asia/shells-shipped")
    with SqliteBackend(path) as backend:
        backend.put_story(story)
    # Adding a column twice fails: a second application would show.
    upgraded = (*MIGRATIONS, (SCHEMA_VERSION + 1, ("ALTER TABLE runs ADD COLUMN host TEXT",)))
    for _ in range(2):
        conn = connect(path, busy_timeout_ms=1000, synchronous="FULL")
        assert migrate(conn, path, upgraded) == SCHEMA_VERSION + 1
        conn.close()
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "host" in [row[1] for row in conn.execute("PRAGMA table_info(runs)")]
    assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    with SqliteBackend(path):
        pass
    broken = (
        *MIGRATIONS,
        (SCHEMA_VERSION + 1, ("CREATE TABLE extra (x)", "ALTER TABLE missing ADD COLUMN y")),
    )
    conn = connect(path, busy_timeout_ms=1000, synchronous="FULL")
    with pytest.raises(sqlite3.OperationalError, match="missing"):
        migrate(conn, path, broken)
    conn.close()
    conn = raw(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    )


def test_a_file_from_a_newer_newswatch_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    with SqliteBackend(path):
        pass
    raw(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(SchemaError, match=r"index\.sqlite3.*newer than this newswatch"):
        SqliteBackend(path).open()


def test_using_a_closed_backend_is_a_clear_error(tmp_path: Path) -> None:
    backend = SqliteBackend(tmp_path / "index.sqlite3")
    with pytest.raises(RuntimeError, match="not open"):
        backend.count()
    backend.open()
    backend.close()
    backend.close()  # closing twice is harmless
    with pytest.raises(RuntimeError, match="not open"):
        backend.get_story("a" * 40)


def test_an_invalid_story_is_refused_with_its_url_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    story = make_story("https://bbc.example/news/world-asia-defector")
    story.id = ""
    with SqliteBackend(tmp_path / "index.sqlite3") as backend:
        with pytest.raises(ValueError, match="without an 'id'.*bbc.example"):
            backend.put_story(story)
        bad_date = dataclasses.replace(make_story("https://bbc.example/x"), published="yesterday")
        with pytest.raises(ValueError, match="published 'yesterday' is not an ISO-8601 time"):
            backend.put_story(bad_date)
        assert backend.count() == 0
        assert backend.stats["index/errors/invalid_story"] == 2
    assert "https://bbc.example/x: story not indexed" in caplog.text


def test_the_full_text_index_holds_exactly_the_live_words(tmp_path: Path) -> None:
    # A replaced or deleted story's tokens must leave the index with it.
    path = tmp_path / "index.sqlite3"
    story = make_story(
        "https://wiadomosci.wp.example/korea-polnocna",
        title="Korea Północna wysyła żołnierzy",
        text="Żołnierze z Korei Północnej walczą w obwodzie kurskim.",
        outlet="WP Wiadomości",
        authors=("Anna Nowak",),
    )
    replaced = dataclasses.replace(story, title="Kim wysyła", text="Nowy tekst.", language="pl")
    with SqliteBackend(path) as backend:
        backend.put_story(story)
        backend.put_story(replaced)
        other = make_story("https://bbc.example/x", title="Seoul", text="Seoul", authors=())
        backend.put_story(other)
        backend.delete_story(other.id)
    conn = raw(path)
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, story_tokens, 'row')")
    words = {term for (term,) in conn.execute("SELECT term FROM temp.vocab WHERE doc > 0")}
    # the folded words, and the Polish stems of title and text
    assert words == {
        "kim",
        "wysyla",
        "wysyl",
        "nowy",
        "now",
        "tekst",
        "wp",
        "wiadomosci",
        "anna",
        "nowak",
    }


def test_version_5_indexes_the_tokens_of_the_stories_already_stored(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    conn = connect(path, busy_timeout_ms=1000, synchronous="FULL")
    migrate(conn, path, MIGRATIONS[:4])
    doc = make_story("https://tass.example/1", title="Войска Северной Кореи", text="Под Курском.")
    document = dataclasses.replace(doc, language="ru").to_document()
    conn.execute(
        "INSERT INTO stories (id, published, first_seen, language, outlet_count, fts_outlets,"
        " fts_authors, doc) VALUES (?, '', '', 'ru', 1, 'TASS', '', json(?))",
        (doc.id, json.dumps(document)),
    )
    assert migrate(conn, path) == SCHEMA_VERSION
    conn.close()
    with SqliteBackend(path) as backend:
        found = backend.search(SearchRequest(query='"Северная Корея" AND outlet:tass'))
        assert [hit.story.id for hit in found.hits] == [doc.id]
        assert "«Северной» «Кореи»" in found.hits[0].snippet


def test_tokens_are_rebuilt_once_when_the_analysis_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crawler.index.sqlite import reanalyse

    path = tmp_path / "index.sqlite3"
    story = dataclasses.replace(
        make_story("https://tass.example/2", title="Войска Северной Кореи"), language="ru"
    )
    with SqliteBackend(path) as backend:
        backend.put_story(story)
    conn = raw(path)
    # Tokens as an older analysis made them: what a delete would no longer reproduce.
    conn.execute("INSERT INTO story_tokens (story_tokens) VALUES ('delete-all')")
    conn.execute("INSERT INTO story_tokens (rowid, title) SELECT rowid, 'stale' FROM stories")
    monkeypatch.setattr(reanalyse, "fingerprint", lambda: "next-analysis")
    with SqliteBackend(path) as backend:
        hits = backend.search(SearchRequest(query='"Северная Корея"')).hits
        assert [hit.story.id for hit in hits] == [story.id]
        assert backend.search(SearchRequest(query="stale")).total == 0
        backend.delete_story(story.id)  # the row's tokens are what it computes again
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, story_tokens, 'row')")
    assert conn.execute("SELECT count(*) FROM temp.vocab WHERE doc > 0").fetchone()[0] == 0
    assert conn.execute("SELECT value FROM index_meta").fetchone()[0] == "next-analysis"
    assert not reanalyse.reanalyse_if_changed(conn, path)  # once
