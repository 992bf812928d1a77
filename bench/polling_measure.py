"""What bench/polling_capacity.py measures of `newswatch schedule`: CPU, RSS, lateness."""

from __future__ import annotations

import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.config import load_config
from scheduler.jobstore import jobstore_url, make_engine, next_run_times

ROOT = Path(__file__).resolve().parents[1]
RUNNING = re.compile(
    r"^(?P<ts>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) INFO apscheduler\.executors\.default: "
    r'Running job "crawl (?P<source>\S+) \(trigger.*\(scheduled at (?P<at>[^)]+)\)$'
)
FINISHED = re.compile(r"source (?P<source>\S+): run finished: (?P<outcome>ok|failed|timed_out) ")
MISSED = re.compile(r'Run time of job "crawl (?P<source>\S+) ')


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
