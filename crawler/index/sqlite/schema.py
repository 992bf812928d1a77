"""The embedded index's SQLite schema, its version and its migrations."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from crawler.analysis import fingerprint
from crawler.index.errors import SchemaError
from crawler.index.tokens import FIELDS, folded_words, tokens

logger = logging.getLogger(__name__)

# The query compiler (crawler.query.to_fts5) targets exactly these columns of story_tokens:
# the analysed tokens of title and text, and the folded words of everything (exact terms).
FTS_COLUMNS = FIELDS
# story_tokens's rows for every stored story, through the same Python (connect() registers
# the functions): migration 5, and again whenever the analysis changes (reanalyse.py).
FILL_TOKENS = f"""INSERT INTO story_tokens (rowid, {", ".join(FTS_COLUMNS)})
    SELECT rowid,
        newswatch_tokens(json_extract(doc, '$.title'), language),
        newswatch_tokens(json_extract(doc, '$.text'), language),
        newswatch_words(fts_outlets), newswatch_words(fts_authors),
        newswatch_words(json_extract(doc, '$.title')),
        newswatch_words(json_extract(doc, '$.text'))
    FROM stories"""

# A story's facet row (migration 6) from its stories row `row`: day of publication,
# language, outlets (as fts_outlets has them) and distinct topics.
FACET_ROW = (
    "{row}.rowid, nullif(substr({row}.published, 1, 10), ''), {row}.language, "
    "{row}.fts_outlets, coalesce((SELECT group_concat(value, char(10)) FROM "
    "(SELECT DISTINCT value FROM json_each({row}.doc, '$.topics') WHERE value != '')), '')"
)

# One entry per schema version, applied in order; never edit a released entry,
# append a new one (PRAGMA user_version records how far a file has got).
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (
        1,
        (
            # `rowid` is the FTS5 rowid and the key of every side table: integers
            # keep the band index small and the candidate GROUP BY cheap.
            # `doc` last: filters and sorts read the small columns without
            # following the document's overflow pages.
            """CREATE TABLE stories (
                rowid INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                published TEXT NOT NULL,
                first_seen TEXT NOT NULL,
                language TEXT,
                outlet_count INTEGER NOT NULL,
                fts_outlets TEXT NOT NULL,
                fts_authors TEXT NOT NULL,
                doc TEXT NOT NULL
            )""",
            "CREATE INDEX stories_by_date ON stories (published DESC, id)",
            "CREATE INDEX stories_by_language ON stories (language)",
            """CREATE TABLE story_urls (
                url TEXT NOT NULL, story INTEGER NOT NULL, PRIMARY KEY (url, story)
            ) WITHOUT ROWID""",
            """CREATE TABLE story_hashes (
                hash TEXT NOT NULL, story INTEGER NOT NULL, PRIMARY KEY (hash, story)
            ) WITHOUT ROWID""",
            """CREATE TABLE story_bands (
                band TEXT NOT NULL, story INTEGER NOT NULL, PRIMARY KEY (band, story)
            ) WITHOUT ROWID""",
            """CREATE TABLE story_topics (
                topic TEXT NOT NULL, story INTEGER NOT NULL, PRIMARY KEY (topic, story)
            ) WITHOUT ROWID""",
            """CREATE TABLE story_outlets (
                outlet TEXT NOT NULL, story INTEGER NOT NULL, PRIMARY KEY (outlet, story)
            ) WITHOUT ROWID""",
            # Reverse indexes: replacing or deleting a story finds its side rows.
            "CREATE INDEX story_urls_by_story ON story_urls (story)",
            "CREATE INDEX story_hashes_by_story ON story_hashes (story)",
            "CREATE INDEX story_bands_by_story ON story_bands (story)",
            "CREATE UNIQUE INDEX story_topics_by_story ON story_topics (story, topic)",
            "CREATE UNIQUE INDEX story_outlets_by_story ON story_outlets (story, outlet)",
            # What story_fts indexes (folded: sqlite_fold) and reads back for
            # snippets (external content): the words as published, stored once.
            """CREATE VIEW story_text AS SELECT rowid AS rowid,
                json_extract(doc, '$.title') AS title, json_extract(doc, '$.text') AS text,
                fts_outlets AS outlets, fts_authors AS authors
            FROM stories""",
            """CREATE VIRTUAL TABLE story_fts USING fts5(
                title, text, outlets, authors,
                content = 'story_text', content_rowid = 'rowid',
                tokenize = 'unicode61 remove_diacritics 2'
            )""",
            """CREATE TABLE seen (
                url TEXT PRIMARY KEY,
                fetched_at TEXT NOT NULL,
                story_id TEXT,
                listed_updated TEXT,
                etag TEXT,
                last_modified TEXT
            ) WITHOUT ROWID""",
            """CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                source TEXT,
                started TEXT NOT NULL,
                doc TEXT NOT NULL
            )""",
            "CREATE INDEX runs_by_started ON runs (started DESC)",
            "CREATE INDEX runs_by_source ON runs (source, started DESC)",
        ),
    ),
    (
        2,
        (
            # Alerts (crawler/index/sqlite/alerts.py): one row per alert per rule; the
            # primary key is what makes each alert fire once across processes.
            """CREATE TABLE alert_items (
                key TEXT PRIMARY KEY,
                rule TEXT NOT NULL,
                status TEXT NOT NULL,
                created TEXT NOT NULL,
                doc TEXT NOT NULL
            ) WITHOUT ROWID""",
            "CREATE INDEX alert_items_by_rule ON alert_items (rule, status, created)",
            "CREATE INDEX alert_items_by_status ON alert_items (status, created)",
            "CREATE TABLE alert_cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
            # Alert scans read the stories seen since the last scan.
            "CREATE INDEX stories_by_last_seen ON stories (json_extract(doc, '$.last_seen'))",
        ),
    ),
    (
        3,
        (
            # Held pages (crawler/index/held.py): off-topic pages waiting for a copy.
            # One key table for their URLs ("u:"), content hash ("h:") and band
            # keys ("b:"), so one indexed look-up per key finds every kind.
            """CREATE TABLE held_pages (
                rowid INTEGER PRIMARY KEY,
                url TEXT NOT NULL UNIQUE,
                held_at TEXT NOT NULL,
                doc TEXT NOT NULL
            )""",
            "CREATE INDEX held_pages_by_time ON held_pages (held_at)",
            """CREATE TABLE held_keys (
                key TEXT NOT NULL, page INTEGER NOT NULL, PRIMARY KEY (key, page)
            ) WITHOUT ROWID""",
            "CREATE INDEX held_keys_by_page ON held_keys (page)",
        ),
    ),
    (
        4,
        (
            # Learned furniture (crawler/furniture, crawler/index/sqlite/furniture.py):
            # per outlet, the pages counted and how many of them carried each line.
            """CREATE TABLE furniture_pages (
                outlet TEXT NOT NULL, page TEXT NOT NULL, seen INTEGER NOT NULL,
                PRIMARY KEY (outlet, page)
            ) WITHOUT ROWID""",
            "CREATE INDEX furniture_pages_by_age ON furniture_pages (outlet, seen)",
            """CREATE TABLE furniture_lines (
                outlet TEXT NOT NULL, line TEXT NOT NULL,
                pages INTEGER NOT NULL, seen INTEGER NOT NULL,
                PRIMARY KEY (outlet, line)
            ) WITHOUT ROWID""",
            "CREATE INDEX furniture_lines_by_rank ON furniture_lines (outlet, pages, seen)",
        ),
    ),
    (
        5,
        (
            # Language-aware search (crawler/analysis): Python splits every field into the
            # tokens the matcher compares, space-separated; the ascii tokenizer splits them
            # on the spaces alone, so FTS5 indexes exactly those tokens. Contentless: the
            # tokens are not stored twice; a story's row is deleted by computing its tokens
            # again from the stored document (store.py), which gives the same strings.
            f"""CREATE VIRTUAL TABLE story_tokens USING fts5(
                {", ".join(FTS_COLUMNS)}, content = '', tokenize = 'ascii'
            )""",
            FILL_TOKENS,
            "DROP TABLE story_fts",
            "DROP VIEW story_text",
            # The analysis story_tokens was built with (crawler/index/sqlite/reanalyse.py).
            "CREATE TABLE index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "INSERT INTO index_meta VALUES ('analysis', newswatch_analysis())",
        ),
    ),
    (
        6,
        (
            # Saved searches (crawler/index/saved_searches.py, sqlite/searches.py):
            # what analysts saved from the web app, each with an optional alert.
            """CREATE TABLE saved_searches (
                id TEXT PRIMARY KEY, created TEXT NOT NULL, doc TEXT NOT NULL
            ) WITHOUT ROWID""",
            # What the facets count (crawler/index/sqlite/search.py `aggregate`), one
            # narrow row per story: a broad match reads these few pages, not every
            # matched story's row (documents of kilobytes) and two side indexes.
            # Outlets and topics are joined by line breaks. Kept by triggers, so the
            # store's writes need not know it exists.
            """CREATE TABLE story_facets (
                rowid INTEGER PRIMARY KEY, day TEXT, language TEXT,
                outlets TEXT NOT NULL, topics TEXT NOT NULL
            )""",
            f"INSERT INTO story_facets SELECT {FACET_ROW.format(row='stories')} FROM stories",
            f"""CREATE TRIGGER story_facets_insert AFTER INSERT ON stories BEGIN
                INSERT OR REPLACE INTO story_facets VALUES ({FACET_ROW.format(row="new")});
            END""",
            f"""CREATE TRIGGER story_facets_update AFTER UPDATE ON stories BEGIN
                INSERT OR REPLACE INTO story_facets VALUES ({FACET_ROW.format(row="new")});
            END""",
            """CREATE TRIGGER story_facets_delete AFTER DELETE ON stories BEGIN
                DELETE FROM story_facets WHERE rowid = old.rowid;
            END""",
        ),
    ),
    (
        7,
        (
            # Furniture shapes across outlets (crawler/furniture/shapes.py): which
            # outlets printed each line shape, in which wordings (variant keys).
            """CREATE TABLE furniture_shapes (
                shape TEXT NOT NULL, outlet TEXT NOT NULL, variant TEXT NOT NULL,
                text TEXT NOT NULL, seen INTEGER NOT NULL,
                PRIMARY KEY (shape, outlet, variant)
            ) WITHOUT ROWID""",
            "CREATE INDEX furniture_shapes_by_age ON furniture_shapes (outlet, seen)",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]


def connect(path: Path, *, busy_timeout_ms: int, synchronous: str) -> sqlite3.Connection:
    """A connection in autocommit mode; transactions are begun explicitly."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: the backend serialises use with its own lock, and
    # the HTTP API calls it from a thread pool.
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
    )
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    # What migration 5 fills story_tokens with (crawler/index/tokens.py).
    conn.create_function("newswatch_tokens", 2, tokens, deterministic=True)
    conn.create_function("newswatch_words", 1, folded_words, deterministic=True)
    conn.create_function("newswatch_analysis", 0, fingerprint, deterministic=True)
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal":
        conn.close()
        raise SchemaError(f"{path}: cannot switch to WAL journal mode (got {mode!r})")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    # PRAGMA optimize runs at close; sampling keeps its ANALYZE quick on a large file.
    conn.execute("PRAGMA analysis_limit = 1000")
    return conn


def migrate(
    conn: sqlite3.Connection,
    path: Path,
    migrations: Sequence[tuple[int, Sequence[str]]] = MIGRATIONS,
) -> int:
    """Bring the schema to the newest version; safe when several processes open at once.

    Returns the version the file is at afterwards.
    """
    latest = migrations[-1][0]
    # Cheap check first so that readers of an up-to-date file never take the write lock.
    if _version(conn) == latest:
        return latest
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = _version(conn)
        if current > latest:
            raise SchemaError(
                f"{path}: schema version {current} is newer than this newswatch "
                f"supports ({latest}); upgrade newswatch"
            )
        for version, statements in migrations:
            if version <= current:
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(version)}")
            logger.info("index %s: schema migrated to version %s", path, version)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return latest


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])
