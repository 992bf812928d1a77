"""`newswatch setup elasticsearch|kibana`: the compose stack's one-shot set-up steps.

Passwords for the users it creates come from the environment (compose passes
them from .env); they are read here, at the edge, and never logged.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from typing import TYPE_CHECKING

from crawler.cli.options import add_config_option, config_from
from crawler.index.elasticsearch.client import IndexNames, describe, make_client
from crawler.index.elasticsearch.setup import init
from crawler.stack.kibana import KibanaClient, KibanaError, apply_kibana_objects
from crawler.stack.security import MissingSecret, apply_security

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)
PASSWORD_VARIABLES = ("NEWSWATCH_WRITER_PASSWORD", "NEWSWATCH_READER_PASSWORD")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("setup", help="one-shot set-up of the compose stack")
    steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")
    elastic = steps.add_parser(
        "elasticsearch", help="roles, users, kibana_system password, index templates and aliases"
    )
    add_config_option(elastic)
    elastic.add_argument(
        "--skip-security",
        action="store_true",
        help="only apply the index set-up (clusters whose security is managed elsewhere)",
    )
    elastic.add_argument("--wait", type=float, default=300, metavar="SECONDS")
    elastic.set_defaults(func=run_elasticsearch)
    kibana = steps.add_parser("kibana", help="the data view and one saved search per topic")
    add_config_option(kibana)
    kibana.add_argument("--kibana-url", default=os.environ.get("NEWSWATCH_KIBANA_URL"))
    kibana.set_defaults(func=run_kibana)


def run_elasticsearch(args: argparse.Namespace) -> int:
    config = config_from(args)
    es = config.index.elasticsearch
    client = make_client(es)
    if not _wait_for_cluster(client, args.wait):
        print(f"newswatch setup: Elasticsearch at {describe(es)} did not answer", file=sys.stderr)
        return 1
    if not args.skip_security:
        try:
            users = apply_security(
                client,
                es.index_prefix,
                passwords={name: os.environ.get(name, "") for name in PASSWORD_VARIABLES},
                kibana_password=_required("KIBANA_PASSWORD"),
            )
        except MissingSecret as exc:
            print(f"newswatch setup: {exc}", file=sys.stderr)
            return 2
        print(f"users ready: {', '.join(users)}")
    report = init(client, IndexNames(es.index_prefix))
    print(f"indices ready (created: {', '.join(report['created']) or 'none'})")
    return 0


def run_kibana(args: argparse.Namespace) -> int:
    config = config_from(args)
    es = config.index.elasticsearch
    if not args.kibana_url:
        print("newswatch setup kibana: give --kibana-url or NEWSWATCH_KIBANA_URL", file=sys.stderr)
        return 2
    kibana = KibanaClient(args.kibana_url, es.username or "elastic", es.password or "")
    try:
        ids = apply_kibana_objects(kibana, es.index_prefix, list(config.topics))
    except (KibanaError, OSError) as exc:
        print(f"newswatch setup kibana: {exc}", file=sys.stderr)
        return 1
    print(f"kibana objects ready: {', '.join(ids)}")
    return 0


def _required(variable: str) -> str:
    value = os.environ.get(variable, "")
    if not value:
        raise MissingSecret(f"{variable} is not set")
    return value


def _wait_for_cluster(client: Elasticsearch, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        try:
            client.cluster.health(wait_for_status="yellow", timeout="10s")
            return True
        except Exception as exc:  # connection refused, TLS not ready, 503 while starting
            if time.monotonic() > deadline:
                logger.error("Elasticsearch not ready: %s", exc)
                return False
            time.sleep(2)
