"""Crawl throughput, two page mixes x two backends: full crawl vs trafilatura vs news-please.

    .venv/bin/python -m bench.crawl_throughput [--rounds 3] [--mixes small,realistic]
        [--backends embedded,elasticsearch] [--es-url URL] [--small-stories 200]
        [--newsplease-python /tmp/npvenv/bin/python] [--newsplease-sample 150]

Mixes (bench/crawl_mixes.py): "small", the test harness's mock news web (~1,000 generated
article pages of ~3 KB, four copies per story) and "realistic", the story web (the 80 real
~100 KB pages of ../shared/benchmarks/fundus-evaluation and their syndicated copies).
Backends: the embedded index and Elasticsearch (the harness's test node unless --es-url).

In every round, for each mix, on the same pages and the same machine:
- full crawl: `python -m crawler crawl --json` into a fresh index, pages fetched / wall
  seconds of the subprocess (start-up included; "without start-up" divides by Scrapy's
  elapsed_time_seconds instead, spider open to close); its CPU (workers included) and the peak RSS
  of the crawl process and of its worker processes;
- trafilatura alone: `bare_extraction` with the crawler's options, one process, over the
  article HTML fetched beforehand; newswatch's whole extraction likewise;
- news-please: `NewsPlease.from_urls` over a sample of the same URLs, in its own virtualenv
  (it pins its own Scrapy): --newsplease-python names its interpreter.

Printed: medians over the rounds, each ratio taken against its baseline of the same round.
Targets (issue 14), both mixes and both backends: full crawl >= 0.7 x trafilatura x cores,
full crawl >= 5 x news-please; time per page outside extraction <= 3 ms on the embedded
index: (crawl time - article pages x newswatch extraction time per page, one process) /
pages fetched, with the crawl's wall time and with its CPU time (workers included).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.crawl_measure import (
    CrawlRun,
    newsplease_check,
    newsplease_run,
    newswatch_extraction_seconds,
    run_crawl,
    trafilatura_seconds,
)
from bench.crawl_mixes import Mix, realistic_mix, small_mix

CORES = os.cpu_count() or 1
TARGET_VS_TRAFILATURA = 0.7  # x trafilatura alone x cores
TARGET_VS_NEWSPLEASE = 5.0
TARGET_OUTSIDE_MS = 3.0  # embedded index


@dataclass
class MixRounds:
    """One mix's measurements, one entry per round."""

    name: str
    pages: int
    average_kb: float
    crawls: dict[str, list[CrawlRun]] = field(default_factory=dict)  # by backend
    trafilatura: list[float] = field(default_factory=list)  # pages/s
    extraction: list[float] = field(default_factory=list)  # newswatch extraction, pages/s
    newsplease: list[float] = field(default_factory=list)  # pages/s


@contextlib.contextmanager
def open_mix(name: str, small_stories: int) -> Iterator[Mix]:
    if name == "small":
        with small_mix(small_stories) as mix:
            yield mix
    elif name == "realistic":
        with realistic_mix() as mix:
            yield mix
    else:
        raise SystemExit(f"unknown mix {name!r}: expected small or realistic")


@contextlib.contextmanager
def elasticsearch(url: str | None, wanted: bool) -> Iterator[str | None]:
    """The URL to crawl into: --es-url, else a test node started for this run."""
    if not wanted or url:
        yield url
        return
    from tests.harness.elasticsearch.node import ElasticsearchNode, prepare

    node = ElasticsearchNode(prepare()).start()
    try:
        yield node.url
    finally:
        node.stop()


def measure(mix: Mix, args: argparse.Namespace, es_url: str | None, work: Path) -> MixRounds:
    result = MixRounds(mix.name, len(mix.pages), mix.average_kb)
    sample = [url for url, _ in mix.pages[: args.newsplease_sample]]
    for round_no in range(args.rounds):
        for backend in args.backends:
            directory = work / f"{mix.name}-{backend}-{round_no}"
            prefix = f"bench{int(time.time())}{round_no}"
            target = es_url if backend == "elasticsearch" else None
            config = mix.configure(directory, target, prefix)
            run = run_crawl(config, directory / "crawl.log")
            result.crawls.setdefault(backend, []).append(run)
        result.trafilatura.append(len(mix.pages) / trafilatura_seconds(mix.pages))
        result.extraction.append(len(mix.pages) / newswatch_extraction_seconds(mix.pages))
        if args.newsplease_problem is None:
            result.newsplease.append(newsplease_run(args.newsplease_python, sample)["pages_per_s"])
        print(f"  {mix.name} round {round_no + 1}/{args.rounds}: {round_line(result)}", flush=True)
    return result


def round_line(result: MixRounds) -> str:
    parts = [f"{b} {runs[-1].pages_per_s:.1f}" for b, runs in result.crawls.items()]
    parts.append(f"trafilatura {result.trafilatura[-1]:.1f}")
    parts.append(f"extraction {result.extraction[-1]:.1f}")
    if result.newsplease:
        parts.append(f"news-please {result.newsplease[-1]:.1f}")
    return "pages/s: " + ", ".join(parts)


