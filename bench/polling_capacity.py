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
import hashlib
import json
import os
import random
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.utils import formatdate
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.config import load_config  # noqa: E402 - after the path set-up
from scheduler.jobstore import jobstore_url, make_engine, next_run_times  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RUNNING = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO apscheduler\.executors\.default: "
    r'Running job "crawl (?P<source>\S+) \(trigger.*\(scheduled at (?P<at>[^)]+)\)$'
)
FINISHED = re.compile(r"source (?P<source>\S+): run finished: (?P<outcome>ok|failed|timed_out) ")
MISSED = re.compile(r'Run time of job "crawl (?P<source>\S+) ')
TEXT = (
    "The harbour authority said on Tuesday that the new ferry timetable would take effect "
    "next month, after a consultation that drew several hundred comments from residents. "
)


# -- the outlets' web --------------------------------------------------------------------
def address(index: int) -> str:
    return f"127.0.{index // 250 + 1}.{index % 250 + 2}"


class Outlets:
    """Each outlet's feed version: it changes `per_hour` times an hour at its own offset."""

    def __init__(self, count: int, per_hour: float, seed: int = 0) -> None:
        rng = random.Random(seed)
        self.period = 3600.0 / per_hour if per_hour > 0 else float("inf")
        self.offsets = {address(i): rng.uniform(0, self.period) for i in range(count)}
        self.start = time.time()

    def version(self, host: str) -> int:
        if self.period == float("inf"):
            return 0
        return int((time.time() - self.start + self.offsets[host]) // self.period)

    def feed(self, host: str, version: int) -> bytes:
        items = "".join(
            f"<item><title>Ferry timetable {host} {v}</title>"
            f"<link>http://{host}/a/{v}.html</link><guid>http://{host}/a/{v}.html</guid>"
            f"<pubDate>{formatdate(self.start + v * 60, usegmt=True)}</pubDate></item>"
            for v in range(max(0, version - 4), version + 1)
        )
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{host}</title>'
            f"<link>http://{host}/</link>{items}</channel></rss>"
        ).encode()

    def article(self, host: str, number: str) -> bytes:
        body = "".join(f"<p>{TEXT} Item {number} of {host}, paragraph {n}.</p>" for n in range(6))
        return (
            f"<html><head><title>Ferry timetable {number}</title></head><body><article>"
            f"<h1>Ferry timetable {number}</h1>{body}</article></body></html>"
        ).encode()


async def handle(outlets: Outlets, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            headers = {k.lower(): v.strip() for k, _, v in (h.partition(":") for h in lines[1:])}
            host = writer.get_extra_info("sockname")[0]
            status, body, extra = 200, b"", ""
            if path == "/robots.txt":
                body = b"User-agent: *\nAllow: /\n"
            elif path == "/feed.xml":
                version = outlets.version(host)
                etag = '"' + hashlib.md5(f"{host}/{version}".encode()).hexdigest() + '"'
                modified = formatdate(outlets.start + version, usegmt=True)
                extra = f"ETag: {etag}\r\nLast-Modified: {modified}\r\n"
                if headers.get("if-none-match") == etag:
                    status = 304
                else:
                    body = outlets.feed(host, version)
            elif path.startswith("/a/"):
                body = outlets.article(host, path[3:].split(".")[0])
            else:
                status = 404
            reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
            kind = "application/rss+xml" if path == "/feed.xml" else "text/html; charset=utf-8"
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {kind}\r\n{extra}"
                f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, IndexError):
        pass
    finally:
        writer.close()


async def serve(count: int, port: int, per_hour: float) -> None:
    outlets = Outlets(count, per_hour)
    servers = [
        await asyncio.start_server(lambda r, w: handle(outlets, r, w), address(i), port)
        for i in range(count)
    ]
    print(json.dumps({"port": port, "outlets": count}), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


# -- measuring ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree(pid: int) -> list[int]:
    """`pid` and its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(c) for c in children.read().split())
        except OSError:
            continue
    return found


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm") as statm:
                total += int(statm.read().split()[1])
        except OSError:
            continue
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def proc_cpu(pid: int) -> float:
    """CPU seconds of a live process (itself and its waited-for children)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(f) for f in fields[11:15]) / ticks


def engine_pid(root: int) -> int | None:
    for pid in tree(root):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"\0engine\0" in cmdline.read() + b"\0":
                    return pid
        except OSError:
            continue
    return None


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


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def tree_cpu(root: int) -> dict[str, float]:
    """CPU seconds so far of the scheduler's live process tree, and of its engine child."""
    engine = engine_pid(root)
    return {
        "all": sum(proc_cpu(pid) for pid in tree(root)),
        "engine": sum(proc_cpu(pid) for pid in tree(engine)) if engine is not None else 0.0,
    }


