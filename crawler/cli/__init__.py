"""The `newswatch` command: one subcommand per module in this package."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from crawler.config import ConfigError

# Each module has `register(subparsers)`, which adds its subcommand(s) and sets
# `func(args) -> int` as the handler.
SUBCOMMAND_MODULES = (
    "crawler.cli.crawl",
    "crawler.cli.schedule",
    "crawler.cli.worker",
    "crawler.cli.engine",
    "crawler.cli.status",
    "crawler.cli.sources",
    "crawler.cli.search",
    "crawler.cli.export",
    "crawler.cli.index",
    "crawler.cli.serve",
    "crawler.cli.dedup",
    "crawler.cli.furniture",
    "crawler.cli.setup",
    "crawler.cli.health",
    "crawler.cli.alerts",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newswatch", description="Media monitoring: crawl, de-duplicate, search."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        # A subcommand that fails to import is a broken install: let it fail loudly.
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
