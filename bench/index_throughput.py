"""Bulk indexing throughput: newswatch's Elasticsearch writer vs raw streaming_bulk, and embedded.

    .venv/bin/python bench/index_throughput.py [--docs 100000] [--repeats 3] [--es-url URL]

Without --es-url the benchmark starts the test node (tests/harness/elasticsearch/node.py). Each
repeat indexes the same pre-generated story documents (3-5 KB of text, title, copies,
dedup bands) into fresh indices; figures are medians over the repeats.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from elasticsearch import Elasticsearch  # noqa: E402 - after the path set-up
from elasticsearch.helpers import streaming_bulk  # noqa: E402

from bench.report import story_fields  # noqa: E402
from crawler.config.schema import ElasticsearchIndex  # noqa: E402
from crawler.index.elasticsearch import ElasticsearchBackend  # noqa: E402
from crawler.index.elasticsearch.client import IndexNames, delete_indices  # noqa: E402
from crawler.index.elasticsearch.setup import init  # noqa: E402
from crawler.story import Story  # noqa: E402

OUTLETS = [
    "Reuters",
    "AP",
    "Yonhap",
    "NK News",
    "Kyiv Independent",
    "BBC",
    "Fakt",
    "DW",
    "Meduza",
    "Ukrainska Pravda",
    "The Guardian",
    "Al Jazeera",
    "Daily NK",
]
WORDS = [
    "north",
    "korea",
    "korean",
    "pyongyang",
    "russia",
    "russian",
    "ukraine",
    "ukrainian",
    "kursk",
    "troops",
    "soldiers",
    "artillery",
    "shells",
    "missiles",
    "kremlin",
    "moscow",
    "kyiv",
    "front",
    "line",
    "war",
    "officials",
    "said",
    "intelligence",
    "report",
    "according",
    "defence",
    "ministry",
    "satellite",
    "images",
    "border",
    "rail",
    "shipments",
    "ammunition",
    "sanctions",
    "united",
    "nations",
    "envoy",
    "summit",
    "leader",
    "kim",
    "putin",
    "zelensky",
    "agreement",
    "military",
    "cooperation",
    "casualties",
    "drone",
    "attack",
    "region",
    "forces",
    "deployment",
    "battalion",
    "general",
    "statement",
    "analysts",
    "weapons",
    "factory",
    "supply",
    "deliveries",
    "the",
    "a",
    "of",
    "in",
    "and",
    "to",
    "on",
    "for",
    "with",
    "by",
    "from",
    "that",
    "was",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "after",
    "before",
    "during",
    "since",
]


def paragraphs(rng: random.Random, count: int = 3000) -> list[str]:
    pool = []
    for _ in range(count):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            words = rng.choices(WORDS, k=rng.randint(10, 24))
            sentences.append(" ".join(words).capitalize() + ".")
        pool.append(" ".join(sentences))
    return pool


def make_documents(n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Story documents as the dedup engine writes them, about 4 KB of text each."""
    rng = random.Random(seed)
    pool = paragraphs(rng)
    docs = []
    for i in range(n):
        outlet = rng.choice(OUTLETS)
        url = f"https://{outlet.lower().replace(' ', '')}.example/news/2026/11/{i}"
        body = []
        while sum(len(p) for p in body) < rng.randint(3000, 5000):
            body.append(rng.choice(pool))
        text = "\n\n".join(body) + f" Dispatch {i}."
        published = f"2026-11-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z"
        copies = [
            {
                "url": url,
                "canonical_url": url,
                "outlet": outlet,
                "source": outlet.lower(),
                "title": body[0][:90],
                "published": published,
                "first_seen": published,
                "match": "original",
                "score": None,
            }
        ]
        for other in rng.sample(OUTLETS, rng.randint(0, 4)):
            copy_url = f"https://{other.lower().replace(' ', '')}.example/wire/{i}"
            copies.append(
                {
                    **copies[0],
                    "url": copy_url,
                    "canonical_url": copy_url,
                    "outlet": other,
                    "source": other.lower(),
                    "match": "near",
                    "score": round(rng.uniform(0.8, 1.0), 3),
                }
            )
        outlets = list(dict.fromkeys(c["outlet"] for c in copies))
        docs.append(
            {
                "id": hashlib.sha1(url.encode()).hexdigest(),
                "url": url,
                "canonical_url": url,
                "outlet": outlet,
                "source": outlet.lower(),
                "title": body[0][:90],
                "description": body[0][:200],
                "text": text,
                "authors": ["Staff reporter"],
                "published": published,
                "updated": None,
                "language": "en",
                "top_image": f"{url}/lead.jpg",
                "tags": ["world"],
                "topics": ["dprk-russia-war"],
                **story_fields(
                    text,
                    published,
                    copies,
                    outlets,
                    [f"{b}:{rng.getrandbits(48):012x}" for b in range(16)],
                ),
            }
        )
    return docs


