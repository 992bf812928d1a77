"""`newswatch search`, `stats` and `export` as analysts run them, on both backends."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from crawler.cli import main
from crawler.cli.export import write_stories
from crawler.search.request import FilterError, build_request, parse_time
from tests.fixtures.backends import add_copy, make_story

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index import IndexBackend
    from tests.fixtures.backends import BackendStore

TEXT = (
    "Thousands of North Korean soldiers continue to fight alongside Russian forces in the "
    "Kursk region, Ukraine's military intelligence said on Tuesday."
)


@pytest.fixture
def config(backend_store: BackendStore, backend: IndexBackend, tmp_path: Path) -> Path:
    """A config file pointing the CLI at the store under test, holding three stories."""
    seed = make_story("http://outlet-a.test/troops", text=TEXT, outlet="Outlet A")
    backend.put_story(add_copy(seed, "Outlet B", "http://outlet-b.test/troops-copy"))
    backend.put_story(
        make_story(
            "http://outlet-c.test/gas",
            title="Moscow raises gas exports",
            text="Russia signed gas contracts in Asia.",
            outlet="Outlet C",
            published="2026-11-10T08:00:00Z",
            topics=("energy",),
        )
    )
    backend.flush()
    spec = backend_store.spec
    if spec["kind"] == "embedded":
        index = f"index:\n  backend: embedded\n  embedded:\n    path: {spec['path']}\n"
    else:
        index = (
            "index:\n  backend: elasticsearch\n  elasticsearch:\n"
            f"    url: {spec['url']}\n    index_prefix: {spec['prefix']}\n"
        )
    path = tmp_path / "newswatch.yaml"
    path.write_text(
        f"state_dir: {tmp_path / 'state'}\n{index}"
        "topics:\n  - name: dprk\n    query: Korea\n"
        "sources:\n  - name: a\n    feeds: [http://outlet-a.test/feed]\n",
        encoding="utf-8",
    )
    return path


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_json_lines_carry_the_copies(config: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "search", "--config", str(config), '"North Korean"', "--json")
    assert code == 0
    (line,) = out.splitlines()
    story = json.loads(line)
    assert [c["outlet"] for c in story["copies"]] == ["Outlet A", "Outlet B"]
    assert story["outlet_count"] == 2 and "«" in story["snippet"]


def test_search_table_and_filters(config: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "search", "--config", str(config), "--sort", "date")
    assert code == 0 and out.startswith("2 stories")
    assert out.index("North Korea") < out.index("Moscow raises gas")  # newest first
    code, out, _ = run(capsys, "search", "--config", str(config), "--topic", "energy")
    assert "1 stories" in out and "Moscow raises gas" in out
    code, out, _ = run(capsys, "search", "--config", str(config), "--min-outlets", "2")
    assert "1 stories" in out and "ran on 2 outlet(s)" in out


def test_malformed_query_is_an_error_with_position(
    config: Path, capsys: pytest.CaptureFixture
) -> None:
    code, _, err = run(capsys, "search", "--config", str(config), '"North Korea')
    assert code == 2
    assert "position" in err and "Traceback" not in err


def test_stats_prints_timeline_and_top_outlets(config: Path, capsys: pytest.CaptureFixture) -> None:
    code, out, _ = run(capsys, "stats", "--config", str(config))
    assert code == 0
    assert "Stories per day" in out and "2026-11-10" in out and "2026-11-20" in out
    outlets = out.split("Top outlets")[1].split("Top topics")[0]
    assert "Outlet B" in outlets and "█" in outlets


def test_export_jsonl_and_csv(config: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "out.jsonl"
    code, _, err = run(capsys, "export", "--config", str(config), "--output", str(target))
    assert code == 0 and "exported 2 stories" in err
    stories = [json.loads(line) for line in target.read_text().splitlines()]
    assert {s["outlet"] for s in stories} == {"Outlet A", "Outlet C"}
    assert all("copies" in s and "dedup_text" not in s for s in stories)
    table = tmp_path / "out.csv"
    run(capsys, "export", "--config", str(config), "Korea", "--format", "csv", "-o", str(table))
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == 1 and rows[0]["outlets"] == "Outlet A; Outlet B"


def test_export_streams_in_constant_memory() -> None:
    """Many large stories pass through the writer without being held at once."""

    def stories(count: int) -> Iterator[dict]:
        for number in range(count):
            yield make_story(f"http://outlet.test/{number}", text=("word " * 4000) + str(number))

    def peak(count: int) -> int:
        tracemalloc.start()
        assert write_stories(stories(count), _Discard(), "jsonl") == count
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    small, large = peak(50), peak(1000)
    # 1,000 stories of ~20 KB are ~20 MB; streaming keeps the peak near one story's size.
    assert large < 2 * small + 1_000_000


class _Discard(io.StringIO):
    """A sink that forgets what it is given, as a file on disk would for our memory."""

    def write(self, text: str) -> int:
        return len(text)


def test_filter_values_are_checked() -> None:
    assert parse_time("since", "2026-11-01").isoformat() == "2026-11-01T00:00:00+00:00"
    with pytest.raises(FilterError, match="since: expected a duration"):
        build_request("", since="yesterday-ish")
    with pytest.raises(FilterError, match="min_outlets"):
        build_request("", min_outlets=0)
    with pytest.raises(FilterError, match="before until"):
        build_request("", since="2026-11-02", until="2026-11-01")
