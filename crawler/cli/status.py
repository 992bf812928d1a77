"""`newswatch status`: the scheduler's view of every source."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from crawler.cli.options import add_config_option, config_from
from crawler.cli.schedule import broker_problem
from crawler.index import make_backend
from scheduler.jobstore import jobstore_url, make_engine
from scheduler.status import collect, format_table

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index.search_index import SearchIndex


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
        alerts = alerts_status(config, backend)
    if alerts is not None:
        status["alerts"] = alerts
    print(json.dumps(status, indent=2) if args.json else format_table(status))
    if alerts is not None and not args.json:
        print(alerts_line(alerts))
    # Queue mode: the table above shows the sources; a broker that is wrong or away fails it.
    return broker_problem(config, "status")


def alerts_status(config: Config, backend: SearchIndex) -> dict[str, Any] | None:
    if not config.alerts.rules:
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
