"""`newswatch export`: every matching story with its copies, streamed to JSONL or CSV."""

from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from typing import IO, TYPE_CHECKING

from crawler.cli.options import (
    add_config_option,
    add_filter_options,
    config_from,
    request_kwargs,
    resolve,
)
from crawler.index import make_backend
from crawler.query import QuerySyntaxError
from crawler.search.render import export_lines
from crawler.search.request import FilterError, build_request

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from crawler.story import Story


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="write every matching story to a file")
    add_config_option(parser)
    add_filter_options(parser)
    parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    parser.add_argument("--output", "-o", default="-", help="file to write (default: stdout)")
    parser.add_argument(
        "--bom",
        action="store_true",
        help="start a CSV file with a UTF-8 byte order mark (for spreadsheet programs)",
    )
    parser.set_defaults(func=run_export)


def write_stories(stories: Iterable[Story], out: IO[str], fmt: str, bom: bool = False) -> int:
    """Write as the stories arrive (constant memory); returns how many."""
    count = 0

    def counted() -> Iterator[Story]:
        nonlocal count
        for story in stories:
            count += 1
            yield story

    for line in export_lines(counted(), fmt, bom=bom):
        out.write(line)
    return count


def run_export(args: argparse.Namespace) -> int:
    config = config_from(args)
    try:
        request = build_request(args.query, sort="date", **request_kwargs(args))
    except FilterError as exc:
        print(f"newswatch export: {exc}", file=sys.stderr)
        return 2
    target = (
        nullcontext(sys.stdout)
        if args.output == "-"
        else open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    )
    try:
        with make_backend(config) as backend, target as out:
            found = resolve(config, request, backend, "export")
            count = write_stories(backend.export(found), out, args.format, args.bom)
    except QuerySyntaxError as exc:
        print(f"newswatch export: {exc}", file=sys.stderr)
        return 2
    print(f"exported {count} stories", file=sys.stderr)
    return 0
