"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from crawler.config import load_config

if TYPE_CHECKING:
    from crawler.config import Config


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
    """The story filters shared by search, stats and export."""
    parser.add_argument(
        "query", nargs="?", default="", help="query, e.g. '\"North Korea\" AND troops'"
    )
    parser.add_argument("--topic", action="append", default=[], help="only stories of this topic")
    parser.add_argument(
        "--outlet", action="append", default=[], help="only stories this outlet ran"
    )
    parser.add_argument("--language", action="append", default=[], help="ISO code, e.g. en")
    parser.add_argument("--since", help="7d, 12h or an ISO date (published on or after)")
    parser.add_argument("--until", help="7d, 12h or an ISO date (published before)")
    parser.add_argument(
        "--min-outlets", type=int, default=1, metavar="N", help="stories run by at least N outlets"
    )


def request_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "topics": args.topic,
        "outlets": args.outlet,
        "languages": args.language,
        "since": args.since,
        "until": args.until,
        "min_outlets": args.min_outlets,
    }
