"""`newswatch health`: exit 0 when the configured index answers (container healthchecks)."""

from __future__ import annotations

import argparse
import logging
import sys

from crawler.cli.options import add_config_option, config_from
from crawler.index import make_backend


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("health", help="check that the configured index answers")
    add_config_option(parser)
    parser.set_defaults(func=run_health)


def run_health(args: argparse.Namespace) -> int:
    config = config_from(args)
    logging.getLogger().setLevel(logging.WARNING)  # a healthcheck prints one line
    try:
        with make_backend(config) as backend:
            stories = backend.count()
    except Exception as exc:  # any failure means unhealthy; say which
        print(f"unhealthy: {config.index.backend} index: {exc}", file=sys.stderr)
        return 1
    print(f"ok: {config.index.backend} index with {stories} stories")
    return 0
