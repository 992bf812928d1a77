"""Story rows of the embedded index: one story document spread over its tables."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.index.sqlite.schema import FTS_COLUMNS
from crawler.index.tokens import distinct, outlet_names, search_tokens

if TYPE_CHECKING:
    pass

# Side tables keyed by the story's rowid, with the column holding the key.
SIDE_TABLES = {
    "story_urls": "url",
    "story_hashes": "hash",
    "story_bands": "band",
    "story_topics": "topic",
    "story_outlets": "outlet",
}


_FTS_INSERT = (
    f"INSERT INTO story_tokens (rowid, {', '.join(FTS_COLUMNS)}) "
    f"VALUES (?, {', '.join('?' for _ in FTS_COLUMNS)})"
)


def sort_time(value: str | datetime | None, *, what: str = "time") -> str:
    """A fixed-width UTC time string, so that string order is time order ('' if unknown)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{what} {value!r} is not an ISO-8601 time") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # the contract says UTC everywhere
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def write_story(conn: sqlite3.Connection, story: dict[str, Any]) -> None:
    """Create or replace every row of one story; the caller holds the transaction.

    Everything is checked and computed before the first write, so a refused
    story leaves nothing behind (no savepoint needed: FTS5 would flush its
    pending index segment at every savepoint, which makes batched puts slow).
    """
    story_id = story.get("id")
    if not isinstance(story_id, str) or not story_id:
        raise ValueError(f"story document without an 'id': {story.get('url')!r}")
    what = f"story {story_id}:"
    outlets = outlet_names(story)
    try:
        outlet_count = int(story.get("outlet_count") or len(outlets))
    except (TypeError, ValueError):
        raise ValueError(
            f"{what} outlet_count {story.get('outlet_count')!r} is no number"
        ) from None
    row = (
        sort_time(story.get("published"), what=f"{what} published"),
        sort_time(story.get("first_seen"), what=f"{what} first_seen"),
        story.get("language"),
        outlet_count,
        # A line break between names keeps the lists readable in snippets.
        "\n".join(outlets),
        "\n".join(distinct(story.get("authors"))),
        dumps(story),
    )
    found = search_tokens(story)
    search_row = [found[column] for column in FTS_COLUMNS]
    side = {
        "story_urls": distinct(
            [story.get("url"), story.get("canonical_url")],
            story.get("copy_urls"),
            _copy_values(story, "url"),
            _copy_values(story, "canonical_url"),
        ),
        "story_hashes": distinct(story.get("content_hashes")),
        "story_bands": distinct(story.get("dedup_bands")),
        "story_topics": distinct(story.get("topics")),
        "story_outlets": outlets,
    }
    old = conn.execute("SELECT rowid FROM stories WHERE id = ?", (story_id,)).fetchone()
    if old is None:
        (rowid,) = conn.execute(
            """INSERT INTO stories (id, published, first_seen, language, outlet_count,
                   fts_outlets, fts_authors, doc)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING rowid""",
            (story_id, *row),
        ).fetchone()
    else:
        (rowid,) = old
        _delete_rows(conn, rowid)
        conn.execute(
            """UPDATE stories SET published = ?, first_seen = ?, language = ?,
                   outlet_count = ?, fts_outlets = ?, fts_authors = ?, doc = ?
               WHERE rowid = ?""",
            (*row, rowid),
        )
    for table, keys in side.items():
        column = SIDE_TABLES[table]
        conn.executemany(
            f"INSERT INTO {table} ({column}, story) VALUES (?, ?)", [(k, rowid) for k in keys]
        )
    conn.execute(_FTS_INSERT, (rowid, *search_row))


def delete_story(conn: sqlite3.Connection, story_id: str) -> None:
    row = conn.execute("SELECT rowid FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is not None:
        _delete_rows(conn, row[0])
        conn.execute("DELETE FROM stories WHERE rowid = ?", row)


_FTS_DELETE = (
    f"INSERT INTO story_tokens (story_tokens, rowid, {', '.join(FTS_COLUMNS)}) "
    f"VALUES ('delete', ?, {', '.join('?' for _ in FTS_COLUMNS)})"
)


def _delete_rows(conn: sqlite3.Connection, rowid: int) -> None:
    """The story's full-text and side rows (not its stories row).

    A contentless FTS5 table forgets a row only when told exactly what it indexed: the
    stored document's tokens, computed again (the analysis is deterministic and cached).
    """
    (doc,) = conn.execute("SELECT doc FROM stories WHERE rowid = ?", (rowid,)).fetchone()
    found = search_tokens(json.loads(doc))
    conn.execute(_FTS_DELETE, (rowid, *(found[column] for column in FTS_COLUMNS)))
    for table in SIDE_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE story = ?", (rowid,))


def _copy_values(story: dict[str, Any], key: str) -> list[Any]:
    return [copy.get(key) for copy in story.get("copies") or () if isinstance(copy, dict)]
