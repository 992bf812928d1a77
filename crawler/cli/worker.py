"""`newswatch worker`: take crawl jobs from the queue (dispatch.mode: queue) and run them."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading

from crawler.cli.options import add_config_option, config_from
from crawler.cli.schedule import add_runner_options, broker_problem
from scheduler.queue.broker import ConnectionErrors
from scheduler.queue.worker import CrawlWorker


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="run crawl jobs the scheduler queues (dispatch.mode: queue)",
        description="Take crawl jobs from the broker until SIGTERM/SIGINT. A first signal "
        "lets running crawls finish (within crawl.time_limit), a second one stops them. "
        "Start as many as you like, on any machine that reaches the broker and the index.",
    )
    add_config_option(parser)
    add_runner_options(parser)
    parser.add_argument(
        "--concurrency",
        type=int,
        metavar="N",
        help="crawls at once (default: crawl.engine.concurrency; 1 with crawl.engine.mode: "
        "process)",
    )
    parser.add_argument("--name", help="the name in run history and status (default: HOSTNAME:PID)")
    parser.set_defaults(func=run_worker)


def run_worker(args: argparse.Namespace) -> int:
    config = config_from(args)
    logging.getLogger().setLevel(config.log_level)
    if config.dispatch.mode != "queue":
        print(
            "newswatch worker: dispatch.mode is 'embedded': the scheduler runs crawls itself; "
            "set dispatch.mode: queue (or NEWSWATCH_DISPATCH_MODE=queue) on both",
            file=sys.stderr,
        )
        return 2
    if code := broker_problem(config, "worker"):
        return code
    worker = CrawlWorker(
        config,
        args.config,
        name=args.name,
        concurrency=args.concurrency,
        grace=args.grace,
        command=args.crawl_command,
    )
    stop = threading.Event()

    def handle(signum: int, frame: object) -> None:
        if stop.is_set():
            worker.expire_all()  # asked twice: stop the running crawls now
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, handle)
    try:
        worker.run(stop)
    except ConnectionErrors as exc:
        print(f"newswatch worker: broker {config.dispatch.broker_url}: {exc}", file=sys.stderr)
        return 1
    return 0