def timed(run: Callable[[], int]) -> float:
    """Documents per second of `run`, which returns how many it wrote."""
    started = time.perf_counter()
    written = run()
    return written / (time.perf_counter() - started)


def raw_bulk(client: Elasticsearch, docs: list[dict[str, Any]], chunk: int) -> float:
    names = IndexNames(f"bench-raw-{uuid.uuid4().hex[:8]}")
    init(client, names)  # same mapping and analyzers as newswatch's

    def run() -> int:
        actions = ({"_index": names.stories, "_id": d["id"], "_source": d} for d in docs)
        ok = sum(
            1 for ok, _ in streaming_bulk(client, actions, chunk_size=chunk, max_retries=5) if ok
        )
        client.indices.refresh(index=names.stories)
        return ok

    try:
        return timed(run)
    finally:
        delete_indices(client, f"{names.prefix}-*")


def newswatch_es(url: str, docs: list[dict[str, Any]], chunk: int, sync: str) -> float:
    prefix = f"bench-nw-{uuid.uuid4().hex[:8]}"
    state = Path(tempfile.mkdtemp(prefix="newswatch-bench-"))
    config = ElasticsearchIndex(url=[url], index_prefix=prefix, bulk_chunk_size=chunk)
    backend = ElasticsearchBackend(config, state_dir=state, spool_sync=sync)
    backend.open()  # creates the indices: not part of the timing, as for raw

    stories = [Story.from_document(doc) for doc in docs]

    def run() -> int:
        for story in stories:
            backend.put_story(story)
        backend.flush()
        return int(backend.stats["index/written"])

    try:
        rate = timed(run)
        if backend.stats["index/written"] != len(docs):
            raise SystemExit(f"newswatch wrote {backend.stats['index/written']} of {len(docs)}")
        return rate
    finally:
        backend.close()
        delete_indices(Elasticsearch(url), f"{prefix}-*")
        shutil.rmtree(state, ignore_errors=True)


def embedded(docs: list[dict[str, Any]]) -> float:
    from crawler.index.sqlite import SqliteBackend

    state = Path(tempfile.mkdtemp(prefix="newswatch-bench-"))
    backend = SqliteBackend(state / "bench.sqlite3")
    backend.open()

    stories = [Story.from_document(doc) for doc in docs]

    def run() -> int:
        for story in stories:
            backend.put_story(story)
        backend.flush()
        return len(docs)

    try:
        return timed(run)
    finally:
        backend.close()
        shutil.rmtree(state, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--es-url", help="an Elasticsearch 8 node (default: start the test node)")
    parser.add_argument("--skip-embedded", action="store_true")
    args = parser.parse_args(argv)

    node = None
    url = args.es_url
    if url is None:
        from tests.harness.elasticsearch.node import ElasticsearchNode, prepare

        node = ElasticsearchNode(prepare(), heap="1g").start()
        url = node.url
    try:
        started = time.perf_counter()
        docs = make_documents(args.docs)
        size = sum(len(d["text"]) for d in docs) / len(docs)
        print(
            f"{len(docs)} story documents, {size / 1024:.1f} KB of text each on average "
            f"(generated in {time.perf_counter() - started:.0f}s); Elasticsearch at {url}"
        )
        client = Elasticsearch(url, request_timeout=120)
        rates: dict[str, list[float]] = {"raw": [], "FULL": [], "NORMAL": [], "embedded": []}
        runs: dict[str, Callable[[], float]] = {
            "raw": lambda: raw_bulk(client, docs, args.chunk_size),
            "FULL": lambda: newswatch_es(url, docs, args.chunk_size, "FULL"),
            "NORMAL": lambda: newswatch_es(url, docs, args.chunk_size, "NORMAL"),
        }
        for repeat in range(args.repeats):
            # Rotate the order so no side always runs on a warmer (or busier) node.
            order = list(runs)[repeat % 3 :] + list(runs)[: repeat % 3]
            if not args.skip_embedded:
                order.append("embedded")
            for name in order:
                rates[name].append(embedded(docs) if name == "embedded" else runs[name]())
                print(f"  repeat {repeat + 1}: {name:<8} {rates[name][-1]:8.0f} docs/s", flush=True)
        median = {name: statistics.median(v) for name, v in rates.items() if v}
        n = args.repeats
        print(
            f"raw helpers.streaming_bulk                  {median['raw']:8.0f} docs/s "
            f"(median of {n})"
        )
        for sync, what in (("FULL", "fsync per put"), ("NORMAL", "survives SIGKILL")):
            print(
                f"newswatch writer, spool {sync:<6} ({what:<16}) {median[sync]:8.0f} docs/s,"
                f" ratio {median[sync] / median['raw']:.2f} (target >= 0.80)"
            )
        if "embedded" in median:
            print(f"embedded SQLite backend                     {median['embedded']:8.0f} docs/s")
        client.close()
    finally:
        if node is not None:
            node.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
