"""The benchmarks' shared helpers: percentiles, timing loops, table lines, story fields, ports."""

from __future__ import annotations

import hashlib
import socket
import statistics
import time
from collections.abc import Callable
from typing import Any


def free_port() -> int:
    """A loopback TCP port free at the time of asking."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(samples: list[float], p: float) -> float:
    """The `p`-th percentile (0-100) of `samples`, the nearest-rank sample."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def timed(run: Callable[[], Any], rounds: int) -> list[float]:
    """Milliseconds of `rounds` calls of `run`, after one call that warms the caches."""
    run()  # warm caches: both sides are measured warm
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def median_p95_header() -> str:
    """The header of a table of `median_p95_row` lines."""
    return f"  {'':<28}{'median':>10}{'p95':>10}"


def median_p95_row(name: str, ms: list[float], digits: int = 1) -> str:
    """One table line: `name`, the median and the p95 of `ms`."""
    median, p95 = statistics.median(ms), percentile(ms, 95)
    return f"  {name:<28}{median:>8.{digits}f}ms{p95:>8.{digits}f}ms"


def print_comparison(
    ours: tuple[str, list[float]],
    theirs: tuple[str, list[float]],
    label: str,
    digits: int,
    target: str,
) -> None:
    """p50 and p95 over all queries of both sides, then `label`: ours/theirs (`target`)."""
    (name, mine), (base, other) = ours, theirs
    p50, p95 = percentile(mine, 50), percentile(mine, 95)
    b50, b95 = percentile(other, 50), percentile(other, 95)
    print(f"  all queries: {name} p50 {p50:.1f} ms, p95 {p95:.1f} ms;", end=" ")
    print(f"{base} p50 {b50:.1f} ms, p95 {b95:.1f} ms")
    ratio = f"p50 x{p50 / b50:.{digits}f}, p95 x{p95 / b95:.{digits}f}"
    print(f"  {label}: {ratio} ({target})")


def story_fields(
    text: str, published: str, copies: list[dict[str, Any]], outlets: list[Any], bands: list[str]
) -> dict[str, Any]:
    """A generated story document's fields that follow from its text, date and copies."""
    return {
        "first_seen": published,
        "last_seen": published,
        "copies": copies,
        "copy_urls": [c["url"] for c in copies],
        "outlets": outlets,
        "outlet_count": len(outlets),
        "content_hashes": [hashlib.sha1(text.encode()).hexdigest()],
        "dedup_bands": bands,
        "dedup_text": text,
    }
