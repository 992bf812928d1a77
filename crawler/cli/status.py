"""`newswatch status`: the scheduler's view of every source."""

from __future__ import annotations

import argparse
import json

from crawler.cli.options import add_config_option, config_from
from crawler.index import make_backend
from scheduler.jobstore import jobstore_url, make_engine
from scheduler.status import collect, format_table


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="each source's last run, outcome, next run, interval and totals",
    )
    add_config_option(parser)
    parser.add_argument("--json", action="store_true", help="one JSON document, for scripts")
    parser.set_defaults(func=run_status)


def run_status(args: argparse.Namespace) -> int:
    config = config_from(args)
    with make_backend(config) as backend:
        status = collect(config, backend, make_engine(jobstore_url(config)))
    print(json.dumps(status, indent=2) if args.json else format_table(status))
    return 0
