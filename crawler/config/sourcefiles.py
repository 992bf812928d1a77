"""Sources listed in OPML (the feed readers' format) or CSV files that the config names.

Each row becomes a validated `Source`; a bad row is reported with its file and
line, never dropped in silence. OPML is read with lxml (the parser the feeds
already use, hardened the same way: no entities, no network, no huge trees,
and no DTD at all), not listparser, because lxml keeps each element's line
number for the report.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from lxml import etree
from pydantic import ValidationError

from crawler.base.urls import host_of
from crawler.config.schema import Source

if TYPE_CHECKING:
    from pathlib import Path

#: The CSV columns: Source's fields. Several URLs in one cell are separated by spaces.
CSV_COLUMNS = (
    "name",
    "outlet",
    "feeds",
    "sitemaps",
    "homepages",
    "allowed_domains",
    "every",
    "cron",
    "min_every",
    "max_every",
    "max_age",
    "crawl_delay",
    "language",
)
LIST_COLUMNS = frozenset({"feeds", "sitemaps", "homepages", "allowed_domains"})
_NOT_NAME = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class BadRow:
    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


@dataclass
class SourceFile:
    """What one file holds: its sources in order, each with its line, and its bad rows."""

    path: str
    sources: list[tuple[int, Source]] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


def read_source_file(path: Path) -> SourceFile:
    """Read an OPML (.opml, .xml) or CSV file; an unreadable file is one bad row at line 0."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SourceFile(str(path), bad=[BadRow(str(path), 0, f"cannot read: {exc.strerror}")])
    if path.suffix.lower() in (".opml", ".xml") or data.lstrip()[:1] == b"<":
        return parse_opml(data, str(path))
    return parse_csv(data, str(path))


def parse_csv(data: bytes, path: str) -> SourceFile:
    result = SourceFile(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.bad.append(BadRow(path, 1, f"not UTF-8 text ({exc.reason})"))
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if not header or unknown or "name" not in header:
        why = f"unknown columns {unknown}" if unknown else "no 'name' column"
        result.bad.append(BadRow(path, 1, f"{why}; expected a header of {', '.join(CSV_COLUMNS)}"))
        return result
    reader.fieldnames = header
    for row in reader:
        line = reader.line_num
        if None in row:
            result.bad.append(BadRow(path, line, f"more cells than the {len(header)} columns"))
            continue
        fields: dict[str, Any] = {}
        for key, value in row.items():
            value = (value or "").strip()
            if value:
                fields[key] = value.split() if key in LIST_COLUMNS else value
        _add(result, line, fields)
    return result


def parse_opml(data: bytes, path: str) -> SourceFile:
    result = SourceFile(path)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        result.bad.append(BadRow(path, exc.lineno or 1, f"not valid XML: {exc.msg}"))
        return result
    if root.getroottree().docinfo.internalDTD is not None:
        # As defusedxml's forbid_dtd: an OPML file has no use for entities.
        result.bad.append(BadRow(path, 1, "a DTD is not allowed in an OPML file"))
        return result
    if root.tag != "opml":
        result.bad.append(BadRow(path, root.sourceline or 1, f"not OPML (root <{root.tag}>)"))
        return result
    names: dict[str, int] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        line = outline.sourceline or 0
        if not url:
            if len(outline) == 0:  # a folder has children; an empty outline is a bad row
                result.bad.append(BadRow(path, line, "outline without xmlUrl"))
            continue
        title = (outline.get("title") or outline.get("text") or "").strip()
        fields: dict[str, Any] = {
            "name": _unique(slug(title) or slug(host_of(url)), names),
            "outlet": title,
            "feeds": [url],
        }
        if outline.get("language"):
            fields["language"] = outline.get("language")
        _add(result, line, fields)
    return result


def slug(text: str) -> str:
    """A source name from a title: 'BBC News - World' -> 'bbc-news-world'."""
    return _NOT_NAME.sub("-", text.lower()).strip("-._")[:80]


def _unique(name: str, names: dict[str, int]) -> str:
    names[name] = names.get(name, 0) + 1
    return name if names[name] == 1 else f"{name}-{names[name]}"


def _add(result: SourceFile, line: int, fields: dict[str, Any]) -> None:
    try:
        result.sources.append((line, Source.model_validate(fields)))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'row'}: {error['msg']}"
            for error in exc.errors()
        )
        result.bad.append(BadRow(result.path, line, problems))


def to_csv_rows(sources: list[Source]) -> list[dict[str, str]]:
    """Sources as rows of the CSV format (only the columns a source sets)."""
    return [
        {key: _cell(value) for key, value in source.model_dump(exclude_defaults=True).items()}
        for source in sources
    ]


def _cell(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    if isinstance(value, timedelta):
        return f"{value.total_seconds():g}s"
    return str(value)


def write_csv(path: Path, sources: list[Source]) -> None:
    """Write `sources` to `path` atomically, with the full header."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_csv_rows(sources))
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8")
    temporary.replace(path)
