"""Story rows of the embedded index: one story document spread over its tables."""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.index.sqlite_schema import FTS_COLUMNS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.index.backend import Story

# Side tables keyed by the story's rowid, with the column holding the key.
SIDE_TABLES = {
    "story_urls": "url",
    "story_hashes": "hash",
    "story_bands": "band",
    "story_topics": "topic",
    "story_outlets": "outlet",
}


FTS_LIST = ", ".join(FTS_COLUMNS)

# Letters that unicode61's remove_diacritics leaves alone because Unicode does not
# decompose them, folded as Elasticsearch's asciifolding does, so that "polnocna"
# finds "Północna" on both backends.
_FOLD = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ı": "i", "ŀ": "l", "Ŀ": "L", "ŧ": "t", "Ŧ": "T",
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH",
}  # fmt: skip
# A search finds the rare text that needs folding far quicker than str.translate reads all.
_FOLD_CHARS = re.compile("[" + "".join(_FOLD) + "]")


def index_fold(text: str) -> str:
    """The text as story_fts indexes it; apply to MATCH expressions too."""
    if text.isascii() or not _FOLD_CHARS.search(text):
        return text
    return _FOLD_CHARS.sub(lambda m: _FOLD[m.group()], text)


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


def write_story(conn: sqlite3.Connection, story: Story) -> None:
    """Create or replace every row of one story; the caller holds the transaction.

    Everything is checked and computed before the first write, so a refused
    story leaves nothing behind (no savepoint needed: FTS5 would flush its
    pending index segment at every savepoint, which makes batched puts slow).
    """
    story_id = story.get("id")
    if not isinstance(story_id, str) or not story_id:
        raise ValueError(f"story document without an 'id': {story.get('url')!r}")
    what = f"story {story_id}:"
    outlets = _values(story.get("outlets"), [story.get("outlet")], _copy_values(story, "outlet"))
    try:
        outlet_count = int(story.get("outlet_count") or len(outlets))
    except (TypeError, ValueError):
        raise ValueError(
            f"{what} outlet_count {story.get('outlet_count')!r} is no number"
        ) from None
    row = (
        story_id,
        sort_time(story.get("published"), what=f"{what} published"),
        sort_time(story.get("first_seen"), what=f"{what} first_seen"),
        story.get("language"),
        outlet_count,
        dumps(story),
    )
    side = {
        "story_urls": _values(
            [story.get("url"), story.get("canonical_url")],
            story.get("copy_urls"),
            _copy_values(story, "url"),
            _copy_values(story, "canonical_url"),
        ),
        "story_hashes": _values(story.get("content_hashes")),
        "story_bands": _values(story.get("dedup_bands")),
        "story_topics": _values(story.get("topics")),
        "story_outlets": outlets,
    }
    columns = (
        str(story.get("title") or ""),
        str(story.get("text") or ""),
        # A line break between names keeps the list readable in snippets.
        "\n".join(outlets),
        "\n".join(_values(story.get("authors"))),
    )
    (rowid,) = conn.execute(
        """INSERT INTO stories (id, published, first_seen, language, outlet_count, doc)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, published = excluded.published,
               first_seen = excluded.first_seen, language = excluded.language,
               outlet_count = excluded.outlet_count
           RETURNING rowid""",
        row,
    ).fetchone()
    delete_side_rows(conn, rowid)
    for table, keys in side.items():
        column = SIDE_TABLES[table]
        conn.executemany(
            f"INSERT INTO {table} ({column}, story) VALUES (?, ?)", [(k, rowid) for k in keys]
        )
    conn.execute(
        f"INSERT INTO story_text (rowid, {FTS_LIST}) VALUES (?, ?, ?, ?, ?)", (rowid, *columns)
    )
    conn.execute(
        f"INSERT INTO story_fts (rowid, {FTS_LIST}) VALUES (?, ?, ?, ?, ?)",
        (rowid, *map(index_fold, columns)),
    )


def delete_story(conn: sqlite3.Connection, story_id: str) -> None:
    row = conn.execute("DELETE FROM stories WHERE id = ? RETURNING rowid", (story_id,)).fetchone()
    if row is not None:
        delete_side_rows(conn, row[0])


def delete_side_rows(conn: sqlite3.Connection, rowid: int) -> None:
    for table in SIDE_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE story = ?", (rowid,))
    old = conn.execute(f"SELECT {FTS_LIST} FROM story_text WHERE rowid = ?", (rowid,)).fetchone()
    if old is not None:
        # An external-content FTS5 table forgets a row only when told exactly what it indexed.
        conn.execute(
            f"INSERT INTO story_fts (story_fts, rowid, {FTS_LIST}) "
            "VALUES ('delete', ?, ?, ?, ?, ?)",
            (rowid, *map(index_fold, old)),
        )
        conn.execute("DELETE FROM story_text WHERE rowid = ?", (rowid,))


def _copy_values(story: Story, key: str) -> list[Any]:
    return [copy.get(key) for copy in story.get("copies") or () if isinstance(copy, dict)]


def _values(*groups: Iterable[Any] | None) -> list[str]:
    """Distinct non-empty strings, first occurrence first."""
    seen: dict[str, None] = {}
    for group in groups:
        for value in group or ():
            if isinstance(value, str) and value:
                seen.setdefault(value, None)
    return list(seen)