def figures(result: MixRounds, backend: str) -> dict[str, float]:
    """Medians over the rounds; every ratio against the same round's baseline."""
    runs = result.crawls[backend]
    per_round: dict[str, list[float]] = {}

    def add(key: str, value: float) -> None:
        per_round.setdefault(key, []).append(value)

    for i, run in enumerate(runs):
        # The crawl extracts the article pages only (not feeds, sitemaps, robots.txt).
        extraction_s = result.pages / result.extraction[i]
        add("crawl", run.pages_per_s)
        add("vs_trafilatura", run.pages_per_s / (result.trafilatura[i] * CORES))
        add("outside_wall_ms", 1000 * (run.seconds - extraction_s) / run.pages)
        add("outside_cpu_ms", 1000 * (run.cpu_s - extraction_s) / run.pages)
        add("cpu_cores", run.cpu_s / run.seconds)
        add("rss_mb", run.rss_mb)
        add("worker_rss_mb", run.worker_rss_mb)
        add("pages_fetched", run.pages)
        if run.engine_seconds:
            add("engine", run.pages / run.engine_seconds)
        if result.newsplease:
            add("vs_newsplease", run.pages_per_s / result.newsplease[i])
    out = {key: statistics.median(values) for key, values in per_round.items()}
    out["rss_mb"] = max(per_round["rss_mb"])  # peaks: the worst round, not the median
    out["worker_rss_mb"] = max(per_round["worker_rss_mb"])
    return out


def verdict(value: float, target: float, at_least: bool) -> str:
    if at_least:
        met = value >= target
        return f"{'met' if met else 'missed'}, x{value / target:.2f} of target"
    met = value <= target
    return f"{'met' if met else 'missed'} by {abs(target - value):.1f} ms"


def report(results: list[MixRounds], args: argparse.Namespace) -> None:
    print(
        f"\n## crawl throughput: medians of {args.rounds} rounds, {CORES} cores, "
        "ratios against the same round's baseline\n"
    )
    for r in results:
        np_text = f"{statistics.median(r.newsplease):.1f}" if r.newsplease else "not measured"
        print(
            f"- {r.name}: {r.pages} article pages, average {r.average_kb:.0f} KB; one process: "
            f"trafilatura {statistics.median(r.trafilatura):.1f} pages/s, newswatch extraction "
            f"{statistics.median(r.extraction):.1f} pages/s; news-please {np_text} pages/s"
        )
    if args.newsplease_problem:
        print(f"- news-please not measured: {args.newsplease_problem}")
    print(
        "\n| mix | backend | crawl pages/s | without start-up | CPU cores "
        "| vs trafilatura x cores (>= 0.7) | vs news-please (>= 5) "
        "| outside extraction ms/page, wall / CPU (<= 3 embedded) "
        "| peak RSS MB crawl / worker |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        for backend in r.crawls:
            f = figures(r, backend)
            vs_np = f"{f['vs_newsplease']:.1f}" if "vs_newsplease" in f else "-"
            engine = f"{f['engine']:.1f}" if "engine" in f else "-"
            print(
                f"| {r.name} | {backend} | {f['crawl']:.1f} | {engine} | {f['cpu_cores']:.2f} "
                f"| {f['vs_trafilatura']:.2f} | {vs_np} "
                f"| {f['outside_wall_ms']:.1f} / {f['outside_cpu_ms']:.1f} "
                f"| {f['rss_mb']:.0f} / {f['worker_rss_mb']:.0f} |"
            )
    print_verdicts(results)


def print_verdicts(results: list[MixRounds]) -> None:
    print("\ntargets:")
    for r in results:
        for backend in r.crawls:
            f = figures(r, backend)
            line = [
                f"crawl {f['crawl']:.1f} pages/s = {f['vs_trafilatura']:.2f} x trafilatura x cores "
                f"({verdict(f['vs_trafilatura'], TARGET_VS_TRAFILATURA, True)})"
            ]
            if "vs_newsplease" in f:
                line.append(
                    f"{f['vs_newsplease']:.1f} x news-please "
                    f"({verdict(f['vs_newsplease'], TARGET_VS_NEWSPLEASE, True)})"
                )
            if backend == "embedded":
                line.append(
                    f"outside extraction {f['outside_wall_ms']:.1f} ms wall "
                    f"({verdict(f['outside_wall_ms'], TARGET_OUTSIDE_MS, False)}), "
                    f"{f['outside_cpu_ms']:.1f} ms CPU "
                    f"({verdict(f['outside_cpu_ms'], TARGET_OUTSIDE_MS, False)})"
                )
            print(f"- {r.name}, {backend}: " + "; ".join(line))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--mixes", default="small,realistic", help="comma-separated")
    parser.add_argument("--backends", default="embedded,elasticsearch", help="comma-separated")
    parser.add_argument("--es-url", help="use this Elasticsearch instead of the test node")
    parser.add_argument("--small-stories", type=int, default=200, help="extra stories (small)")
    parser.add_argument("--newsplease-python", default="/tmp/npvenv/bin/python")
    parser.add_argument("--newsplease-sample", type=int, default=150, help="URLs per round")
    args = parser.parse_args(argv)
    args.mixes = args.mixes.split(",")
    args.backends = args.backends.split(",")
    unknown = set(args.backends) - {"embedded", "elasticsearch"}
    if unknown:
        parser.error(f"unknown backends {sorted(unknown)}: expected embedded, elasticsearch")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.newsplease_problem = newsplease_check(args.newsplease_python)
    results: list[Any] = []
    work = Path(tempfile.mkdtemp(prefix="newswatch-bench-"))
    try:
        with elasticsearch(args.es_url, "elasticsearch" in args.backends) as es_url:
            for name in args.mixes:
                with open_mix(name, args.small_stories) as mix:
                    results.append(measure(mix, args, es_url, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
