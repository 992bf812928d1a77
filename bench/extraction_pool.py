"""Crawl real article pages with extraction inline vs in worker processes, same run.

    .venv/bin/python -m bench.extraction_pool [--rounds 3] [--processes 2]

The pages are the story web of bench/story_quality.py: the 80 real pages of
../shared/benchmarks/fundus-evaluation (about 100 KB each, where extraction is
most of a page's cost) and their syndicated copies, served on loopback. Each
round crawls it into a fresh embedded index once with `crawl.extraction_processes: 0`
(extraction on the reactor thread: the baseline) and once with worker processes,
in turns; medians and the ratio are printed. Start-up is included in each time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.story_quality import crawl, write_config
from bench.storyweb import build_web, load_originals, plan_outlets
from bench.storyweb.server import StoryWebServer


def timed_crawl(web: object, processes: int) -> tuple[float, int]:
    """Seconds and pages fetched for one crawl into a fresh index."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        config = write_config(web, directory)  # type: ignore[arg-type]
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["crawl"]["extraction_processes"] = processes
        config.write_text(yaml.safe_dump(settings), encoding="utf-8")
        started = time.perf_counter()
        summary = crawl(config, directory / "crawl.log")
        return time.perf_counter() - started, int(summary["pages_fetched"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--processes", type=int, default=2, help="worker processes to compare")
    args = parser.parse_args(argv)
    originals = load_originals()
    runs: dict[int, list[tuple[float, int]]] = {0: [], args.processes: []}
    with StoryWebServer(plan_outlets(originals)) as server:
        web = build_web(server.bases, seed=0, originals=originals)
        server.publish(web.files)
        for _ in range(args.rounds):
            for processes in runs:
                runs[processes].append(timed_crawl(web, processes))
    rates = {}
    for processes, timings in runs.items():
        seconds = statistics.median(t for t, _ in timings)
        pages = timings[0][1]
        rates[processes] = pages / seconds
        label = "inline (baseline)" if processes == 0 else f"{processes} worker processes"
        print(
            f"extraction {label:22s} median {seconds:6.2f} s for {pages} pages: "
            f"{rates[processes]:6.1f} pages/s  (runs: {', '.join(f'{t:.2f}' for t, _ in timings)})"
        )
    print(f"ratio workers / inline: x{rates[args.processes] / rates[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
