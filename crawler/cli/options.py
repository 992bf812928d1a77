"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from crawler.config import load_config
from crawler.search.names import NameDirectory
from crawler.search.request import FILTERS

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index import SearchIndex, SearchRequest


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        "-c",
        metavar="FILE",
        help="YAML config file (default: the shipped crawler/config/default.yaml)",
    )


def config_from(args: argparse.Namespace) -> Config:
    return load_config(args.config)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The query and the story filters (crawler/search/request.py FILTERS)."""
    parser.add_argument(
        "query", nargs="?", default="", help="query, e.g. '\"North Korea\" AND troops'"
    )
    for spec in FILTERS:
        many = spec.kind == "list"
        parser.add_argument(
            spec.option,
            dest=spec.name,
            action="append" if many else "store",
            default=[] if many else None,
            metavar="N" if spec.kind == "count" else None,
            help=spec.help + (" (repeat or comma-separate)" if many else ""),
        )


def request_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """The filters as given, for build_request (which reads and checks them)."""
    return {spec.name: getattr(args, spec.name) for spec in FILTERS}


def resolve(
    config: Config, request: SearchRequest, index: SearchIndex, command: str
) -> SearchRequest:
    """The request with the filters' names as stored; a name that names nothing is said
    on stderr (the search then finds nothing for it, as the web app and API report)."""
    found = NameDirectory.from_config(config).resolve(request, index)
    for unknown in found.unknown:
        print(f"newswatch {command}: {unknown.message}", file=sys.stderr)
    return found.request
