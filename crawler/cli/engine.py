"""`newswatch engine`: the long-running crawl engine, driven over stdin/stdout (JSON lines)."""

from __future__ import annotations

import argparse
import logging

from crawler.cli.options import add_config_option, config_from


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "engine",
        help="the crawl engine the scheduler and workers start (JSON lines on stdin/stdout)",
        description="Run polls sent as JSON lines on stdin in one long-running Scrapy "
        "reactor and answer each with its summary on stdout. `newswatch schedule` and "
        "`newswatch worker` start and supervise it; there is no need to run it by hand.",
    )
    add_config_option(parser)
    parser.set_defaults(func=run_engine)


def run_engine(args: argparse.Namespace) -> int:
    config = config_from(args)
    logging.getLogger().setLevel(config.log_level)
    from crawler.engine.child import serve  # Scrapy and the reactor only for this command

    return serve(config)
