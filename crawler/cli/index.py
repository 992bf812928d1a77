"""`newswatch index init|status|migrate|rollover`: set up and evolve the Elasticsearch indices."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from elastic_transport import TransportError
from elasticsearch import ApiError

from crawler.cli.options import add_config_option, config_from
from crawler.index.elasticsearch.client import IndexNames, describe, make_client
from crawler.index.elasticsearch.deadletter import DeadLetters
from crawler.index.elasticsearch.migrate import migrate, rollover
from crawler.index.elasticsearch.setup import init, status
from crawler.index.elasticsearch.spool import Spool

if TYPE_CHECKING:
    from pathlib import Path

    from elasticsearch import Elasticsearch


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "index",
        help="set up and evolve the Elasticsearch indices",
        description="Apply index_mappings/ to the Elasticsearch cluster and manage the "
        "story alias (the embedded backend needs none of this).",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name, text in (
        ("init", "create templates, the story write alias and the other indices (idempotent)"),
        ("status", "show the alias, indices, document counts and mapping versions"),
        ("migrate", "copy the stories into a new index with the current mapping, move the alias"),
        ("rollover", "start a new write index when a condition is met"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        add_config_option(action)
        action.add_argument("--json", action="store_true", help="print one JSON object")
        action.set_defaults(func=handle)
    migrate_parser = actions.choices["migrate"]
    migrate_parser.add_argument(
        "--delete-old",
        action="store_true",
        help="delete the old indices once every document is copied",
    )
    roll = actions.choices["rollover"]
    roll.add_argument("--max-age", help="e.g. 30d: roll over when the write index is older")
    roll.add_argument("--max-docs", type=int, help="roll over past this many documents")
    roll.add_argument("--max-size", help="e.g. 25gb: roll over past this primary shard size")
    roll.add_argument("--dry-run", action="store_true", help="only say whether it would")


def handle(args: argparse.Namespace) -> int:
    full = config_from(args)
    if full.index.backend != "elasticsearch":
        print(
            "newswatch index: the configured backend is the embedded one, which needs no "
            "set-up (set index.backend: elasticsearch or NEWSWATCH_INDEX_BACKEND)",
            file=sys.stderr,
        )
        return 0
    config = full.index.elasticsearch
    names = IndexNames(config.index_prefix)
    client = make_client(config)
    try:
        result = _run(args, client, names)
    except TransportError as exc:
        print(
            f"newswatch index: cannot reach Elasticsearch at {describe(config)}: "
            f"{type(exc).__name__}",
            file=sys.stderr,
        )
        return 1
    except (ApiError, RuntimeError) as exc:
        print(f"newswatch index {args.action}: {exc}", file=sys.stderr)
        return 1
    finally:
        client.close()
    if args.action in ("init", "status"):
        result.update(_local_state(full.state_dir, names))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(_describe(args.action, result))
    return 0


def _run(args: argparse.Namespace, client: Elasticsearch, names: IndexNames) -> dict[str, Any]:
    if args.action == "init":
        report = init(client, names)
        return {**report, **status(client, names)}
    if args.action == "status":
        return status(client, names)
    if args.action == "migrate":
        return migrate(client, names, delete_old=args.delete_old)
    conditions = {
        key: value
        for key, value in (
            ("max_age", args.max_age),
            ("max_docs", args.max_docs),
            ("max_primary_shard_size", args.max_size),
        )
        if value is not None
    }
    return rollover(client, names, conditions, dry_run=args.dry_run)


def _local_state(state_dir: Path, names: IndexNames) -> dict[str, Any]:
    """What this machine holds back: spooled writes and dead letters."""
    spool_path = state_dir / f"{names.prefix}-spool.sqlite3"
    letters = DeadLetters(state_dir / f"{names.prefix}-dead-letters.jsonl")
    spooled = 0
    if spool_path.exists():
        spool = Spool(spool_path)
        spooled = len(spool)
        spool.close()
    return {
        "spooled": spooled,
        "spool": str(spool_path),
        "dead_letters": len(letters.read()),
        "dead_letter_file": str(letters.path),
    }


def _describe(action: str, result: dict[str, Any]) -> str:
    if action == "migrate":
        return (
            f"migrated {result['from']} -> {result['to']}: {result['copied']} documents "
            f"copied, {result['caught_up']} caught up after the alias swap; "
            f"{result['docs_after']} documents behind the alias"
            + ("; old indices deleted" if result["deleted_old"] else "")
        )
    if action == "rollover":
        verb = "would roll" if result["dry_run"] else "rolled"
        if not result["rolled_over"] and not result["dry_run"]:
            return f"no rollover: conditions not met {result['conditions']}"
        return f"{verb} over {result['old_index']} -> {result['new_index']}"
    lines = []
    if action == "init":
        lines.append("created: " + (", ".join(result["created"]) or "nothing (all there)"))
        lines.append(f"index lifecycle management: {'on' if result['ilm'] else 'not available'}")
    migration = "  (run `newswatch index migrate`)" if result["needs_migration"] else ""
    lines.append(f"alias {result['alias']} -> write index {result['write_index']}")
    lines.append(
        f"mapping version {result['mapping_version']} "
        f"(index_mappings: {result['expected_mapping_version']}){migration}"
    )
    lines.append(f"spool: {result['spooled']} writes waiting in {result['spool']}")
    lines.append(f"dead letters: {result['dead_letters']} in {result['dead_letter_file']}")
    lines.append(f"{'index':<40} {'kind':<8} {'docs':>10}  version  alias")
    for row in result["indices"]:
        alias = ("write" if row["is_write_index"] else "read") if row["alias"] else ""
        lines.append(
            f"{row['index']:<40} {row['kind']:<8} {row['docs']:>10}  "
            f"{row['mapping_version']!s:>7}  {alias}"
        )
    return "\n".join(lines)
