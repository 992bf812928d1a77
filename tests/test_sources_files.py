"""Sources in OPML and CSV files: parsed, bad rows reported by file and line, imported, listed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
import yaml

from crawler.cli import main
from crawler.config import ConfigError, load_config
from crawler.config.sourcefiles import parse_opml, read_source_file

if TYPE_CHECKING:
    from pathlib import Path

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Desk feeds</title></head>
  <body>
    <outline text="World">
      <outline type="rss" text="BBC News - World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
      <outline type="rss" text="The Guardian" title="The Guardian World"
               xmlUrl="https://www.theguardian.com/world/rss" language="en"/>
    </outline>
    <outline type="rss" text="No feed here"/>
    <outline type="rss" text="FTP &amp; co" xmlUrl="ftp://files.example/feed"/>
    <outline type="rss" text="BBC News - World" xmlUrl="https://feeds.bbci.co.uk/news/uk/rss.xml"/>
  </body>
</opml>
"""
CSV = """name,outlet,feeds,every,max_every
nknews,NK News,https://www.nknews.org/feed/,30m,
38north,38 North,https://www.38north.org/feed/ https://www.38north.org/other/,2h,1d
Bad Name,Bad,https://bad.example/feed,,
noentry,No entry point,,,
slow,Slow,https://slow.example/feed,,soon
"""
BASE = {"topics": [{"name": "t", "query": "Korea"}]}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_opml_outlines_become_sources_and_bad_ones_are_reported_with_their_line() -> None:
    listed = parse_opml(OPML.encode(), "desk.opml")
    assert [(line, s.name, s.outlet, s.feeds[0]) for line, s in listed.sources] == [
        (6, "bbc-news-world", "BBC News - World", "https://feeds.bbci.co.uk/news/world/rss.xml"),
        (8, "the-guardian-world", "The Guardian World", "https://www.theguardian.com/world/rss"),
        (12, "bbc-news-world-2", "BBC News - World", "https://feeds.bbci.co.uk/news/uk/rss.xml"),
    ]
    assert listed.sources[1][1].language == "en"
    assert [str(row) for row in listed.bad] == [
        "desk.opml:10: outline without xmlUrl",
        "desk.opml:11: feeds: Value error, expected an http(s) URL, got 'ftp://files.example/feed'",
    ]


def test_hostile_or_broken_opml_is_one_bad_row_not_a_crash() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body>' + (
        b'<outline text="&a;" xmlUrl="https://x.example/&a;"/></body></opml>'
    )
    listed = parse_opml(bomb, "bomb.opml")
    assert listed.sources == []
    assert [str(row) for row in listed.bad] == ["bomb.opml:1: a DTD is not allowed in an OPML file"]
    (broken,) = parse_opml(b"<opml><body><outline", "cut.opml").bad
    assert broken.path == "cut.opml" and "not valid XML" in broken.problem
    (other,) = parse_opml(b"<rss/>", "feed.xml").bad
    assert other.problem == "not OPML (root <rss>)"


def test_csv_rows_are_validated_with_their_line(tmp_path: Path) -> None:
    listed = read_source_file(write(tmp_path / "sources.csv", CSV))
    assert [(line, s.name) for line, s in listed.sources] == [(2, "nknews"), (3, "38north")]
    assert listed.sources[1][1].feeds == [
        "https://www.38north.org/feed/",
        "https://www.38north.org/other/",
    ]
    assert listed.sources[1][1].max_every is not None
    bad = [str(row) for row in listed.bad]
    assert bad[0].startswith(f"{tmp_path / 'sources.csv'}:4: name: String should match pattern")
    assert bad[1].endswith(":5: row: Value error, a source needs at least one of 'feeds', "
                           "'sitemaps' or 'homepages'")  # fmt: skip
    assert ":6: max_every: Value error, expected a duration" in bad[2]
    (header,) = read_source_file(write(tmp_path / "x.csv", "name,feed_url\na,b\n")).bad
    assert header.line == 1 and "unknown columns ['feed_url']" in header.problem


def test_the_config_adds_its_source_files_and_refuses_bad_rows(tmp_path: Path) -> None:
    good = "name,feeds\nnknews,https://www.nknews.org/feed/\n"
    write(tmp_path / "more.csv", good)
    write(tmp_path / "desk.opml", OPML.replace('<outline type="rss" text="No feed here"/>', "")
          .replace("ftp://files.example/feed", "https://files.example/feed"))  # fmt: skip
    config_file = tmp_path / "newswatch.yaml"
    raw = {**BASE, "sources": [{"name": "own", "feeds": ["https://own.example/feed"]}],
           "source_files": ["more.csv", "desk.opml"]}  # fmt: skip
    config_file.write_text(yaml.safe_dump(raw))
    config = load_config(config_file)
    assert [s.name for s in config.sources] == [
        "own", "nknews", "bbc-news-world", "the-guardian-world", "ftp-co", "bbc-news-world-2",
    ]  # fmt: skip

    write(tmp_path / "more.csv", CSV)
    with pytest.raises(ConfigError) as refused:
        load_config(config_file)
    message = str(refused.value)
    assert "source_files: 3 bad row(s)" in message and "more.csv:4: name:" in message


