"""`python -m tests.harness.newsweb`: serve the mock news web until killed; prints its address."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from datetime import datetime

from tests.harness.newsweb.server import MockWeb
from tests.harness.newsweb.world import WORLDS, default_now, make_world


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.harness.newsweb", description=__doc__)
    parser.add_argument(
        "--world",
        choices=WORLDS,
        default="core",
        help="core (the English world, world.py) or multilingual (multilingual/)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--extra-stories", type=int, default=0)
    parser.add_argument("--copies-per-story", type=int, default=None)
    parser.add_argument("--port", type=int, default=0, help="shared port (0: pick a free one)")
    parser.add_argument(
        "--now",
        type=datetime.fromisoformat,
        default=None,
        help="the world's clock, ISO 8601 with offset (default: the current hour, UTC)",
    )
    parser.add_argument("--slow-delay", type=float, default=5.0, help="seconds for the slow page")
    parser.add_argument("--huge-bytes", type=int, default=None, help="size of the oversized pages")
    parser.add_argument("--feed-limit", type=int, default=100, help="entries per feed")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when the process that started this one dies (used by the test fixture)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s newsweb %(message)s")
    now = args.now or default_now()
    world = make_world(args.world, args.seed, args.extra_stories, args.copies_per_story, now)
    web = MockWeb(
        world,
        port=args.port,
        slow_delay=args.slow_delay,
        huge_bytes=args.huge_bytes,
        feed_limit=args.feed_limit,
        verbose=args.verbose,
    )
    web.serve_in_threads()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.exit_with_parent:
        threading.Thread(target=_watch_parent, args=(stop,), daemon=True).start()
    announce = {
        "port": web.port,
        "outlets": {o.key: web.bases[o.key] for o in world.outlets},
        "offsite": web.bases[world.offsite.key],
        "world": args.world,
        "seed": args.seed,
        "extra_stories": args.extra_stories,
        "copies_per_story": args.copies_per_story,
        "now": now.isoformat(),
        "pages": len(world.copies),
    }
    print(json.dumps(announce), flush=True)
    stop.wait()
    web.shutdown()
    return 0


def _watch_parent(stop: threading.Event) -> None:
    # A killed test run must not leave servers behind: orphans get re-parented.
    parent = os.getppid()
    while not stop.wait(1.0):
        if os.getppid() != parent:
            stop.set()


if __name__ == "__main__":
    sys.exit(main())
