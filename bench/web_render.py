"""The web app's search page vs the JSON API for the same analyst queries, server side.

    .venv/bin/python -m bench.web_render [--docs 100000] [--rounds 15]
        [--backends embedded elasticsearch] [--es-url URL] [--embedded-path FILE]

Loads `--docs` story documents exactly as bench/search_latency.py does (its setup
and its six analyst queries), serves them with `create_app` (API and web app in
one FastAPI app), and times, per query, `GET /?q=...` (search, the facets and the
histogram, then the Jinja2 page: results, facet counts, the SVG histogram, chips,
highlighted snippets, pager) against `GET /search?q=...` (search, then JSON, no
facets) through the ASGI app in process (Starlette's TestClient: no sockets, so
the figures are the server's work). Prints p50/p95 of each side and the page/API
ratio; target p95 ratio <= 1.5. Elasticsearch uses `--es-url`, or starts a node
from the test suite's harness as bench/search_latency.py does.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench.report import print_comparison
from bench.search_latency import QUERIES, loaded
from crawler.api.app import create_app
from crawler.config.schema import ApiConfig, ElasticsearchIndex
from crawler.index import IndexBackend

PAGE_SIZE = 20


def params(spec: Any) -> dict[str, Any]:
    """The query string both sides get: the bench's query, sort and date filter."""
    given = {"q": spec["query"], "sort": spec["sort"], "limit": PAGE_SIZE}
    if spec.get("days"):
        # The bench's documents end at its fixed NOW (2026-11-26); its date filter counts
        # back from there, so the absolute date is passed, the same to both sides.
        given["since"] = f"2026-11-{26 - spec['days']:02d}"
    return given


def factory(name: str, backend: IndexBackend) -> Callable[[], IndexBackend]:
    """Unopened backends on the loaded store: the app opens one per worker thread."""
    if name == "embedded":
        from crawler.index.sqlite import SqliteBackend

        path = backend.path  # type: ignore[attr-defined]
        return lambda: SqliteBackend(path)
    from crawler.index.elasticsearch import ElasticsearchBackend

    state = Path(tempfile.mkdtemp(prefix="bench-web-"))
    config = ElasticsearchIndex(url=backend.config.url, index_prefix="bench-search")  # type: ignore[attr-defined]
    return lambda: ElasticsearchBackend(config, state_dir=state)


def warm(client: TestClient, rounds: int = 5) -> None:
    """The app opens one backend per worker thread on first use: open them all first, so
    that neither side pays for it (and for cold page caches) inside its timings."""
    for _ in range(rounds):
        for _, spec in QUERIES:
            for path in ("/", "/search"):
                client.get(path, params=params(spec)).raise_for_status()


def interleaved(client: TestClient, given: dict[str, Any], rounds: int) -> tuple[list, list]:
    """Page and API timings taken in turns (which goes first alternates), so that both
    sides see the same caches and the same load from the rest of the machine."""
    samples: dict[str, list[float]] = {"/": [], "/search": []}
    for number in range(rounds):
        order = ("/", "/search") if number % 2 else ("/search", "/")
        for path in order:
            start = time.perf_counter()
            client.get(path, params=given).raise_for_status()
            samples[path].append((time.perf_counter() - start) * 1000)
    return samples["/"], samples["/search"]


def measure(name: str, client: TestClient, rounds: int) -> None:
    warm(client)
    pages: list[float] = []
    apis: list[float] = []
    print(f"  {'query':28} {'page p50':>9} {'API p50':>9} {'ratio':>6} {'stories':>8}")
    for label, spec in QUERIES:
        given = params(spec)
        answer = client.get("/search", params=given)
        answer.raise_for_status()
        page = client.get("/", params=given)
        page.raise_for_status()
        assert "results-heading" in page.text, f"{label}: the page shows no results"
        # search.html: the chart is <figure class="histogram">, the outlet counts
        # <section class="facet facet-outlet"> (estimated above 1,000 matches, still shown).
        for marker in ('class="histogram"', "facet-outlet"):
            assert marker in page.text, f"{label}: no {marker} on the page"
        page_ms, api_ms = interleaved(client, given, rounds)
        pages += page_ms
        apis += api_ms
        p, a = statistics.median(page_ms), statistics.median(api_ms)
        print(f"  {label:28} {p:6.1f} ms {a:6.1f} ms {p / a:6.2f} {answer.json()['total']:8}")
    print_comparison(("page", pages), ("API", apis), "page/API", 2, "target p95 <= x1.50")


def load_embedded(path: Path, docs: int, seed: int) -> None:
    """The stories bench/search_latency.py loads, into the index file `path`."""
    import random

    from bench.search_latency import make_story
    from crawler.index.sqlite import SqliteBackend
    from crawler.story import Story

    rng = random.Random(seed)
    with SqliteBackend(path) as backend, backend.dedup_lock():
        for number in range(docs):
            backend.put_story(Story.from_document(make_story(rng, number)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--backends", nargs="+", default=["embedded"])
    parser.add_argument("--es-url", help="a running Elasticsearch node (default: start one)")
    parser.add_argument(
        "--embedded-path",
        type=Path,
        help="keep the embedded index in FILE: loaded there when missing, reused after "
        "(with the same --docs and --seed); default: a temporary directory",
    )
    args = parser.parse_args()
    for name in args.backends:
        if name == "embedded" and args.embedded_path:
            from crawler.index.sqlite import SqliteBackend

            if not args.embedded_path.exists():
                load_embedded(args.embedded_path, args.docs, args.seed)
            with SqliteBackend(args.embedded_path) as backend:
                print(f"\n[embedded] {backend.count()} stories in {args.embedded_path}")
            app = create_app(ApiConfig(), factory(name, backend))
            with TestClient(app) as client:
                measure(name, client, args.rounds)
            continue
        start = time.perf_counter()
        with loaded(name, args.docs, args.seed, args.es_url) as (backend, _raw):
            print(
                f"\n[{name}] loaded {backend.count()} stories in {time.perf_counter() - start:.0f}s"
            )
            app = create_app(ApiConfig(), factory(name, backend))
            with TestClient(app) as client:
                measure(name, client, args.rounds)


if __name__ == "__main__":
    main()
