"""`newswatch search` and `newswatch stats`: query the story index from a terminal."""

from __future__ import annotations

import argparse
import sys

from crawler.cli.options import (
    add_config_option,
    add_filter_options,
    config_from,
    request_kwargs,
    resolve,
)
from crawler.index import make_backend
from crawler.index.errors import InvalidCursor
from crawler.query import QuerySyntaxError
from crawler.search.render import aggregations_text, hit_json, hits_table
from crawler.search.request import FilterError, build_request


def register(subparsers: argparse._SubParsersAction) -> None:
    search = subparsers.add_parser("search", help="search stories (one result per story)")
    add_config_option(search)
    add_filter_options(search)
    search.add_argument("--sort", choices=["relevance", "date"], default="relevance")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    search.add_argument("--cursor", help="continue after a previous page (printed at its end)")
    search.add_argument(
        "--json", action="store_true", help="JSON lines, each story with its copies"
    )
    search.set_defaults(func=run_search)

    stats = subparsers.add_parser("stats", help="stories per day, top outlets and topics")
    add_config_option(stats)
    add_filter_options(stats)
    stats.add_argument("--top", type=int, default=10, metavar="N", help="outlets/topics to show")
    stats.set_defaults(func=run_stats)


def run_search(args: argparse.Namespace) -> int:
    config = config_from(args)
    try:
        request = build_request(
            args.query, sort=args.sort, limit=args.limit, cursor=args.cursor, **request_kwargs(args)
        )
        with make_backend(config) as backend:
            page = backend.search(resolve(config, request, backend, "search"))
    except (QuerySyntaxError, FilterError, InvalidCursor) as exc:
        print(f"newswatch search: {exc}", file=sys.stderr)
        return 2
    if args.json:
        for hit in page.hits:
            print(hit_json(hit))
    else:
        print(hits_table(page.hits, page.total, color=sys.stdout.isatty()))
        if page.next_cursor:
            print(f"\nmore: --cursor {page.next_cursor}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    config = config_from(args)
    try:
        request = build_request(args.query, **request_kwargs(args))
        with make_backend(config) as backend:
            aggs = backend.aggregate(resolve(config, request, backend, "stats"), size=args.top)
    except (QuerySyntaxError, FilterError) as exc:
        print(f"newswatch stats: {exc}", file=sys.stderr)
        return 2
    print(aggregations_text(aggs))
    return 0
