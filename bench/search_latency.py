"""Analyst query latency through newswatch's search layer vs the same query sent raw.

    .venv/bin/python -m bench.search_latency [--docs 100000] [--rounds 5]
        [--backends embedded elasticsearch] [--es-url URL]

Indexes `--docs` realistic story documents into each backend, then runs a fixed
mix of analyst queries (2-4 terms, a phrase, a date filter, highlighting, sorted
by date and by relevance). "newswatch" is `backend.search(request)`: parse,
compile, execute, build the page. "raw" is the already-compiled query sent
straight to the engine (Elasticsearch: the same request body through the
client; embedded: the same SQL statements), then the same snippets: both backends
make them in Python (crawler/query/highlight.py), so both sides do. Prints p50/p95
per backend and the overhead ratio. Targets: Elasticsearch p95 <= 100 ms, embedded p95 <= 200 ms,
overhead <= 10%.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.report import print_comparison, story_fields, timed
from crawler.index.backend import IndexBackend
from crawler.index.search_index import SearchRequest
from crawler.query.highlight import highlight
from crawler.story import Story

NOW = datetime(2026, 11, 26, tzinfo=UTC)
OUTLETS = [f"Outlet {name}" for name in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
ENTITIES = [
    "North Korea",
    "Pyongyang",
    "Kim Jong Un",
    "Russia",
    "Moscow",
    "Vladimir Putin",
    "Ukraine",
    "Kyiv",
    "Kursk",
    "Zelensky",
    "Seoul",
    "Beijing",
    "NATO",
    "the Kremlin",
]
WORDS = [
    "troops",
    "soldiers",
    "artillery",
    "shells",
    "missiles",
    "drones",
    "front",
    "line",
    "border",
    "offensive",
    "intelligence",
    "officials",
    "statement",
    "ministry",
    "defence",
    "army",
    "brigade",
    "battalion",
    "casualties",
    "prisoners",
    "exchange",
    "talks",
    "ceasefire",
    "sanctions",
    "exports",
    "economy",
    "oil",
    "gas",
    "grain",
    "energy",
    "factory",
    "munitions",
    "supply",
    "shipment",
    "rail",
    "port",
    "satellite",
    "images",
    "analysts",
    "report",
    "deployment",
    "rotation",
    "training",
    "exercise",
    "weapons",
    "technology",
    "cooperation",
    "treaty",
    "summit",
    "minister",
    "president",
    "election",
    "parliament",
    "protest",
    "court",
    "ruling",
    "investigation",
]
QUERIES = [
    ("2 terms, relevance", dict(query="artillery shells", sort="relevance")),
    ("3 terms, date", dict(query="troops Kursk offensive", sort="date")),
    ("4 terms, relevance", dict(query="Pyongyang munitions shipment rail", sort="relevance")),
    ("phrase, relevance", dict(query='"North Korea" soldiers', sort="relevance")),
    ("phrase + 7d filter, date", dict(query='"Kim Jong Un" missiles', sort="date", days=7)),
    ("OR + NOT, date", dict(query="(drones OR missiles) -sanctions", sort="date")),
]


SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tan",
    "el",
    "vor",
    "sun",
    "de",
    "li",
    "pa",
    "ner",
    "gol",
    "is",
    "ba",
    "tre",
    "mon",
    "fi",
    "ul",
    "sa",
    "ren",
]
# A Zipf-distributed filler vocabulary gives realistic term selectivity: the news
# words and names above appear in a fraction of the stories, as in a real index.
FILLER = sorted({"".join(random.Random(i).choices(SYLLABLES, k=3)) for i in range(8000)})


def sentence(rng: random.Random) -> str:
    words = [FILLER[int(rng.paretovariate(1.0)) % len(FILLER)] for _ in range(rng.randint(8, 14))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(WORDS))
    if rng.random() < 0.15:
        words.insert(rng.randrange(len(words)), rng.choice(ENTITIES))
    return " ".join(words).capitalize() + "."


def make_story(rng: random.Random, number: int) -> dict[str, Any]:
    url = f"https://news{number % 40}.example/story/{number}"
    text = "\n\n".join(" ".join(sentence(rng) for _ in range(4)) for _ in range(8))
    published = (NOW - timedelta(minutes=rng.randint(0, 60 * 24 * 60))).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    outlets = rng.sample(OUTLETS, rng.choice([1, 1, 1, 2, 3, 5]))
    copies = [
        {
            "url": f"{url}?copy={i}",
            "canonical_url": f"{url}?copy={i}",
            "outlet": outlet,
            "source": outlet.lower().replace(" ", "-"),
            "title": f"Story {number}",
            "published": published,
            "first_seen": published,
            "match": "original" if i == 0 else "near",
            "score": None if i == 0 else 0.9,
        }
        for i, outlet in enumerate(outlets)
    ]
    return {
        "id": hashlib.sha1(url.encode()).hexdigest(),
        "url": url,
        "canonical_url": url,
        "outlet": outlets[0],
        "source": copies[0]["source"],
        "title": sentence(rng).rstrip("."),
        "description": sentence(rng),
        "text": text,
        "authors": [f"Reporter {rng.randint(1, 300)}"],
        "published": published,
        "updated": None,
        "language": "en",
        "top_image": None,
        "tags": [],
        "topics": ["dprk-russia-war"] if rng.random() < 0.6 else ["other"],
        **story_fields(text, published, copies, outlets, []),
    }


def requests() -> list[tuple[str, SearchRequest]]:
    made = []
    for label, query in QUERIES:
        spec = dict(query)  # QUERIES is shared by both backends' runs
        days = spec.pop("days", None)
        since = NOW - timedelta(days=days) if days else None
        made.append((label, SearchRequest(since=since, limit=20, **spec)))
    return made


@contextlib.contextmanager
def embedded(
    docs: int, seed: int
) -> Iterator[tuple[IndexBackend, Callable[[SearchRequest], Callable[[], Any]]]]:
    from crawler.index.sqlite import SqliteBackend
    from crawler.index.sqlite import search as sqlite_search

    with tempfile.TemporaryDirectory() as tmp:
        backend = SqliteBackend(Path(tmp) / "bench.sqlite3")
        backend.open()
        rng = random.Random(seed)
        with backend.dedup_lock():  # one transaction for the load
            for number in range(docs):
                backend.put_story(Story.from_document(make_story(rng, number)))
        backend.flush()
        conn = backend._conn  # noqa: SLF001 (the raw side runs the same SQL on it)

        def raw(request: SearchRequest) -> Callable[[], Any]:
            selection = sqlite_search.select(request)
            by_relevance = request.sort == "relevance" and selection.match is not None
            count_sql = sqlite_search.count_query(selection)
            page_sql = sqlite_search.page_query(selection, by_relevance, None, request.limit + 1)
            marks = highlight(request.query)  # the snippets, as newswatch makes them

            def run() -> Any:
                conn.execute(*count_sql).fetchone()
                rows = conn.execute(*page_sql).fetchall()
                stories = sqlite_search._docs(conn, [r[0] for r in rows])  # noqa: SLF001
                return [marks.snippet(s.title, s.text, s.language) for s in stories.values()]

            return run

        try:
            yield backend, raw
        finally:
            backend.close()


@contextlib.contextmanager
def elasticsearch(
    docs: int, seed: int, url: str | None
) -> Iterator[tuple[IndexBackend, Callable[[SearchRequest], Callable[[], Any]]]]:
    from elasticsearch import helpers

    from crawler.config.schema import ElasticsearchIndex
    from crawler.index.elasticsearch import ElasticsearchBackend
    from crawler.index.elasticsearch import search as es_search
    from crawler.index.elasticsearch.client import delete_indices, make_client
    from crawler.index.elasticsearch.tokens import with_tokens

    with contextlib.ExitStack() as stack:
        if url is None:
            from tests.harness.elasticsearch.node import ElasticsearchNode, prepare

            url = stack.enter_context(ElasticsearchNode(prepare(), heap="1g")).url
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        config = ElasticsearchIndex(url=[url], index_prefix="bench-search")
        backend = ElasticsearchBackend(config, state_dir=Path(tmp))
        backend.open()
        client = backend.client
        alias = backend.names.stories
        rng = random.Random(seed)
        # As put_story writes them: the stored form plus the search tokens, which the
        # mapping indexes (and keeps out of _source); without them nothing matches.
        actions = (
            {"_index": alias, "_id": story.id, "_source": with_tokens(story.to_document())}
            for story in (Story.from_document(make_story(rng, n)) for n in range(docs))
        )
        for ok, item in helpers.streaming_bulk(client, actions, chunk_size=1000, max_retries=3):
            if not ok:
                raise RuntimeError(f"load failed: {json.dumps(item)[:300]}")
        client.indices.refresh(index=alias)
        client.indices.forcemerge(index=alias, max_num_segments=1)

        def raw(request: SearchRequest) -> Callable[[], Any]:
            body = es_search.search_body(request)
            marks = highlight(request.query)  # the snippets, as newswatch makes them

            def run() -> Any:
                hits = client.search(index=alias, **body)["hits"]["hits"]
                sources = [hit["_source"] for hit in hits]
                return [marks.snippet(s["title"], s["text"], s.get("language")) for s in sources]

            return run

        try:
            yield backend, raw
        finally:
            backend.close()  # first: closing flushes (refreshes) its indices
            with make_client(config) as cleaner:
                delete_indices(cleaner, "bench-search-*")


def loaded(
    name: str, docs: int, seed: int, es_url: str | None
) -> contextlib.AbstractContextManager[
    tuple[IndexBackend, Callable[[SearchRequest], Callable[[], Any]]]
]:
    """`docs` generated stories in the backend `name` ("embedded" or "elasticsearch")."""
    return embedded(docs, seed) if name == "embedded" else elasticsearch(docs, seed, es_url)


def measure(
    name: str, backend: IndexBackend, raw: Callable[[SearchRequest], Callable[[], Any]], rounds: int
) -> None:
    ours: list[float] = []
    theirs: list[float] = []
    print(f"\n{name}: {backend.count()} stories")
    print(f"  {'query':28} {'newswatch p50':>14} {'raw p50':>9} {'hits':>7}")
    for label, request in requests():
        total = backend.search(request).total
        mine = timed(lambda r=request: backend.search(r), rounds)
        direct = timed(raw(request), rounds)
        ours += mine
        theirs += direct
        ours_ms, raw_ms = statistics.median(mine), statistics.median(direct)
        print(f"  {label:28} {ours_ms:11.1f} ms {raw_ms:6.1f} ms {total:7}")
    print_comparison(("newswatch", ours), ("raw", theirs), "overhead", 3, "target <= x1.10")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", nargs="+", default=["embedded", "elasticsearch"])
    parser.add_argument("--es-url")
    args = parser.parse_args()
    for name in args.backends:
        start = time.perf_counter()
        with loaded(name, args.docs, args.seed, args.es_url) as (backend, raw):
            print(f"\n[{name}] loaded {args.docs} stories in {time.perf_counter() - start:.0f}s")
            measure(name, backend, raw, args.rounds)


if __name__ == "__main__":
    main()
