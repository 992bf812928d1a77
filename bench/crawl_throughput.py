"""Crawl throughput on the local news web: full crawl vs extraction alone vs news-please.

    .venv/bin/python bench/crawl_throughput.py [--sizes 200,450] [--es-url URL]
        [--newsplease-python /tmp/npvenv/bin/python] [--newsplease-sample 300]

For each size (extra stories of the mock news web; 200 -> ~1,000 and 450 -> ~2,300
article pages) it starts the mock web on loopback and measures, in one run:

(a) pages/s of the full crawl (`python -m crawler crawl`: fetch, extract, topic match,
    dedup, index) into the embedded index, and at the largest size into Elasticsearch
    (the test node unless --es-url); with peak RSS and CPU use of the crawl process;
(b) pages/s of trafilatura extraction alone over the same article HTML, one process
    (trafilatura's bare_extraction with the crawler's options; newswatch's whole
    extraction with metadata and furniture filter next to it);
(c) news-please (from PyPI, in its own virtualenv: it pins its own Scrapy) fetching and
    extracting a sample of the same article URLs with `NewsPlease.from_urls`, when the
    interpreter given by --newsplease-python can import it.

Targets: (a) >= 0.7 x (b) x cores used, (a) >= 5 x (c), peak RSS <= 400 MB and not
growing with the number of pages. Figures are single runs on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402 - after the path set-up

from crawler.extract import NotAnArticle, extract_article  # noqa: E402
from crawler.extract.article import trafilatura_options  # noqa: E402
from crawler.testing.newsweb.client import NewsWeb, start_newsweb  # noqa: E402
from crawler.testing.newsweb.config import write_config  # noqa: E402

BENCH_CRAWL = {
    "download_timeout": "5s",
    "retry_times": 1,
    "concurrent_requests": 32,
    "concurrent_requests_per_domain": 8,
    "autothrottle": False,
    "time_limit": "60m",
    "max_response_bytes": 2 * 1024 * 1024,
}
NEWSPLEASE_SCRIPT = """
import json, sys, time
from newsplease import NewsPlease
urls = json.load(sys.stdin)
start = time.perf_counter()
found = NewsPlease.from_urls(urls, request_args={"timeout": 10})
elapsed = time.perf_counter() - start
ok = sum(1 for a in found.values() if a is not None and getattr(a, "maintext", None))
print(json.dumps({"pages": len(urls), "extracted": ok, "seconds": elapsed}))
"""


def run_crawl(config: Path) -> dict[str, Any]:
    """Run one crawl subprocess; wall time, summary, peak RSS and CPU of that process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    stdout = process.stdout.read()
    # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix earlier runs in).
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"crawl failed with exit code {process.returncode}")
    summary = json.loads(stdout.strip().splitlines()[-1])
    return {
        "seconds": seconds,
        "summary": summary,
        "pages": summary["pages_fetched"],
        "pages_per_s": summary["pages_fetched"] / seconds,
        "rss_mb": usage.ru_maxrss / 1024,
        "cpu_s": usage.ru_utime + usage.ru_stime,
    }


def fetch_pages(web: NewsWeb) -> list[tuple[str, str]]:
    """The HTML of every crawlable article copy, fetched outside any timing."""
    pages = []
    for copy in web.world.copies:
        if not copy.crawlable:
            continue
        url = web.copy_url(copy)
        with urllib.request.urlopen(url, timeout=30) as response:
            pages.append((url, response.read().decode(copy.charset)))
    return pages


def extraction_rates(pages: list[tuple[str, str]]) -> tuple[float, float]:
    """(trafilatura alone, newswatch extraction) in pages/s over the same HTML."""
    start = time.perf_counter()
    for url, html in pages:
        trafilatura.bare_extraction(html, url=url, **trafilatura_options())
    trafilatura_rate = len(pages) / (time.perf_counter() - start)
    start = time.perf_counter()
    for url, html in pages:
        with contextlib.suppress(NotAnArticle):
            extract_article(html, url)
    return trafilatura_rate, len(pages) / (time.perf_counter() - start)


