"""The seen-URL state: off the reactor thread, write-behind, and written when the crawl ends."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.crawl.seen import SeenUrls
from crawler.index.sqlite import SqliteBackend
from tests.fixtures.newsweb import world_config

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb

REPO = Path(__file__).resolve().parents[1]


def test_a_crawl_never_touches_the_seen_store_on_the_reactor_thread(
    newsweb: NewsWeb, tmp_path: Path
) -> None:
    config = world_config(newsweb, tmp_path, sources=["frontline", "metro"])
    out = tmp_path / "threads.json"
    extracted: list[int] = []
    for crawl in range(2):  # the second crawl looks up what the first one marked
        run = subprocess.run(
            [sys.executable, "-m", "tests.fixtures.seen_threads", str(config), str(out)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        found = json.loads(out.read_text())
        calls = found["calls"]
        # The first crawl marks every page it fetched; the second may have nothing
        # new to mark (every page seen, every listing unchanged).
        assert calls["get_seen"] and (crawl or calls["mark_seen"])
        threads = set(calls["get_seen"]) | set(calls.get("mark_seen", []))
        assert found["reactor"] not in threads
        assert all(name.startswith("newswatch-seen") for name in threads)
        extracted.append(found["summary"]["articles_extracted"])
    # What the first crawl marked was written, so the second extracts nothing again:
    # its listings are either skipped as seen or answered 304 through the validators
    # stored with the same marks (which of the two depends on the web's state).
    assert extracted[0] > 0 and extracted[1] == 0


def test_marks_are_seen_at_once_and_written_in_batches_then_at_close(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    writes: list[int] = []

    class Counting(SqliteBackend):
        def mark_seen(self, records):  # type: ignore[no-untyped-def]
            records = list(records)
            writes.append(len(records))
            super().mark_seen(records)

    def opener() -> Counting:
        backend = Counting(path)
        backend.open()
        return backend

    seen = SeenUrls(batch=3)
    seen.open(opener).result()
    listed = datetime(2026, 11, 20, tzinfo=UTC)
    seen.mark("https://a.example/1", story_id="s1", listed_updated=listed)
    seen.mark("https://a.example/2")
    # not written yet, but already seen by a look-up (made in the worker thread)
    found = asyncio.run(seen.get(["https://a.example/1", "https://a.example/3"]))
    assert list(found) == ["https://a.example/1"] and found["https://a.example/1"].story_id == "s1"
    assert writes == []
    seen.mark("https://a.example/3", etag='"v1"')  # the third: a batch is written
    # The worker runs in order: this look-up returns after the batch write queued above.
    asyncio.run(seen.get(["https://a.example/1"]))
    seen.mark("https://a.example/4")
    done = seen.close()
    assert done is not None
    done.result()
    assert sum(writes) == 4 and writes[0] == 3  # the rest when the crawl ends
    with SqliteBackend(path) as backend:
        stored = backend.get_seen([f"https://a.example/{n}" for n in range(1, 5)])
    assert len(stored) == 4 and stored["https://a.example/3"].etag == '"v1"'


def test_without_a_store_the_state_lasts_the_run_in_memory() -> None:
    seen = SeenUrls()
    seen.mark("https://a.example/1")
    assert "https://a.example/1" in asyncio.run(seen.get(["https://a.example/1"]))
    assert seen.close() is None  # no worker, no store: nothing to write
