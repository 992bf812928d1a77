"""`newswatch status`: the scheduler's view of every source."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from crawler.cli.options import add_config_option, config_from
from crawler.cli.schedule import broker_problem
from crawler.config import ConfigError
from crawler.index import make_backend
from scheduler.jobstore import jobstore_url, make_engine
from scheduler.status import STATES, StatusFilter, collect, format_table

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index.search_index import SearchIndex

#: Sources the table lists unless --limit says otherwise (the summary line counts them all).
TABLE_LIMIT = 100


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "status",
        help="each source's last run, outcome, next run, interval and totals",
    )
    add_config_option(parser)
    add_filter_options(parser)
    parser.add_argument("--json", action="store_true", help="one JSON document, for scripts")
    parser.set_defaults(func=run_status)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """--state, --source, --limit, --offset: which sources to list (status, sources list)."""
    parser.add_argument(
        "--state",
        action="append",
        choices=STATES,
        help="only sources in this state (repeatable)",
    )
    parser.add_argument("--source", metavar="GLOB", help="only sources whose name matches")
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help=f"list at most this many (default: {TABLE_LIMIT} in the table, all with --json)",
    )
    parser.add_argument("--offset", type=int, default=0, help="skip this many first")


def status_filter(args: argparse.Namespace) -> StatusFilter:
    limit = args.limit if args.limit is not None else (None if args.json else TABLE_LIMIT)
    if (limit is not None and limit < 0) or args.offset < 0:
        raise ConfigError("--limit and --offset must be 0 or more")
    return StatusFilter(frozenset(args.state or ()), args.source, limit, args.offset)


def run_status(args: argparse.Namespace) -> int:
    config = config_from(args)
    where = status_filter(args)
    with make_backend(config) as backend:
        status = collect(config, backend, make_engine(jobstore_url(config)), where)
        alerts = alerts_status(config, backend)
    if alerts is not None:
        status["alerts"] = alerts
    print(json.dumps(status, indent=2) if args.json else format_table(status))
    if alerts is not None and not args.json:
        print(alerts_line(alerts))
    # Queue mode: the table above shows the sources; a broker that is wrong or away fails it.
    return broker_problem(config, "status")


def alerts_status(config: Config, backend: SearchIndex) -> dict[str, Any] | None:
    if not config.alerts.rules and not config.alerts.channels:
        return None
    from crawler.alerts.service import AlertService

    service = AlertService(config.alerts, backend)
    try:
        return service.status(dead_limit=5)
    finally:
        service.close()


def alerts_line(alerts: dict[str, Any]) -> str:
    sent = sum(row["sent"] for row in alerts["rules"])
    queued = sum(row["queued"] for row in alerts["rules"])
    line = f"alerts: {len(alerts['rules'])} rules, {sent} sent, {queued} queued for digests"
    if alerts["dead_total"]:
        line += f", {alerts['dead_total']} DEAD LETTERS (newswatch alerts status)"
    return line
