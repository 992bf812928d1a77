"""`newswatch crawl`: one crawl pass now, with progress lines and a summary."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from crawler.cli.options import add_config_option, config_from
from crawler.config import ConfigError

logger = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="crawl the configured sources once now",
        description="Crawl the configured sources once: fetch, extract, match topics, "
        "de-duplicate and index. Exit code 0 when the crawl ran (even with per-URL "
        "errors), 2 for config errors, 1 otherwise.",
    )
    add_config_option(parser)
    parser.add_argument(
        "--topic", action="append", metavar="NAME", help="tag only this topic (repeatable)"
    )
    parser.add_argument(
        "--source", action="append", metavar="NAME", help="crawl only this source (repeatable)"
    )
    parser.add_argument(
        "--json", action="store_true", help="end stdout with a one-line JSON summary"
    )
    parser.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    config = config_from(args)
    where = args.config or "the default config"
    for option, names, known in (
        ("--topic", args.topic or [], [t.name for t in config.topics]),
        ("--source", args.source or [], [s.name for s in config.sources]),
    ):
        for name in names:
            if name not in known:
                raise ConfigError(
                    f"{where}: {option} {name!r} is not configured (expected one of: "
                    f"{', '.join(known)})"
                )
    logging.getLogger().setLevel(config.log_level)
    # Imported here: Scrapy and the reactor are not needed to print --help.
    from crawler.crawl.summary import human_summary
    from crawler.runner import run_crawl

    try:
        summary = run_crawl(config, topics=args.topic, sources=args.source)
    except Exception:
        logger.exception("The crawl could not run")
        return 1
    print(human_summary(summary), file=sys.stderr if args.json else sys.stdout, flush=True)
    if args.json:
        print(json.dumps(summary, sort_keys=False), flush=True)
    return 0 if summary["finished_reason"] != "unknown" else 1
