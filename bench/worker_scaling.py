"""Queue-mode crawl throughput with 1, 2 and 4 workers, and the dispatch overhead per job.

    .venv/bin/python bench/worker_scaling.py [--extra-stories 200] [--workers 1,2,4] [--jobs 40]
        [--kills 3] [--parts scaling,overhead,redelivery]

It starts the mock news web (`python -m tests.harness.newsweb`, a subprocess: bench/ does
not import the test suite) and a throwaway Redis server (`redis-server` on a free
loopback port), and splits the web into one source per article sitemap (an outlet
per 200 articles), so there are more sources than workers to spread.

(a) Baseline: one `newswatch crawl` process crawling every source (embedded mode).
(b) For each worker count N: a fresh index, N `newswatch worker` processes and the
    scheduler in queue mode; pages/s = pages fetched / (last run's end - first
    enqueue), and the ratio to one worker. Target: 2 workers >= 1.7 x one.
(c) Dispatch overhead: one idle worker, `--jobs` jobs one after another (a pause
    between them so the worker is idle-polling, as in production) whose crawl is a
    no-op command; enqueue -> job start, median and p95. Target: median <= 50 ms.
(d) Re-delivery after SIGKILL: a worker killed mid-crawl (`--kills` times), a second
    worker idle; seconds from the kill to the job's start on the second worker, next
    to `worker_timeout` (3 s here). Target: <= worker_timeout + 10 s (Dramatiq's own
    maintenance took up to 180 s).

The embedded index is one SQLite file all workers write to. Single runs on a shared
machine: compare figures within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.crawl_mixes import BENCH_CRAWL as CRAWL_MIX_SETTINGS  # noqa: E402
from bench.report import free_port, percentile  # noqa: E402
from crawler.base.time import parse_utc  # noqa: E402 - after the path set-up
from crawler.config import load_config  # noqa: E402
from crawler.index import make_backend  # noqa: E402
from scheduler.queue.broker import connect, live_workers  # noqa: E402
from scheduler.queue.dispatch import QueueRunner  # noqa: E402

# The crawl bench's settings (bench/crawl_mixes.py), with this bench's shorter
# download timeout kept as it was measured.
BENCH_CRAWL = CRAWL_MIX_SETTINGS | {"download_timeout": "5s"}
NOOP_CRAWL = [sys.executable, "-c", "import json; print(json.dumps({'pages_fetched': 1}))"]
# Sleeps as long as its worker's environment says: the doomed worker's crawl runs until
# the kill, the survivor's ends at once.
SLOW_CRAWL = [
    sys.executable,
    "-c",
    "import json, os, time; time.sleep(float(os.environ['BENCH_CRAWL_SLEEP'])); "
    "print(json.dumps({'pages_fetched': 1}))",
]
KILL_TIMEOUT = 3  # seconds: worker_timeout of the re-delivery figure
WAIT = 1800.0


def start_newsweb(extra_stories: int) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    argv = [sys.executable, "-m", "tests.harness.newsweb", "--extra-stories", str(extra_stories)]
    argv += ["--copies-per-story", "4"]
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line:
        raise SystemExit("the mock news web did not start (set NEWSWEB_SEED_DIR?)")
    return process, json.loads(line)


def start_redis(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir"]
    process = subprocess.Popen([*argv, str(directory)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, url
        except OSError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def sources_of(web: dict[str, Any]) -> list[dict[str, Any]]:
    """One source per article sitemap of every outlet."""
    sources = []
    for key, base in sorted(web["outlets"].items()):
        with urllib.request.urlopen(f"{base.rstrip('/')}/sitemap_index.xml", timeout=30) as r:
            index = r.read().decode()
        for loc in re.findall(r"<loc>([^<]*articles-\d+\.xml)</loc>", index):
            number = re.search(r"articles-(\d+)", loc)
            assert number is not None
            sources.append(
                {
                    "name": f"{key}-{number[1]}",
                    "sitemaps": [loc],
                    "allowed_domains": [urlsplit(base).hostname],
                    "max_age": "3650d",
                }
            )
    return sources


def write_config(
    directory: Path, sources: list[dict[str, Any]], broker_url: str, worker_timeout: int = 10
) -> Path:
    directory.mkdir(parents=True)
    default = yaml.safe_load((ROOT / "crawler/config/default.yaml").read_text())
    config = {
        "state_dir": str(directory / "state"),
        "index": {"embedded": {"path": str(directory / "index.sqlite3")}},
        "crawl": BENCH_CRAWL,
        "scheduler": {"default_every": "6h", "jitter": 0},
        "dispatch": {
            "mode": "queue",
            "broker_url": broker_url,
            "worker_timeout": f"{worker_timeout}s",
        },
        "topics": default["topics"],
        "sources": sources,
    }
    path = directory / "newswatch.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def crawl_once(config: Path) -> dict[str, Any]:
    """Baseline: the whole web in one `newswatch crawl` process."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"baseline crawl failed: {done.stderr[-2000:]}")
    pages = json.loads(done.stdout.strip().splitlines()[-1])["pages_fetched"]
    return {"pages": pages, "seconds": seconds, "pages_per_s": pages / seconds}


