"""What crawl_throughput.py measures: a crawl subprocess, extraction alone, news-please.

Each function times one contender once; the caller repeats them in rounds and takes medians.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import trafilatura

from crawler.extract import NotAnArticle, extract_article
from crawler.extract.article import trafilatura_options

ENV_PREFIX = "NEWSWATCH_"
# In Scrapy's stats dump at the end of the crawl log (absent if the dump is not logged).
ELAPSED = re.compile(r"'elapsed_time_seconds': ([0-9.]+)")
# fetch_images=False: newspaper would otherwise download every <img> of a page from the
# real web to choose a top image (the benchmark stays on loopback, and those fetches
# would measure timeouts, not extraction).
NEWSPLEASE_SCRIPT = """
import json, sys, time
from newsplease import NewsPlease
urls = json.load(sys.stdin)
start = time.perf_counter()
found = NewsPlease.from_urls(urls, request_args={"timeout": 10}, fetch_images=False)
elapsed = time.perf_counter() - start
ok = sum(1 for a in found.values() if a is not None and getattr(a, "maintext", None))
print(json.dumps({"pages": len(urls), "extracted": ok, "seconds": elapsed}))
"""


@dataclass
class CrawlRun:
    seconds: float  # wall time of the whole subprocess, start-up included
    pages: int  # responses fetched (articles, listings, robots.txt)
    cpu_s: float  # user + system of the crawl process and its worker processes
    rss_mb: float  # peak RSS of the crawl process
    worker_rss_mb: float  # the largest peak RSS among its descendant processes (0: none)
    workers: int  # descendant processes seen
    engine_seconds: float | None  # Scrapy's elapsed_time_seconds: spider open to close

    @property
    def startup_seconds(self) -> float | None:
        """Interpreter, imports, config and index set-up before the spider opens, and after."""
        return None if self.engine_seconds is None else self.seconds - self.engine_seconds

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds


class PeakRss:
    """Polls /proc for the peak RSS (VmHWM) of a process and of each of its descendants."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.peaks: dict[int, int] = {}  # pid -> VmHWM in kB
        self.cpu_ticks: dict[int, int] = {}  # pid -> utime + stime, last seen
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            for pid in [self.pid, *_descendants(self.pid)]:
                peak = _vm_hwm_kb(pid)
                if peak:
                    self.peaks[pid] = max(peak, self.peaks.get(pid, 0))
                ticks = _cpu_ticks(pid)
                if ticks:
                    self.cpu_ticks[pid] = max(ticks, self.cpu_ticks.get(pid, 0))
            self._stop.wait(self.interval)

    def cpu_s(self) -> float:
        """CPU seconds of the process and every descendant seen (to the last poll)."""
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")

    def main_mb(self) -> float:
        return self.peaks.get(self.pid, 0) / 1024

    def descendants_mb(self) -> tuple[float, int]:
        others = [kb for pid, kb in self.peaks.items() if pid != self.pid]
        return (max(others, default=0) / 1024, len(others))


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # gone between listdir and read
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            found.append(child)
            todo.append(child)
    return found


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def _vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def clean_env() -> dict[str, str]:
    # NEWSWATCH_* variables override the config (index backend, state directory):
    # every crawl here must write into its own temporary index.
    return {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}


def run_crawl(config: Path, log: Path) -> CrawlRun:
    """One `python -m crawler crawl --json` subprocess, timed from spawn to exit."""
    start = time.perf_counter()
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env=clean_env(),
        )
        with PeakRss(process.pid) as rss:
            assert process.stdout is not None
            stdout = process.stdout.read()
            # wait4 gives this child's own rusage, its waited-for workers included.
            _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-20:])
        raise SystemExit(f"crawl failed (exit {process.returncode}), {config}:\n{tail}")
    summary = json.loads(lines[-1])
    elapsed = ELAPSED.search(log.read_text(encoding="utf-8"))
    worker_mb, workers = rss.descendants_mb()
    return CrawlRun(
        seconds=seconds,
        pages=int(summary["pages_fetched"]),
        # wait4 counts only the workers the crawl process reaped itself; the poll sees
        # every descendant but misses the last interval: the larger is the better guess.
        cpu_s=max(usage.ru_utime + usage.ru_stime, rss.cpu_s()),
        rss_mb=rss.main_mb() or usage.ru_maxrss / 1024,
        worker_rss_mb=worker_mb,
        workers=workers,
        engine_seconds=float(elapsed.group(1)) if elapsed else None,
    )


def trafilatura_seconds(pages: list[tuple[str, str]]) -> float:
    """trafilatura.bare_extraction with the crawler's options over every page, one process."""
    start = time.perf_counter()
    for url, html in pages:
        trafilatura.bare_extraction(html, url=url, **trafilatura_options())
    return time.perf_counter() - start


def newswatch_extraction_seconds(pages: list[tuple[str, str]]) -> float:
    """The crawler's whole extraction (metadata, furniture filter, checks), one process."""
    start = time.perf_counter()
    for url, html in pages:
        with contextlib.suppress(NotAnArticle):
            extract_article(html, url)
    return time.perf_counter() - start


def newsplease_check(python: str) -> str | None:
    """Why news-please cannot be measured with `python`, or None when it can."""
    if not Path(python).exists():
        return (
            f"no interpreter at {python} (python3 -m venv /tmp/npvenv && "
            "/tmp/npvenv/bin/pip install news-please; then --newsplease-python "
            "/tmp/npvenv/bin/python)"
        )
    check = subprocess.run([python, "-c", "import newsplease"], capture_output=True, text=True)
    if check.returncode != 0:
        return "news-please does not import: " + check.stderr.strip().splitlines()[-1]
    return None


def newsplease_run(python: str, urls: list[str]) -> dict[str, Any]:
    """news-please fetching and extracting `urls` with NewsPlease.from_urls, timed inside."""
    process = subprocess.run(
        [python, "-c", NEWSPLEASE_SCRIPT],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if process.returncode != 0:
        raise SystemExit("news-please failed: " + process.stderr.strip()[-500:])
    result: dict[str, Any] = json.loads(process.stdout.strip().splitlines()[-1])
    result["pages_per_s"] = result["pages"] / result["seconds"]
    return result