def test_import_merges_into_a_sources_file_and_list_shows_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = write(
        tmp_path / "sources.csv", "name,feeds\nbbc,https://feeds.bbci.co.uk/news/world/rss.xml\n"
    )
    config_file = tmp_path / "newswatch.yaml"
    raw = {**BASE, "state_dir": str(tmp_path / "state"), "source_files": ["sources.csv"],
           "index": {"embedded": {"path": str(tmp_path / "i.sqlite3")}}}  # fmt: skip
    config_file.write_text(yaml.safe_dump(raw))
    opml = write(tmp_path / "desk.opml", OPML)

    code = main(["sources", "import", str(opml), "--config", str(config_file)])
    out, err = capsys.readouterr()
    assert code == 1  # bad rows: reported, the good ones imported
    assert "2 sources added, 1 already there, 2 bad rows skipped (3 sources in the file)" in out
    assert f"bad row: {opml}:10: outline without xmlUrl" in err
    assert f"bad row: {opml}:11: feeds:" in err
    assert target.read_text().splitlines()[1:] == [
        "bbc,,https://feeds.bbci.co.uk/news/world/rss.xml,,,,,,,,,,",
        "the-guardian-world,The Guardian World,https://www.theguardian.com/world/rss,,,,,,,,,,en",
        "bbc-news-world-2,BBC News - World,https://feeds.bbci.co.uk/news/uk/rss.xml,,,,,,,,,,",
    ]
    # Importing again adds nothing.
    assert main(["sources", "import", str(opml), "--config", str(config_file)]) == 1
    assert "0 sources added, 3 already there" in capsys.readouterr().out

    assert main(["sources", "list", "--config", str(config_file), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["matched"] == 3 and [s["state"] for s in listed["sources"]] == ["new"] * 3
    assert main(["sources", "list", "--config", str(config_file), "--source", "bbc*"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "listed 2 of 2 matching (3 in all)"
    assert main(["sources", "resume", "nope", "--config", str(config_file)]) == 2


def test_status_at_scale_filters_pages_and_prints_json_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.adaptive import SourceState
    from scheduler.jobstore import jobstore_url, make_engine
    from scheduler.state import StateStore

    rows = "\n".join(f"outlet-{n:04},https://outlet-{n}.example/feed" for n in range(2000))
    write(tmp_path / "sources.csv", "name,feeds\n" + rows + "\n")
    config_file = tmp_path / "newswatch.yaml"
    raw = {**BASE, "state_dir": str(tmp_path / "state"), "source_files": ["sources.csv"],
           "index": {"embedded": {"path": str(tmp_path / "i.sqlite3")}}}  # fmt: skip
    config_file.write_text(yaml.safe_dump(raw))
    state = StateStore(make_engine(jobstore_url(load_config(config_file))))
    for n in range(0, 2000, 100):  # every hundredth source paused, the next one failing
        for name, paused in (
            (f"outlet-{n:04}", "5 consecutive failures"),
            (f"outlet-{n + 1:04}", None),
        ):
            state.ensure(name, 1800.0)
            state.count(
                name, "failed", state=SourceState(1800.0, 5 if paused else 1, paused=paused)
            )
            state.last_run(name, "2026-12-05T12:00:00Z", "failed", "exit code 1")

    argv = ["status", "--config", str(config_file)]
    assert main([*argv, "--json", "--state", "paused", "--limit", "5", "--offset", "2"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["summary"] == {
        "total": 2000, "ok": 0, "failing": 20, "paused": 20, "overdue": 0, "new": 1960,
    }  # fmt: skip
    assert status["matched"] == 20
    assert [row["source"] for row in status["sources"]] == [
        "outlet-0200", "outlet-0300", "outlet-0400", "outlet-0500", "outlet-0600",
    ]  # fmt: skip
    assert status["sources"][0]["paused"] == "5 consecutive failures"

    assert main([*argv, "--state", "failing", "--state", "paused", "--source", "outlet-00*"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[1] == "sources: 2000 (ok 0, failing 20, paused 20, overdue 0, new 1960)"
    assert [line.split()[0] for line in table[3:5]] == ["outlet-0000", "outlet-0001"]
    assert table[5] == "listed 1-2 of 2 matching"
    assert main([*argv]) == 0
    assert "listed 1-100 of 2000 matching" in capsys.readouterr().out  # the table's default page
