"""Search, aggregations and export over the embedded index (FTS5 + keyset paging)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crawler.index.cursor import decode_cursor, encode_cursor, invalid
from crawler.index.search_index import (
    Aggregations,
    Bucket,
    SearchHit,
    SearchPage,
    host_prefixes,
)
from crawler.index.sqlite.store import sort_time
from crawler.query.highlight import highlight
from crawler.story import Story

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index.search_index import NameKind, SearchRequest

# bm25 column weights, in FTS column order (schema.FTS_COLUMNS): a word in the
# headline says more about the story than one in the body.
BM25 = "bm25(story_tokens, 4.0, 1.0, 1.0, 1.0, 4.0, 1.0)"
EXPORT_BATCH = 256
SORTS = {True: "relevance", False: "date"}


@dataclass
class Selection:
    """The stories a request selects, as SQL over `stories s` (no ordering, no paging).

    `match` is set when the query has words to find (scored, snippets); a purely
    negative query ("-sport") becomes a NOT IN condition in `where` instead.
    """

    match: str | None = None
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    @property
    def source(self) -> str:
        if self.match is None:
            return "stories s"
        return "story_tokens JOIN stories s ON s.rowid = story_tokens.rowid"

    def sql(self, columns: str) -> tuple[str, list[Any]]:
        where = (["story_tokens MATCH ?"] if self.match is not None else []) + self.where
        params = ([self.match] if self.match is not None else []) + self.params
        return f"SELECT {columns} FROM {self.source} WHERE {' AND '.join(where) or '1'}", params

    def by_date(self, columns: str) -> tuple[str, list[Any]]:
        """The selection read in date order from the date index, newest first.

        Walking the index and testing each story against the match stops after
        one page for broad queries, where joining every match and sorting them
        would cost as much as there are matches; a narrow query walks the index
        (small entries) to its end at worst.
        """
        where = (
            ["s.rowid IN (SELECT rowid FROM story_tokens WHERE story_tokens MATCH ?)"]
            if self.match is not None
            else []
        ) + self.where
        params = ([self.match] if self.match is not None else []) + self.params
        return (
            f"SELECT {columns} FROM stories s INDEXED BY stories_by_date "
            f"WHERE {' AND '.join(where) or '1'}",
            params,
        )


def select(request: SearchRequest) -> Selection:
    """Compile the query (one query language, crawler.query) and the filters."""
    from crawler.query import parse_query, to_fts5

    selection = Selection()
    if request.query.strip():
        fts = to_fts5(parse_query(request.query))
        if fts.match is not None:
            selection.match = fts.match
        elif fts.exclude is not None:
            selection.where.append(
                "s.rowid NOT IN (SELECT rowid FROM story_tokens WHERE story_tokens MATCH ?)"
            )
            selection.params.append(fts.exclude)
    if request.topics:
        selection.where.append(
            "s.rowid IN (SELECT story FROM story_topics WHERE topic IN "
            "(SELECT value FROM json_each(?)))"
        )
        selection.params.append(json.dumps(list(request.topics)))
    if request.outlets or request.hosts:
        _outlet_filter(selection, request)
    if request.languages:
        selection.where.append("s.language IN (SELECT value FROM json_each(?))")
        selection.params.append(json.dumps(list(request.languages)))
    if request.since is not None:
        selection.where.append("s.published >= ?")
        selection.params.append(sort_time(request.since))
    if request.until is not None:
        # '' (unknown date) sorts before every time: an until bound must not keep it.
        selection.where.append("s.published != '' AND s.published <= ?")
        selection.params.append(sort_time(request.until))
    if request.min_outlets > 1:
        selection.where.append("s.outlet_count >= ?")
        selection.params.append(request.min_outlets)
    return selection


def _outlet_filter(selection: Selection, request: SearchRequest) -> None:
    """Ran on one of the outlets, or has a copy on one of the hosts (www. or not).

    Each way a URL on a host begins is a range of the story_urls index: from
    `https://host/` up to `https://host0` (the character after "/").
    """
    parts = ["SELECT story FROM story_outlets WHERE outlet IN (SELECT value FROM json_each(?))"]
    params: list[Any] = [json.dumps(list(request.outlets))]
    for host in request.hosts:
        for start in host_prefixes(host):
            parts.append("SELECT story FROM story_urls WHERE url >= ? AND url < ?")
            params += [start, start[:-1] + chr(ord(start[-1]) + 1)]
    selection.where.append(f"s.rowid IN ({' UNION '.join(parts)})")
    selection.params += params


def search(
    conn: sqlite3.Connection, request: SearchRequest, total: int | None = None
) -> SearchPage:
    """One page; `total`, when the caller has just counted the matches, is not counted again."""
    if request.limit < 1:
        raise ValueError(f"search limit must be at least 1, not {request.limit}")
    selection = select(request)
    by_relevance = request.sort == "relevance" and selection.match is not None
    after = page_after(request.cursor, by_relevance) if request.cursor else None
    if total is None:
        total = _run(conn, *count_query(selection)).fetchone()[0]
    rows = _run(conn, *page_query(selection, by_relevance, after, request.limit + 1)).fetchall()
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    docs = _docs(conn, [r[0] for r in rows])
    marks = highlight(request.query)
    hits = [
        SearchHit(
            story=docs[rid],
            score=-key if by_relevance else None,
            snippet=marks.snippet(docs[rid].title, docs[rid].text, docs[rid].language)
            if request.highlight
            else "",
        )
        for rid, key, _ in rows
    ]
    cursor = encode_cursor(SORTS[by_relevance], [rows[-1][1], rows[-1][2]]) if more else None
    return SearchPage(hits=hits, total=total, next_cursor=cursor)


def count_query(selection: Selection) -> tuple[str, list[Any]]:
    if selection.match is not None and not selection.where:
        # Nothing to filter: the full-text index alone knows how many match.
        return "SELECT count(*) FROM story_tokens WHERE story_tokens MATCH ?", [selection.match]
    return selection.sql("count(*)")


def page_query(
    selection: Selection, by_relevance: bool, after: tuple[Any, Any] | None, limit: int
) -> tuple[str, list[Any]]:
    """Rows (rowid, sort key, tie-breaker) of the page after `after`: keyset paging, no OFFSET.

    By relevance the key is bm25 (lower is better) and ties go by rowid; by
    date the key is the published time, newest first, and ties go by id.
    """
    if by_relevance:
        if selection.where:
            inner, params = selection.sql(f"s.rowid AS rid, {BM25} AS k")
        else:  # no filter: no need to visit the stories table at all
            inner = f"SELECT rowid AS rid, {BM25} AS k FROM story_tokens WHERE story_tokens MATCH ?"
            params = [selection.match]
        sql = f"SELECT rid, k, rid FROM ({inner})"
        if after is not None:
            sql += " WHERE k > ? OR (k = ? AND rid > ?)"
            params += [after[0], after[0], after[1]]
        return f"{sql} ORDER BY k, rid LIMIT ?", [*params, limit]
    sql, params = selection.by_date("s.rowid, s.published, s.id")
    if after is not None:
        # The leading `published <= ?` lets the date index start at the cursor.
        sql += " AND s.published <= ? AND (s.published < ? OR s.id > ?)"
        params += [after[0], after[0], after[1]]
    return f"{sql} ORDER BY s.published DESC, s.id LIMIT ?", [*params, limit]


def aggregate(
    conn: sqlite3.Connection,
    request: SearchRequest,
    size: int,
    estimate_above: int | None = None,
    total: int | None = None,
) -> Aggregations:
    """Counts by day, language, outlet and topic of the stories the request selects.

    The full-text match runs once, for the selected rowids only, and each selected
    story's narrow facet row (story_facets, schema migration 6) is read in the same
    statement and counted here: one pass, no story document and no side index read.
    Without a query or filter every story is selected and the side tables are
    counted whole.
    """
    selection = select(request)
    if selection.match is None and not selection.where:
        return _aggregate_all(conn, size)
    if selection.where:
        inner, params = selection.sql("s.rowid")
    else:  # a match alone: no need to visit the stories table at all
        inner = "SELECT rowid FROM story_tokens WHERE story_tokens MATCH ?"
        params = [selection.match]
    every = 1
    if estimate_above:
        if total is None:
            total = _run(conn, *count_query(selection)).fetchone()[0]
        every = max(1, -(-total // estimate_above))
    if every > 1:
        inner += f" AND {'s.rowid' if selection.where else 'rowid'} % ? = 0"
        params = [*params, every]
    days: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    outlets: Counter[str] = Counter()
    topics: Counter[str] = Counter()
    sql = (
        "SELECT f.day, f.language, f.outlets, f.topics "
        f"FROM ({inner}) AS m JOIN story_facets f ON f.rowid = m.rowid"
    )
    rows = 0
    for day, language, ran_on, about in _run(conn, sql, params):
        rows += 1
        if day:
            days[day] += 1
        if language:
            languages[language] += 1
        if ran_on:
            outlets.update(ran_on.split("\n"))
        if about:
            topics.update(about.split("\n"))
    return Aggregations(
        timeline=[Bucket(day, n * every) for day, n in sorted(days.items())],
        outlets=[Bucket(key, n * every) for key, n in _top(outlets, size)],
        topics=[Bucket(key, n * every) for key, n in _top(topics, size)],
        languages=[Bucket(key, n * every) for key, n in _top(languages, size)],
        every=every,
        total=rows * every,
    )


def search_with_facets(
    conn: sqlite3.Connection, request: SearchRequest, size: int, estimate_above: int | None
) -> tuple[SearchPage, Aggregations]:
    """A page and its facets with one pass over the matches less than both apart.

    With a filter the counting pass is exact and its rows are the total, so the page
    skips its count; a match alone is counted by the full-text index (cheap), and that
    count decides whether the facets are estimated.
    """
    selection = select(request)
    whole = dataclasses.replace(request, cursor=None)
    if selection.where:
        aggs = aggregate(conn, whole, size)
        return search(conn, request, total=aggs.total), aggs
    page = search(conn, request)
    return page, aggregate(conn, whole, size, estimate_above, page.total)


def _aggregate_all(conn: sqlite3.Connection, size: int) -> Aggregations:
    """The counts of every story, from the indexes that lead with each value."""
    terms = {}
    for table, column in (("story_outlets", "outlet"), ("story_topics", "topic")):
        terms[table] = conn.execute(
            f"SELECT {column}, count(*) AS n FROM {table} "
            f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?",
            [size],
        ).fetchall()
    days = conn.execute(
        "SELECT day, count(*) FROM story_facets WHERE day IS NOT NULL GROUP BY day ORDER BY day"
    ).fetchall()
    languages = conn.execute(
        "SELECT language, count(*) AS n FROM stories WHERE language IS NOT NULL AND "
        "language != '' GROUP BY language ORDER BY n DESC, language LIMIT ?",
        [size],
    ).fetchall()
    return Aggregations(
        timeline=[Bucket(day, n) for day, n in days],
        outlets=[Bucket(key, n) for key, n in terms["story_outlets"]],
        topics=[Bucket(key, n) for key, n in terms["story_topics"]],
        languages=[Bucket(key, n) for key, n in languages],
    )


def _top(counts: Counter[str], size: int) -> list[tuple[str, int]]:
    """The `size` largest, most first, ties by key (as the SQL counts order them)."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:size]


