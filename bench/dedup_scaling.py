"""Dedup time per page with 1k and 100k stories already indexed, on both backends.

    .venv/bin/python -m bench.dedup_scaling [--sizes 1000 100000] [--pages 150]
        [--backends embedded elasticsearch] [--es-url URL]

Without --es-url an Elasticsearch test node is started (tests.harness.elasticsearch.node).
Prints the median per-page milliseconds for each size and the ratio largest/smallest
(target: within 2x). Background stories are loaded with the backends' own put path
in large batches; only the probe pages go through the Deduplicator while timed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crawler.dedup import Deduplicator
from crawler.dedup import story as stories
from crawler.dedup.normalise import body_paragraphs, body_words, content_hash
from crawler.dedup.signature import band_keys
from crawler.index.backend import IndexBackend
from crawler.items import Article
from crawler.story import Story

VOCABULARY = 6000
BATCH = 2000
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _words(rng: random.Random) -> list[str]:
    # Zipf-like vocabulary: common words recur across stories as in real news.
    return [f"w{int(rng.paretovariate(1.1)) % VOCABULARY}" for _ in range(rng.randint(12, 24))]


def synthetic_text(rng: random.Random, paragraphs: int = 7) -> str:
    return "\n\n".join(
        " ".join(" ".join(_words(rng)).capitalize() + "." for _ in range(2))
        for _ in range(paragraphs)
    )


def article(key: str, text: str, outlet: str = "wire", hours: int = 0) -> Article:
    url = f"https://{outlet}.example/{key}"
    return Article(
        url=url,
        canonical_url=url,
        source=outlet,
        outlet=outlet,
        title=f"Story {key}",
        text=text,
        published=NOW - timedelta(hours=hours),
        fetched_at=NOW,
    )


def background(count: int, cache: Path) -> Iterator[dict]:
    """`count` story documents, generated once into a JSON-lines cache and streamed."""
    if not cache.exists() or sum(1 for _ in cache.open()) < count:
        rng = random.Random(7)
        with cache.open("w") as out:
            for i in range(count):
                item = article(f"bg/{i}", synthetic_text(rng), outlet=f"o{i % 300}", hours=i % 900)
                words = body_words(item.text)
                doc = stories.new_story(
                    item,
                    content_hash(words),
                    band_keys(body_paragraphs(item.text)),
                    "2026-11-01T00:00:00Z",
                )
                out.write(json.dumps(doc) + "\n")
    with cache.open() as lines:
        for _, line in zip(range(count), lines, strict=False):
            yield json.loads(line)


def load(backend: IndexBackend, count: int, cache: Path) -> float:
    started = time.perf_counter()
    docs = background(count, cache)
    while batch := [doc for _, doc in zip(range(BATCH), docs, strict=False)]:
        with backend.dedup_lock():  # one transaction per batch on the embedded backend
            for doc in batch:
                backend.put_story(Story.from_document(doc))
        backend.flush()
    return time.perf_counter() - started


def probe(backends: list[IndexBackend], pages: int) -> list[list[float]]:
    """Per-page seconds of dedup.add on each backend: a near copy and a new story per probe.

    The backends take turns page by page, so load from other processes on the
    machine weighs on every index size alike and the ratio stays fair.
    """
    rng = random.Random(11)
    dedups = [Deduplicator(backend) for backend in backends]
    originals = [synthetic_text(rng) for _ in range(pages)]
    for dedup in dedups:
        for i, text in enumerate(originals):
            dedup.add(article(f"probe/{i}", text))
        dedup.backend.flush()
    timings: list[list[float]] = [[] for _ in backends]
    for i, text in enumerate(originals):
        paragraphs = text.split("\n\n")
        copy = "\n\n".join(paragraphs[:3] if i % 2 else paragraphs[1:]) + "\n\nRead more at wire"
        new = synthetic_text(rng)
        for item, expected in (
            (article(f"copy/{i}", copy, outlet="partner"), "copy"),
            (article(f"new/{i}", new), "new"),
        ):
            for dedup, spent in zip(dedups, timings, strict=True):
                started = time.perf_counter()
                outcome = dedup.add(item)
                spent.append(time.perf_counter() - started)
                if outcome.action != expected:
                    print(f"  ! {item.url}: {outcome.action}, expected {expected}", file=sys.stderr)
    return timings


@contextlib.contextmanager
def open_store(kind: str, workdir: Path, es_url: str | None) -> Iterator[IndexBackend]:
    backend: IndexBackend
    if kind == "embedded":
        from crawler.index.sqlite import SqliteBackend

        backend = SqliteBackend(workdir / f"{uuid.uuid4().hex}.sqlite3")
    else:
        from crawler.config.schema import ElasticsearchIndex
        from crawler.index.elasticsearch import ElasticsearchBackend

        prefix = f"bench-dedup-{uuid.uuid4().hex[:8]}"
        config = ElasticsearchIndex(url=[es_url or ""], index_prefix=prefix)
        backend = ElasticsearchBackend(config, state_dir=workdir / prefix)
    with backend:
        yield backend
    if kind == "elasticsearch":
        from elasticsearch import Elasticsearch

        from crawler.index.elasticsearch.client import delete_indices

        delete_indices(Elasticsearch(es_url or ""), f"{prefix}*")


@contextlib.contextmanager
def elasticsearch_url(given: str | None) -> Iterator[str]:
    if given:
        yield given
        return
    from tests.harness.elasticsearch.node import ElasticsearchNode, prepare

    with ElasticsearchNode(prepare()) as node:
        yield node.url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--backends", nargs="+", default=["embedded", "elasticsearch"])
    parser.add_argument("--es-url")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory(prefix="dedup-scaling-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        workdir = Path(tmp)
        cache = workdir / "background.jsonl"
        es_url = None
        if "elasticsearch" in args.backends:
            es_url = stack.enter_context(elasticsearch_url(args.es_url))
        print(f"{'backend':<14}{'stories':>9}{'load s':>9}{'median ms':>11}{'p90 ms':>9}")
        for kind in args.backends:
            with contextlib.ExitStack() as stores:
                backends, loaded = [], []
                for size in args.sizes:
                    backend = stores.enter_context(open_store(kind, workdir, es_url))
                    loaded.append(load(backend, size, cache))
                    backends.append(backend)
                medians = []
                for size, load_s, spent in zip(
                    args.sizes, loaded, probe(backends, args.pages), strict=True
                ):
                    spent.sort()
                    medians.append(statistics.median(spent) * 1000)
                    p90 = spent[int(len(spent) * 0.9)] * 1000
                    print(f"{kind:<14}{size:>9}{load_s:>9.1f}{medians[-1]:>11.2f}{p90:>9.2f}")
            ratio = medians[-1] / medians[0]
            sizes = f"{args.sizes[-1]}/{args.sizes[0]}"
            print(f"{kind:<14}ratio {sizes}: {ratio:.2f}x (target <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
