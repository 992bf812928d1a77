"""The embedded index with several users: WAL readers, the writer's lock, crashes, threads."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from crawler.index.errors import IndexLocked
from crawler.index.search_index import SearchRequest
from crawler.index.sqlite import SqliteBackend
from tests.fixtures.backends import make_story

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "index.sqlite3"


@pytest.fixture
def writer(path: Path) -> Iterator[SqliteBackend]:
    with SqliteBackend(path) as backend:
        yield backend


def test_readers_never_wait_for_the_writer(path: Path, writer: SqliteBackend) -> None:
    first = make_story("https://kyivindependent.example/news/north-korea-role")
    writer.put_story(first)
    # busy_timeout=0: a reader that needed a lock would fail at once, not wait.
    with SqliteBackend(path, busy_timeout=0) as reader:
        with writer.dedup_lock():
            second = make_story("https://bbc.example/news/world-asia-defector", text="Pyongyang")
            writer.put_story(second)
            assert writer.get_story(second.id) == second  # the writer sees its own put
            assert reader.count() == 1  # the reader sees the last commit, unblocked
            assert reader.get_story(second.id) is None
            assert reader.search(SearchRequest(query="pyongyang")).total == 0
            assert reader.find_by_url(first.url) == first
        assert reader.count() == 2
        assert reader.search(SearchRequest(query="pyongyang")).total == 1


def test_a_second_writer_cannot_write_while_the_lock_is_held(
    path: Path, writer: SqliteBackend
) -> None:
    with SqliteBackend(path, busy_timeout=0) as other:
        with (
            writer.dedup_lock(),
            pytest.raises(IndexLocked, match=r"index\.sqlite3 is locked: another process"),
        ):
            other.put_story(make_story("https://reuters.example/a"))
        other.put_story(make_story("https://reuters.example/a"))
        assert writer.count() == 1


def test_an_error_inside_the_lock_rolls_back_its_puts(writer: SqliteBackend) -> None:
    kept = make_story("https://kyivindependent.example/news/north-korea-role")
    writer.put_story(kept)
    with pytest.raises(RuntimeError, match="dedup failed"), writer.dedup_lock():
        writer.put_story(make_story("https://bbc.example/news/rolled-back"))
        raise RuntimeError("dedup failed")
    assert writer.count() == 1
    assert writer.find_by_url("https://bbc.example/news/rolled-back") is None


def test_a_refused_put_inside_the_lock_leaves_no_half_story(writer: SqliteBackend) -> None:
    good = make_story("https://bbc.example/news/good")
    bad = dataclasses.replace(make_story("https://bbc.example/news/bad"), first_seen="not a time")
    with writer.dedup_lock():
        writer.put_story(good)
        with pytest.raises(ValueError, match="first_seen"):
            writer.put_story(bad)
    assert writer.count() == 1
    assert writer.find_by_url(bad.url) is None
    assert writer.get_story(good.id) == good


CHILD = textwrap.dedent(
    """
    import sys
    from crawler.index.errors import IndexLocked
    from crawler.index.sqlite import SqliteBackend
    from tests.fixtures.backends import make_story
    backend = SqliteBackend(sys.argv[1]).__enter__()
    backend.put_story(make_story("https://reuters.example/acknowledged"))
    print("acknowledged", flush=True)
    with backend.dedup_lock():
        backend.put_story(make_story("https://reuters.example/in-flight"))
        print("in-flight", flush=True)
        sys.stdin.readline()  # killed while waiting here
    """
)


def test_a_killed_process_keeps_every_put_that_returned(path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "acknowledged"
        assert child.stdout.readline().strip() == "in-flight"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with SqliteBackend(path) as backend:
        assert backend.find_by_url("https://reuters.example/acknowledged") is not None
        # Inside the lock a put is durable when the block commits; this one never did.
        assert backend.find_by_url("https://reuters.example/in-flight") is None
        assert backend.count() == 1


def test_threads_share_one_backend(writer: SqliteBackend) -> None:
    errors: list[BaseException] = []

    def put(n: int) -> None:
        try:
            for i in range(20):
                writer.put_story(make_story(f"https://outlet{n}.example/story/{i}"))
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    def search() -> None:
        try:
            for _ in range(20):
                writer.search(SearchRequest(query="korean soldiers", sort="date"))
                writer.aggregate(SearchRequest())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=put, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=search) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert writer.count() == 60
    assert writer.search(SearchRequest(query="korean soldiers")).total == 60


OPENER = textwrap.dedent(
    """
    import sys
    from crawler.index.sqlite import SqliteBackend
    from tests.fixtures.backends import make_story
    with SqliteBackend(sys.argv[1]) as backend:
        backend.put_story(make_story(f"https://outlet.example/{sys.argv[2]}"))
    """
)


def test_processes_opening_a_new_file_at_once_all_get_one_schema(path: Path) -> None:
    children = [
        subprocess.Popen([sys.executable, "-c", OPENER, str(path), str(n)], cwd=ROOT)
        for n in range(4)
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0, 0]
    with SqliteBackend(path) as backend:
        assert backend.count() == 4
