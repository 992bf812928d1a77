"""Polling capacity: loopback outlets polled by `newswatch schedule`, engine vs process per poll.

    .venv/bin/python bench/polling_capacity.py [--outlets 300] [--every 5m] [--minutes 30]
        [--baseline-minutes 5] [--changes-per-hour 1]

N outlets, each on its own loopback address (127.0.x.y, so per-domain slots and
robots.txt are real), served by one asyncio process (`--serve`, started here):
a robots.txt, a feed with an ETag and Last-Modified that answers a conditional
GET with 304 until it changes, and article pages. Each feed gains an item about
`--changes-per-hour` times an hour (at a random offset per outlet).

1. A warm crawl of every outlet (one `newswatch crawl` process), so what is
   listed is seen and every feed has validators.
2. `newswatch schedule` with `crawl.engine.mode: process` (a process per poll, the
   baseline) for `--baseline-minutes`; then with the crawl engine for `--minutes`.
   Both on a fresh job store, the same index, `every` with the default jitter (60 s):
   every source's first turn comes at once, the next ones in bursts.

Printed per mode: CPU per poll (all processes: getrusage of this process's
children, which the scheduler and whatever it started are, SELF+CHILDREN; and
the engine child alone), polls done against polls due (after each source's first
turn), lateness p50/p95 against the due time (APScheduler's "scheduled at"), and
the resident memory of the scheduler's process tree at the start, middle and end
(after the first interval; growth: mean of the last tenth against the first).
The CPU per poll of the run's second half is the steady state, without start-up.
Targets (#20): <= 20 ms CPU per unchanged poll; 10,000 outlets every 15 minutes
at p95 lateness <= 60 s and <= 1 core; RSS growth <= 10 % between the first and
last tenth.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.polling_measure import ROOT, children_cpu, run_mode  # noqa: E402 - after the path set-up
from bench.polling_outlets import address, serve  # noqa: E402
from bench.report import free_port  # noqa: E402


def write_config(
    directory: Path, port: int, count: int, every: float, mode: str, index: Path
) -> Path:
    config = {
        "state_dir": str(directory / "state"),
        "log_level": "INFO",
        "index": {"backend": "embedded", "embedded": {"path": str(index)}},
        "scheduler": {
            "default_every": f"{every}s",
            "jitter": "60s",  # the default: turns come in bursts, as in production
            "min_every": f"{every}s",
            "max_every": f"{every}s",
            "misfire_grace": "1h",
        },
        "crawl": {
            "download_timeout": "10s",
            "retry_times": 1,
            "autothrottle": False,
            "time_limit": "2m",
            "min_text_chars": 200,
            "extraction_processes": 1,
            "engine": {"mode": mode},
        },
        "topics": [{"name": "ferries", "query": "ferry OR timetable"}],
        "sources": [
            {
                "name": f"o{i:05d}",
                "feeds": [f"http://{address(i)}:{port}/feed.xml"],
                "allowed_domains": [address(i)],
            }
            for i in range(count)
        ],
    }
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "newswatch.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def duration(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    return float(text[:-1]) * units[text[-1]] if text[-1] in units else float(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outlets", type=int, default=300)
    parser.add_argument("--every", default="5m", help="each source's interval (default 5m)")
    parser.add_argument("--minutes", type=float, default=30.0, help="the engine's run")
    parser.add_argument("--baseline-minutes", type=float, default=5.0, help="process per poll")
    parser.add_argument("--changes-per-hour", type=float, default=1.0)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(serve(args.outlets, args.port, args.changes_per_hour))
        return 0
    every = duration(args.every)
    port = free_port()
    web = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--outlets", str(args.outlets), "--port", str(port),
         "--changes-per-hour", str(args.changes_per_hour)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert web.stdout is not None
    print("outlets' web:", web.stdout.readline().strip(), file=sys.stderr)
    results: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="polling-capacity-") as tmp:
            work = Path(tmp)
            index = work / "index.sqlite3"
            warm = write_config(work / "warm", port, args.outlets, every, "process", index)
            began = time.monotonic()
            cpu = children_cpu()
            subprocess.run(
                [sys.executable, "-m", "crawler", "crawl", "--config", str(warm)],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
            )  # fmt: skip
            print(
                f"warm crawl: {time.monotonic() - began:.0f}s, {children_cpu() - cpu:.1f} CPU-s",
                file=sys.stderr,
            )
            for mode, minutes in (("process", args.baseline_minutes), ("engine", args.minutes)):
                if minutes <= 0:
                    continue
                config = write_config(work / mode, port, args.outlets, every, mode, index)
                print(f"{mode}: {minutes} min ...", file=sys.stderr)
                results[mode] = run_mode(config, minutes * 60, every, work / f"{mode}.log")
                print(mode, json.dumps(results[mode]), file=sys.stderr)
    finally:
        web.terminate()
        web.wait()
    report(args, every, results)
    return 0


def report(args: argparse.Namespace, every: float, results: dict[str, Any]) -> None:
    print(
        f"\n{args.outlets} loopback outlets, every {every:g}s, {args.changes_per_hour:g} "
        f"change(s)/outlet/hour; {os.cpu_count()} cores\n"
    )
    rows = [
        ("CPU per poll, whole run, all processes (ms)", "cpu_ms_per_poll"),
        ("CPU per poll, second half, all processes (ms)", "steady_all_ms_per_poll"),
        ("CPU per poll, second half, engine child (ms)", "steady_engine_ms_per_poll"),
        ("cores used, second half", "steady_cores"),
        ("polls finished / due (one per source per interval)", None),
        ("turns run / due after the first", None),
        ("lateness p50 / p95 (s)", None),
        ("cores used, whole run", "cores"),
        ("RSS start / middle / end (MB)", None),
        ("RSS growth, first to last tenth", None),
    ]
    modes = list(results)
    print(f"| | {' | '.join(modes)} |\n|---|{'---|' * len(modes)}")
    for title, key in rows:
        cells = []
        for mode in modes:
            r = results[mode]
            if key is not None:
                cells.append(str(r.get(key)))
            elif title.startswith("polls finished"):
                cells.append(f"{r['polls_finished']} / {r['polls_due']}")
            elif title.startswith("turns"):
                cells.append(f"{r['turns_after_first']} / {r['due_after_first']}")
            elif title.startswith("lateness"):
                cells.append(f"{r['lateness_p50_s']} / {r['lateness_p95_s']}")
            elif title.startswith("RSS start"):
                rss = r["rss_mb"]
                cells.append(f"{rss['start']} / {rss['middle']} / {rss['end']}")
            else:
                cells.append(f"{r['rss_mb']['growth_pct']} %")
        print(f"| {title} | {' | '.join(cells)} |")
    engine = results.get("engine")
    if engine and engine.get("steady_all_ms_per_poll"):
        polls_per_s = 10_000 / 900
        cores = polls_per_s * engine["steady_all_ms_per_poll"] / 1000
        print(
            f"\n10,000 outlets every 15 min at this CPU per poll: {cores:.2f} cores (target <= 1)"
        )


if __name__ == "__main__":
    sys.exit(main())