def newsplease_rate(python: str, urls: list[str]) -> dict[str, Any] | str:
    """news-please's from_urls over `urls`, or why it could not run."""
    if not Path(python).exists():
        return f"no interpreter at {python} (pip install news-please into a virtualenv)"
    check = subprocess.run([python, "-c", "import newsplease"], capture_output=True, text=True)
    if check.returncode != 0:
        return "news-please does not import: " + check.stderr.strip().splitlines()[-1]
    process = subprocess.run(
        [python, "-c", NEWSPLEASE_SCRIPT],
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if process.returncode != 0:
        return "news-please failed: " + process.stderr.strip()[-500:]
    result = json.loads(process.stdout.strip().splitlines()[-1])
    result["pages_per_s"] = result["pages"] / result["seconds"]
    return result


def start_elasticsearch(url: str | None) -> tuple[str, Any]:
    if url:
        return url, None
    from crawler.testing.elasticsearch.node import ElasticsearchNode, prepare

    node = ElasticsearchNode(prepare()).start()
    return node.url, node


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,450", help="extra stories per run, comma-separated")
    parser.add_argument("--es-url", help="use this Elasticsearch instead of the test node")
    parser.add_argument("--no-es", action="store_true", help="skip the Elasticsearch crawl")
    parser.add_argument("--newsplease-python", default="/tmp/npvenv/bin/python")
    parser.add_argument("--newsplease-sample", type=int, default=300)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"cores on this machine: {os.cpu_count()}; the crawl extracts in one worker "
        "process per core (the inline row: on the reactor thread, the baseline)"
    )
    rows = []
    es_node = None
    work = Path(tempfile.mkdtemp(prefix="newswatch-bench-"))
    try:
        for size in sizes:
            # The slow page answers at once here: retrying a timeout at the end of
            # the crawl would measure the timeout setting, not the throughput
            # (the bad cases are the tests' business).
            web = start_newsweb(seed=0, extra_stories=size, copies_per_story=4, slow_delay=0.1)
            try:
                row: dict[str, Any] = {"size": size, "pages_in_web": len(web.world.copies)}
                # Fetching every page first warms the mock web's page cache, so no
                # contender pays for the server rendering a page the first time.
                pages = fetch_pages(web)
                config = write_config(web, work / f"embedded-{size}", crawl=BENCH_CRAWL)
                row["embedded"] = run_crawl(config)
                # Baseline: the same crawl with extraction on the reactor thread.
                inline = write_config(
                    web, work / f"inline-{size}", crawl={**BENCH_CRAWL, "extraction_processes": 0}
                )
                row["embedded, inline extraction"] = run_crawl(inline)
                if size == max(sizes) and not args.no_es:
                    es_url, es_node = start_elasticsearch(args.es_url)
                    es_config = write_config(
                        web,
                        work / f"es-{size}",
                        backend="elasticsearch",
                        es_url=es_url,
                        index_prefix=f"bench{int(time.time())}",
                        crawl=BENCH_CRAWL,
                    )
                    row["elasticsearch"] = run_crawl(es_config)
                row["trafilatura_per_s"], row["newswatch_extract_per_s"] = extraction_rates(pages)
                if size == max(sizes):
                    sample = [url for url, _ in pages[: args.newsplease_sample]]
                    row["newsplease"] = newsplease_rate(args.newsplease_python, sample)
                rows.append(row)
            finally:
                web.stop()
    finally:
        if es_node is not None:
            es_node.stop()
        shutil.rmtree(work, ignore_errors=True)
    report(rows)
    return 0


def report(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        print(f"\n== {row['pages_in_web']} article pages in the web (extra stories {row['size']})")
        extract_rate = row["trafilatura_per_s"]
        print(f"(b) trafilatura alone:            {extract_rate:8.1f} pages/s (one process)")
        print(f"    newswatch extraction:         {row['newswatch_extract_per_s']:8.1f} pages/s")
        for backend in ("embedded, inline extraction", "embedded", "elasticsearch"):
            run = row.get(backend)
            if run is None:
                continue
            cores = run["cpu_s"] / run["seconds"]
            print(
                f"(a) full crawl -> {backend}: {run['pages_per_s']:8.1f} pages/s "
                f"({run['pages']} pages in {run['seconds']:.1f} s; CPU {cores:.2f} cores; "
                f"peak RSS {run['rss_mb']:.0f} MB)"
            )
            ratio = run["pages_per_s"] / extract_rate
            print(
                f"    ratio (a) / (b) = {ratio:.2f}; per core of the machine "
                f"{ratio / (os.cpu_count() or 1):.2f}  (target >= 0.70 x cores)"
            )
        newsplease = row.get("newsplease")
        if isinstance(newsplease, dict):
            crawl_rate = row["embedded"]["pages_per_s"]
            print(
                f"(c) news-please from_urls:        {newsplease['pages_per_s']:8.1f} pages/s "
                f"({newsplease['extracted']}/{newsplease['pages']} extracted)"
            )
            print(
                f"    ratio (a) / (c) = {crawl_rate / newsplease['pages_per_s']:.1f}  (target >= 5)"
            )
        elif newsplease is not None:
            print(f"(c) news-please: not measured: {newsplease}")
    if len(rows) >= 2:
        small, large = rows[0]["embedded"], rows[-1]["embedded"]
        growth = large["rss_mb"] / small["rss_mb"]
        print(
            f"\npeak RSS {small['rss_mb']:.0f} MB at {small['pages']} pages, "
            f"{large['rss_mb']:.0f} MB at {large['pages']} pages: x{growth:.2f} "
            f"(target <= 400 MB and flat)"
        )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(bench process peak RSS {own:.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