def run_mode(config: Path, seconds: float, every: float, log_path: Path) -> dict[str, Any]:
    """`newswatch schedule` for `seconds`; its figures from its log, /proc and its job store."""
    cpu_before = children_cpu()
    argv = [sys.executable, "-m", "crawler", "schedule", "--config", str(config)]
    with log_path.open("w") as log:
        process = subprocess.Popen(argv, cwd=ROOT, stderr=log, stdout=subprocess.DEVNULL)
        began = time.monotonic()
        samples: list[tuple[float, float]] = []
        half: tuple[float, dict[str, float]] | None = None
        while (elapsed := time.monotonic() - began) < seconds:
            samples.append((elapsed, rss_mb(tree(process.pid))))
            if half is None and elapsed >= seconds / 2:
                half = (time.time(), tree_cpu(process.pid))
            time.sleep(min(5.0, max(seconds - elapsed, 0.1)))
        end = (time.time(), tree_cpu(process.pid))
        stopped = datetime.now(UTC)
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(180)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)  # a second one stops the running crawls
            process.wait()
    cpu = children_cpu() - cpu_before
    overdue = sum(
        1 for when in next_run_times(make_engine(jobstore_url(load_config(config)))).values()
        if when is not None and when < stopped
    )  # fmt: skip
    figures = summarize(log_path, seconds, cpu, samples, every)
    figures["due_after_first"] = figures["turns_after_first"] + overdue
    # Due by the schedule: every source's first turn, then the turns after it.
    figures["polls_due"] = len(load_config(config).sources) + figures["due_after_first"]
    if half is not None:
        polls = finished_between(log_path, half[0], end[0])
        for key in ("all", "engine"):
            spent = end[1][key] - half[1][key]
            figures[f"steady_{key}_ms_per_poll"] = round(1000 * spent / polls, 1) if polls else None
        figures["steady_polls"] = polls
        figures["steady_cores"] = round((end[1]["all"] - half[1]["all"]) / (end[0] - half[0]), 3)
    return figures


def finished_between(log_path: Path, start: float, end: float) -> int:
    count = 0
    for line in log_path.read_text(errors="replace").splitlines():
        if FINISHED.search(line):
            stamp = datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").replace(tzinfo=UTC)
            count += start <= stamp.timestamp() <= end
    return count


def summarize(
    log_path: Path, seconds: float, cpu: float, samples: list[tuple[float, float]], every: float
) -> dict[str, Any]:
    first_turn: set[str] = set()
    lateness: list[float] = []
    started = finished = missed = 0
    outcomes: dict[str, int] = {}
    for line in log_path.read_text(errors="replace").splitlines():
        if match := RUNNING.match(line):
            if match["source"] not in first_turn:
                first_turn.add(match["source"])
                continue
            started += 1
            ran = datetime.strptime(match["ts"], "%Y-%m-%d %H:%M:%S,%f").replace(tzinfo=UTC)
            due = datetime.fromisoformat(match["at"])
            lateness.append((ran - due).total_seconds())
        elif match := FINISHED.search(line):
            finished += 1
            outcomes[match["outcome"]] = outcomes.get(match["outcome"], 0) + 1
        elif MISSED.search(line):
            missed += 1
    # Memory once the first turns are over (the start is the bare interpreter).
    settled = [rss for at, rss in samples if at >= min(every, seconds / 2)] or [0.0]
    tenth = max(1, len(settled) // 10)
    first = statistics.mean(settled[:tenth])
    last = statistics.mean(settled[-tenth:])
    return {
        "polls_finished": finished,
        "outcomes": outcomes,
        "turns_after_first": started,
        "missed": missed,
        "cpu_s": round(cpu, 2),
        "cpu_ms_per_poll": round(1000 * cpu / finished, 1) if finished else None,
        "cores": round(cpu / seconds, 3),
        "lateness_p50_s": round(pct(lateness, 0.5), 2),
        "lateness_p95_s": round(pct(lateness, 0.95), 2),
        "rss_mb": {
            "start": round(settled[0], 1),
            "middle": round(settled[len(settled) // 2], 1),
            "end": round(settled[-1], 1),
            "growth_pct": round(100 * (last - first) / first, 1) if first else None,
        },
    }


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