def spawn(argv: list[str], log: Path, **env: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **env}
        )


def stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()


def crawl_with_workers(config: Path, workers: int, directory: Path) -> dict[str, Any]:
    """Scheduler + N workers until every source has run; throughput from the run records."""
    loaded = load_config(config)
    base = [sys.executable, "-m", "crawler"]
    processes = [
        spawn(
            [*base, "worker", "--config", str(config), "--name", f"w{i}"], directory / f"w{i}.log"
        )
        for i in range(workers)
    ]
    wait_for_workers(loaded, workers)  # connected before the first job goes out
    processes.append(
        spawn([*base, "schedule", "--config", str(config), "--poll", "0.2"], directory / "s.log")
    )
    try:
        runs = wait_for_runs(loaded, len(loaded.sources))
    finally:
        stop_all(processes)
    first = min(_epoch(r["started"]) - r["dispatch"]["queued_s"] for r in runs)
    last = max(_epoch(r["ended"]) for r in runs)
    pages = sum(int(r["stats"].get("pages_fetched") or 0) for r in runs)
    return {
        "workers": workers,
        "pages": pages,
        "seconds": last - first,
        "pages_per_s": pages / (last - first),
        "by_worker": sorted({r["worker"] for r in runs}),
        "outcomes": sorted({r["outcome"] for r in runs}),
    }


def wait_for_workers(config: Any, count: int) -> None:
    client = connect(config.dispatch)
    deadline = time.monotonic() + 300
    while len(live_workers(client, config.dispatch)) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"{count} workers did not start")
        time.sleep(0.2)
    client.close()


