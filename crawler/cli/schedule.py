"""`newswatch schedule` (the scheduler service) and `newswatch run-now SOURCE`."""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import sys
from typing import TYPE_CHECKING

from crawler.cli.options import add_config_option, config_from
from crawler.index import make_backend
from scheduler.clock import SystemClock
from scheduler.control import RunRequests
from scheduler.jobstore import jobstore_url, make_engine, next_run_times
from scheduler.ledger import Ledger
from scheduler.lock import AlreadyRunning, running_pid
from scheduler.runner import DEFAULT_COMMAND, CrawlRunner, EngineRunner, Runner
from scheduler.service import SchedulerService, stop_on_signals
from scheduler.state import StateStore

if TYPE_CHECKING:
    from crawler.config import Config
    from crawler.index.backend import IndexBackend


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    schedule = subparsers.add_parser(
        "schedule",
        help="run the scheduler service in the foreground",
        description="Crawl every source on its schedule until SIGTERM/SIGINT. A first signal "
        "lets running crawls finish (within crawl.time_limit), a second one stops them.",
    )
    add_config_option(schedule)
    add_runner_options(schedule)
    schedule.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="crawls running at once (default: crawl.engine.concurrency; 4 with "
        "crawl.engine.mode: process)",
    )
    schedule.add_argument(
        "--poll",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="how often the service reads run requests and acts on a stop signal "
        "(default 1): how soon run-now and SIGTERM take effect",
    )
    schedule.add_argument(
        "--stop-wait",
        type=float,
        metavar="SECONDS",
        help="at a stop, how long running crawls may go on before they are stopped "
        "(default: until crawl.time_limit); keep it plus --grace under the container's "
        "stop timeout",
    )
    schedule.set_defaults(func=run_schedule)

    run_now = subparsers.add_parser(
        "run-now",
        help="crawl one source now",
        description="A run request to the running scheduler when the service runs (it "
        "starts the crawl within --poll seconds, after a crawl of the source already "
        "running), else the crawl runs in this process (the run is recorded either way).",
    )
    run_now.add_argument("source", help="the source's name in the config")
    add_config_option(run_now)
    add_runner_options(run_now)
    run_now.set_defaults(func=run_now_command)


def add_runner_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--crawl-command",
        type=shlex.split,
        metavar="COMMAND",
        help="run each crawl as this command, a process per crawl (as crawl.engine.mode: "
        "process does), instead of in the crawl engine; --config, --source and --json are "
        "appended (process mode's default: python -m crawler crawl; e.g. 'nice -n 10 "
        "newswatch crawl')",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="at the time limit, how long a crawl has between SIGTERM and SIGKILL (default 30)",
    )


def make_runner(args: argparse.Namespace, config: Config) -> CrawlRunner | EngineRunner:
    """The crawl engine (default), or a process per crawl with crawl.engine.mode: process."""
    time_limit = config.crawl.time_limit.total_seconds()
    if config.crawl.engine.mode == "process" or args.crawl_command:
        command = args.crawl_command or DEFAULT_COMMAND
        return CrawlRunner(args.config, time_limit=time_limit, grace=args.grace, command=command)
    return EngineRunner(
        args.config, time_limit=time_limit, concurrency=config.crawl.engine.concurrency
    )


def _workers(args: argparse.Namespace, config: Config) -> int:
    if args.workers is not None:
        return int(args.workers)
    processes = config.crawl.engine.mode == "process" or args.crawl_command
    return 4 if processes else config.crawl.engine.concurrency


def _dispatcher(config: Config, backend: IndexBackend) -> Runner:
    from scheduler.queue.dispatch import QueueRunner  # needs the broker's client only in queue mode

    return QueueRunner(
        config.dispatch,
        misfire_grace=config.scheduler.misfire_grace.total_seconds(),
        time_limit=config.crawl.time_limit.total_seconds(),
        history=backend,
    )


def broker_problem(config: Config, command: str) -> int:
    """Queue mode: 0 when the broker answers, else the exit code, its one line printed."""
    if config.dispatch.mode != "queue":
        return 0
    from scheduler.queue.preflight import check

    problem = check(config.dispatch)
    if problem is None:
        return 0
    print(problem.line(command), file=sys.stderr)
    return problem.code


def run_schedule(args: argparse.Namespace) -> int:
    config = config_from(args)
    logging.getLogger().setLevel(config.log_level)
    if code := broker_problem(config, "schedule"):
        return code
    queued = config.dispatch.mode == "queue"
    runner: Runner | None = None if queued else make_runner(args, config)
    try:
        with make_backend(config) as backend:
            if runner is None:
                runner = _dispatcher(config, backend)
            service = SchedulerService(
                config,
                runner,
                backend,
                # Queue mode: a thread only waits for a worker's result.
                max_workers=config.dispatch.max_in_flight if queued else _workers(args, config),
                poll_interval=args.poll,
                stop_wait=args.stop_wait,
            )
            try:
                with stop_on_signals(service):
                    service.run()
            except AlreadyRunning as exc:
                print(f"newswatch schedule: {exc}", file=sys.stderr)
                return 1
    finally:
        if isinstance(runner, EngineRunner):
            runner.close()
    return 0


def run_now_command(args: argparse.Namespace) -> int:
    config = config_from(args)
    try:
        source = config.source(args.source)
    except KeyError:
        names = ", ".join(s.name for s in config.sources)
        print(f"newswatch run-now: no source {args.source!r} (sources: {names})", file=sys.stderr)
        return 2
    engine = make_engine(jobstore_url(config))
    pid = running_pid(config.state_dir)
    if pid is not None:
        if source.name not in next_run_times(engine):
            print(
                f"newswatch run-now: the running scheduler (pid {pid}) has no job for "
                f"{source.name}; restart it to apply the config",
                file=sys.stderr,
            )
            return 1
        # The service reads its run requests every --poll seconds (scheduler/control.py).
        RunRequests(engine).add(source.name, SystemClock().now())
        print(f"{source.name}: run requested from the running scheduler (pid {pid})")
        return 0
    runner = make_runner(args, config)
    try:
        with make_backend(config) as backend:
            ledger = Ledger(config, StateStore(engine), backend)
            result = runner.run(source.name)
            entry = ledger.record(source, result)
    finally:
        if isinstance(runner, EngineRunner):
            runner.close()
    print(json.dumps(entry.run, sort_keys=True))
    return 0 if result.outcome == "ok" else 1
