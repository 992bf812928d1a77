"""Re-analyse the embedded index's tokens when the analysis changed since they were made.

story_tokens is a contentless FTS5 table: a story's row is deleted by giving the tokens it
was indexed with, computed again. That holds while the analysis stays the same; after an
upgrade that changes a stemmer, a dictionary or crawler/analysis, the tokens are rebuilt
from the stored stories once, on open, before anything is written.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from crawler.analysis import fingerprint
from crawler.index.sqlite.schema import FILL_TOKENS

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

logger = logging.getLogger(__name__)


def reanalyse_if_changed(conn: sqlite3.Connection, path: Path) -> bool:
    """Rebuild story_tokens if the analysis differs from the one recorded; True if rebuilt."""
    current = fingerprint()
    if _recorded(conn) == current:
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _recorded(conn) == current:  # another process rebuilt it meanwhile
            conn.execute("ROLLBACK")
            return False
        started = time.monotonic()
        conn.execute("INSERT INTO story_tokens (story_tokens) VALUES ('delete-all')")
        conn.execute(FILL_TOKENS)
        conn.execute("INSERT OR REPLACE INTO index_meta VALUES ('analysis', ?)", (current,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    count = conn.execute("SELECT count(*) FROM stories").fetchone()[0]
    logger.info(
        "index %s: the text analysis changed; re-analysed %d stories in %.1f s",
        path,
        count,
        time.monotonic() - started,
    )
    return True


def _recorded(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT value FROM index_meta WHERE key = 'analysis'").fetchone()
    return None if row is None else str(row[0])
