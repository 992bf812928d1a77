"""`newswatch dedup reconcile`: merge stories that turn out to be copies of each other."""

from __future__ import annotations

import argparse
import json

from crawler.cli.options import add_config_option, config_from
from crawler.dedup.reconcile import reconcile
from crawler.index import make_backend


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("dedup", help="syndicated-copy de-duplication tools")
    commands = parser.add_subparsers(dest="dedup_command", required=True, metavar="ACTION")
    run = commands.add_parser(
        "reconcile",
        help="re-check stories against each other and merge the ones that are copies",
        description=(
            "Re-check every story against its dedup candidates (shared URLs, content "
            "hashes, LSH band keys) and merge stories that are copies of one story. "
            "Idempotent: a second run merges nothing."
        ),
    )
    add_config_option(run)
    run.add_argument("--dry-run", action="store_true", help="report merges without writing")
    run.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    run.set_defaults(func=handle_reconcile)


def handle_reconcile(args: argparse.Namespace) -> int:
    config = config_from(args)
    with make_backend(config) as backend:
        report = reconcile(backend, dry_run=args.dry_run)
    summary = {
        "checked": report.checked,
        "merged": len(report.merged),
        "pairs": [{"kept": kept, "merged": merged} for kept, merged in report.merged],
        "dry_run": args.dry_run,
    }
    if args.json:
        print(json.dumps(summary))
    else:
        verb = "would merge" if args.dry_run else "merged"
        print(f"checked {report.checked} stories, {verb} {len(report.merged)}")
        for kept, merged in report.merged:
            print(f"  {merged} -> {kept}")
    return 0