def wait_for_runs(config: Any, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        time.sleep(1.0)
        with make_backend(config) as backend:
            runs = [r for r in backend.list_runs(limit=1000) if r["outcome"] != "skipped"]
        if len(runs) >= count:
            return runs
    raise SystemExit("the runs did not all finish in time")


def _epoch(stamp: str) -> float:
    return parse_utc(stamp).timestamp()


def dispatch_overhead(config: Path, jobs: int, directory: Path) -> list[float]:
    """Seconds from enqueue to job start, one idle worker, no-op crawls."""
    loaded = load_config(config)
    argv = [sys.executable, "-m", "crawler", "worker", "--config", str(config)]
    argv += ["--crawl-command", shlex.join(NOOP_CRAWL)]
    worker = spawn(argv, directory / "overhead.log")
    runner = QueueRunner(loaded.dispatch, misfire_grace=60)
    source = loaded.sources[0].name
    delays = []
    try:
        wait_for_workers(loaded, 1)
        for _ in range(jobs):
            time.sleep(0.3)  # the worker is idle, polling, when the job arrives
            result = runner.run(source)
            delays.append(float((result.dispatch or {})["queued_s"]))
    finally:
        stop_all([worker])
    return delays


def run_into(runner: QueueRunner, source: str, results: list[Any]) -> None:
    results.append(runner.run(source))


def redelivery(config: Path, kills: int, directory: Path) -> list[float]:
    """Seconds from a worker's SIGKILL mid-crawl to its job's start on another worker."""
    loaded = load_config(config)
    argv = [sys.executable, "-m", "crawler", "worker", "--config", str(config)]
    argv += ["--crawl-command", shlex.join(SLOW_CRAWL)]
    runner = QueueRunner(loaded.dispatch, misfire_grace=60)
    source = loaded.sources[0].name
    client = connect(loaded.dispatch)
    delays = []
    for kill in range(kills):
        doomed = spawn(
            [*argv, "--name", f"doomed{kill}"],
            directory / f"doomed{kill}.log",
            BENCH_CRAWL_SLEEP="600",
        )
        wait_for_workers(loaded, 1)
        results: list[Any] = []
        waiter = threading.Thread(target=run_into, args=(runner, source, results))
        waiter.start()
        while not any(w.get("crawling") for w in live_workers(client, loaded.dispatch)):
            time.sleep(0.05)
        survivor = spawn(
            [*argv, "--name", f"survivor{kill}"],
            directory / f"survivor{kill}.log",
            BENCH_CRAWL_SLEEP="0",
        )
        wait_for_workers(loaded, 2)
        doomed.send_signal(signal.SIGKILL)
        killed = time.time()
        doomed.wait(60)
        waiter.join(WAIT)
        delays.append(results[0].started.timestamp() - killed)
        stop_all([survivor])
    runner.expire_all()
    client.close()
    return delays


def scaling(args: argparse.Namespace, work: Path, sources: list[Any], broker_url: str) -> None:
    """(a) and (b): one process, then N workers, over the whole web."""
    baseline = crawl_once(write_config(work / "single", sources, broker_url))
    print(
        f"one process (embedded): {baseline['pages']} pages in {baseline['seconds']:.1f}s "
        f"= {baseline['pages_per_s']:.1f} pages/s"
    )
    rows = []
    for n in (int(x) for x in args.workers.split(",")):
        config = write_config(work / f"w{n}", sources, broker_url.replace("/0", f"/{n}"))
        rows.append(crawl_with_workers(config, n, work / f"w{n}"))
    one = rows[0]["pages_per_s"]
    print("workers  pages  seconds  pages/s  x one worker  x one process  outcomes")
    for row in rows:
        print(
            f"{row['workers']:>7}  {row['pages']:>5}  {row['seconds']:>7.1f}  "
            f"{row['pages_per_s']:>7.1f}  {row['pages_per_s'] / one:>12.2f}  "
            f"{row['pages_per_s'] / baseline['pages_per_s']:>13.2f}  {row['outcomes']}"
        )


def overhead(args: argparse.Namespace, work: Path, sources: list[Any], broker_url: str) -> None:
    """(c): enqueue -> start on an idle worker."""
    config = write_config(work / "overhead", sources[:1], broker_url.replace("/0", "/15"))
    delays = sorted(dispatch_overhead(config, args.jobs, work / "overhead"))
    p95 = percentile(delays, 95)
    print(
        f"dispatch overhead (enqueue -> start, {len(delays)} jobs): "
        f"median {statistics.median(delays) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
        f"(target: median <= 50 ms)"
    )


def kills(args: argparse.Namespace, work: Path, sources: list[Any], broker_url: str) -> None:
    """(d): a worker killed mid-crawl, its job started again elsewhere."""
    config = write_config(work / "kill", sources[:1], broker_url.replace("/0", "/14"), KILL_TIMEOUT)
    delays = sorted(redelivery(config, args.kills, work / "kill"))
    print(
        f"re-delivery after SIGKILL ({len(delays)} kills, worker_timeout {KILL_TIMEOUT}s): "
        f"min {delays[0]:.1f}s, median {statistics.median(delays):.1f}s, "
        f"max {delays[-1]:.1f}s (target: <= worker_timeout + 10 s)"
    )


PARTS = {"scaling": scaling, "overhead": overhead, "redelivery": kills}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra-stories", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--jobs", type=int, default=40, help="jobs for the overhead figure")
    parser.add_argument("--kills", type=int, default=3, help="workers killed for re-delivery")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"which figures (default: {','.join(PARTS)})"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nw-bench-workers-"))
    web, info = start_newsweb(args.extra_stories)
    redis, broker_url = start_redis(work)
    try:
        sources = sources_of(info)
        print(f"mock web: {info['pages']} pages, {len(sources)} sources; cores: {os.cpu_count()}")
        for part in args.parts.split(","):
            PARTS[part](args, work, sources, broker_url)
    finally:
        redis.terminate()
        web.terminate()
        redis.wait(30)
        web.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