NAME_SQL = {
    "outlet": "SELECT DISTINCT outlet FROM story_outlets",
    "topic": "SELECT DISTINCT topic FROM story_topics",
    "language": "SELECT DISTINCT language FROM stories WHERE language IS NOT NULL",
}


def stored_names(conn: sqlite3.Connection, kind: NameKind) -> list[str]:
    """Every distinct value, each read from the index that leads with it."""
    return [value for (value,) in conn.execute(NAME_SQL[kind]) if value]


def export(conn: sqlite3.Connection, selection: Selection) -> Iterator[Story]:
    """Every match, newest first: keys stream from one cursor, documents come in batches.

    Runs in one read transaction on `conn`, so the export is one consistent snapshot.
    """
    keys_sql, params = selection.by_date("s.rowid")
    conn.execute("BEGIN")
    try:
        keys = _run(conn, f"{keys_sql} ORDER BY s.published DESC, s.id", params)
        while batch := [row[0] for row in keys.fetchmany(EXPORT_BATCH)]:
            docs = _docs(conn, batch)
            for rid in batch:
                yield docs[rid]
    finally:
        conn.execute("ROLLBACK")


def page_after(cursor: str, by_relevance: bool) -> tuple[Any, Any]:
    """The (sort key, tie-breaker) after which the next page starts; InvalidCursor if bad."""
    values = decode_cursor(cursor, SORTS[by_relevance])
    if len(values) != 2:
        raise invalid(cursor)
    key, tie = values
    if by_relevance:
        valid = isinstance(key, int | float) and isinstance(tie, int)
    else:
        valid = isinstance(key, str) and isinstance(tie, str)
    if not valid or isinstance(key, bool) or isinstance(tie, bool):
        raise invalid(cursor)
    return key, tie


def _run(conn: sqlite3.Connection, sql: str, params: list[Any]) -> sqlite3.Cursor:
    try:
        return conn.execute(sql, params)
    except sqlite3.OperationalError as exc:
        # The compiler should only emit valid FTS5; say which query broke if not.
        if "fts5" in str(exc) or "MATCH" in str(exc):
            raise ValueError(f"full-text query rejected by SQLite: {exc}") from exc
        raise


def _docs(conn: sqlite3.Connection, rowids: list[int]) -> dict[int, Story]:
    rows = conn.execute(
        "SELECT rowid, doc FROM stories WHERE rowid IN (SELECT value FROM json_each(?))",
        (json.dumps(rowids),),
    )
    return {rid: Story.from_document(json.loads(doc)) for rid, doc in rows}
