"""`newswatch alerts list|test NAME|run|status`: the alert rules, for operators."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from crawler.alerts.overview import rule_rows
from crawler.cli.options import add_config_option, config_from
from crawler.config import ConfigError
from crawler.index import make_backend

if TYPE_CHECKING:
    pass


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("alerts", help="list, test, run and check the alert rules")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, help_text in (
        ("list", "the configured rules (the config is validated first)"),
        ("test", "send a sample alert of one rule now"),
        ("run", "scan for new alerts and send them now"),
        ("status", "what each rule sent, what waits for a digest, the dead letters"),
    ):
        action = actions.add_parser(name, help=help_text)
        add_config_option(action)
        action.add_argument("--json", action="store_true", help="one JSON document")
        action.set_defaults(func=handle)
    actions.choices["test"].add_argument("name", help="the rule's name")
    actions.choices["run"].add_argument(
        "--digests", action="store_true", help="also send every digest's queued alerts now"
    )


def handle(args: argparse.Namespace) -> int:
    config = config_from(args)
    if args.action == "list":
        return _print(args, {"rules": rule_rows(config.alerts.rules)}, _rules_table)
    if args.action == "test":
        try:
            config.alerts.rule(args.name)
        except KeyError:
            known = ", ".join(r.name for r in config.alerts.rules) or "none configured"
            raise ConfigError(f"alerts test: no rule {args.name!r} (rules: {known})") from None
    from crawler.alerts.service import AlertService

    with make_backend(config) as backend:
        service = AlertService(config.alerts, backend)
        try:
            if args.action == "test":
                ok = service.test(args.name)
                print(f"{args.name}: {'sent' if ok else 'failed (see the log)'}")
                return 0 if ok else 1
            if args.action == "run":
                report = service.run().as_dict()
                if args.digests:
                    for rule in service.refresh_rules():
                        if rule.mode == "digest":
                            report[f"digest/{rule.name}"] = service.digest(rule.name).as_dict()
                return _print(args, report, lambda r: json.dumps(r, indent=2))
            return _print(args, service.status(), status_text)
        finally:
            service.close()


def _rules_table(data: dict[str, Any]) -> str:
    if not data["rules"]:
        return "no alert rules configured (see README, Alerts)"
    lines = []
    for row in data["rules"]:
        scope = row["query"] or "topics: " + ", ".join(row["topics"])
        lines.append(
            f"{row['name']}  {row['kind']}  {row['when']}  {scope}  -> {', '.join(row['notify'])}"
        )
    return "\n".join(lines)


def status_text(status: dict[str, Any]) -> str:
    lines = ["RULE  KIND  MODE  SENT  QUEUED  SENDING  DEAD"]
    for row in status["rules"]:
        lines.append(
            f"{row['rule']}  {row['kind']}  {row['mode']}  {row['sent']}  {row['queued']}  "
            f"{row['sending']}  {row['dead']}"
        )
    if status["dead_letters"]:
        lines.append(f"dead letters ({status['dead_total']}):")
        for dead in status["dead_letters"]:
            lines.append(
                f"  {dead['updated']}  {dead['key']}  after {dead['attempts']} tries: "
                f"{dead['error']}"
            )
    return "\n".join(lines)


def _print(args: argparse.Namespace, data: dict[str, Any], text: Any) -> int:
    print(json.dumps(data, indent=2) if args.json else text(data), file=sys.stdout)
    return 0
