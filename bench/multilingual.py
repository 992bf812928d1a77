"""Multilingual quality per language: topics, search, dedup, language and length, vs today.

    .venv/bin/python -m bench.multilingual [--backends embedded elasticsearch] [--es-url URL]
                                            [--json FILE]

Serves the multilingual slice of the mock news web (tests/harness/newsweb/multilingual:
eight languages, inflected and agglutinated forms, near misses, syndicated copies) and
runs two real `newswatch crawl --json` per backend: one with the analyst's base-form
topic (`FULL_TOPIC_QUERY`), one keeping every story (a topic on the outlets), whose
index gives dedup, language and length figures and answers the base-form searches.
Beside each figure, the same run's baseline for what newswatch did before issue #19:
exact word forms (folded text, \\w+ words) for topics and search, word shingles with
CJK runs as one word for dedup, the page's declared language (`<html lang>`,
og:locale) for the language, and a plain character count for the too-short threshold.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

from crawler.analysis.detect import detect_language
from crawler.base.fold import fold
from crawler.config import load_config
from crawler.dedup.normalise import DATELINE, SOURCES_LINE
from crawler.dedup.verify import compare
from crawler.extract import NotAnArticle, extract_article
from crawler.furniture import prior
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from crawler.story import Story
from tests.harness.newsweb.client import NewsWeb, start_newsweb
from tests.harness.newsweb.config import write_config
from tests.harness.newsweb.multilingual import (
    BASE_FORMS,
    FULL_TOPIC_QUERY,
    LANGUAGES,
    TOPIC_NAME,
)
from tests.harness.newsweb.pages import PageMaker
from tests.harness.newsweb.world import build_world

REPO = Path(__file__).resolve().parents[1]
TARGETS = {
    "topic_recall": 0.95,
    "topic_precision": 0.95,
    "search_recall": 0.95,
    "dedup_precision": 1.0,
    "language_accuracy": 0.95,
}
OUTLET_NAMES = ("Polyglot Wire", "Eastern Courier", "Asia Herald", "Euro Digest", "Gulf Daily")
EVERYTHING = " OR ".join(f'outlet:"{name}"' for name in OUTLET_NAMES)
OLD_MIN_CHARS = 400
OLD_SENTENCE_END = re.compile(r"[.!?:;…\"'”’»)]$")


# -- crawling --------------------------------------------------------------------------
def crawl(
    web: NewsWeb, directory: Path, query: str, es_url: str | None
) -> tuple[Path, list[Story]]:
    options: dict[str, Any] = {"entry_points": ("feeds",)}
    if es_url:
        prefix = f"bench{int(time.time() * 1000) % 10**9}-newswatch"
        options |= {"backend": "elasticsearch", "es_url": es_url, "index_prefix": prefix}
    topics = [{"name": TOPIC_NAME, "query": query}]
    config = write_config(web, directory, topics=topics, **options)
    process = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    if process.returncode != 0:
        raise SystemExit(f"crawl failed:\n{process.stderr[-3000:]}")
    with make_backend(load_config(config)) as backend:
        return config, list(backend.export(SearchRequest()))


def stored_ids(web: NewsWeb, stories: list[Story]) -> dict[str, Story]:
    """World story id -> the stored story holding its original copy."""
    by_url = {url: s for s in stories for url in s.copy_urls}
    out = {}
    for story in web.world.stories:
        url = web.copy_url(web.world.original(story.id))
        if url in by_url:
            out[story.id] = by_url[url]
    return out


# -- the exact-form baseline -------------------------------------------------------------
def exact_terms(query: str) -> list[list[str]]:
    """The OR-ed terms and phrases of a base-form query, as folded word sequences."""
    return [re.findall(r"\w+", fold(part.strip().strip('"'))) for part in query.split(" OR ")]


def exact_match(terms: list[list[str]], text: str) -> bool:
    words = re.findall(r"\w+", fold(text))
    joined = f" {' '.join(words)} "
    return any(f" {' '.join(term)} " in joined for term in terms)


def old_paragraphs(text: str) -> list[list[str]]:
    """Dedup's normal form before issue #19: \\w+ words, a CJK clause one word."""
    out = []
    for line in fold(text, compose=True).splitlines():
        line = " ".join(line.split())
        words = re.findall(r"\w+", line)
        furniture = not line or prior.is_furniture(line) or SOURCES_LINE.match(line)
        furniture = furniture or (len(words) <= 25 and DATELINE.match(line) is not None)
        if furniture or (len(words) <= 14 and not OLD_SENTENCE_END.search(line)):
            continue
        out.append(words)
    return out


# -- metrics ---------------------------------------------------------------------------
def ratio(good: int, total: int) -> float | None:
    return good / total if total else None


def topic_scores(web: NewsWeb, tagged: set[str], language: str) -> tuple[Any, Any]:
    stories = [s for s in web.world.stories if s.language == language and s.kind != "brief"]
    on_topic = {s.id for s in stories if s.on_topic}
    predicted = {s.id for s in stories if s.id in tagged}
    hits = len(predicted & on_topic)
    return ratio(hits, len(on_topic)), ratio(hits, len(predicted))


def dedup_scores(web: NewsWeb, copies: list[tuple[str, str, str]], same: Any) -> tuple[Any, Any]:
    """Pairwise precision and recall; `copies` are (world story, stored story, text)."""
    tp = fp = fn = 0
    for (story_a, stored_a, text_a), (story_b, stored_b, text_b) in combinations(copies, 2):
        truth = story_a == story_b
        merged = same(stored_a, stored_b, text_a, text_b)
        tp += truth and merged
        fp += merged and not truth
        fn += truth and not merged
    return ratio(tp, tp + fp), ratio(tp, tp + fn)


@dataclass
class Run:
    """One backend's two crawls of the slice, and what the baselines read from its pages."""

    web: NewsWeb
    everything: list[Story]  # the index of the crawl that keeps every story
    stored: dict[str, Story]  # world story id -> its stored story (that crawl)
    tagged: set[str]  # world story ids the base-form topic kept (the topic crawl)
    base_tagged: set[str]  # ... that exact forms would keep
    pages: dict[int, tuple[str | None, str]]  # id(copy) -> (declared language, text)

    def copy_page(self, copy: Any) -> tuple[str | None, str]:
        return self.pages[id(copy)]


def measure(web: NewsWeb, work: Path, es_url: str | None) -> dict[str, dict[str, Any]]:
    world = web.world
    _, topical = crawl(web, work / "topic", FULL_TOPIC_QUERY, es_url)
    config, everything = crawl(web, work / "everything", EVERYTHING, es_url)
    terms = exact_terms(FULL_TOPIC_QUERY)
    run = Run(
        web=web,
        everything=everything,
        stored=stored_ids(web, everything),
        tagged={sid for sid, s in stored_ids(web, topical).items() if TOPIC_NAME in s.topics},
        base_tagged={s.id for s in world.stories if exact_match(terms, f"{s.title}\n{s.text}")},
        pages={id(c): fetch_page(web, c) for c in world.copies},
    )
    with make_backend(load_config(config)) as backend:
        return {language: language_row(run, backend, language) for language in LANGUAGES}


def old_same(_a: str, _b: str, text_a: str, text_b: str) -> bool:
    """Today's verdict on two copies' texts: the same text, or a copy by word shingles."""
    return text_a == text_b or compare(old_paragraphs(text_a), old_paragraphs(text_b)).is_copy


def language_row(run: Run, backend: Any, language: str) -> dict[str, Any]:
    web, world, stored = run.web, run.web.world, run.stored
    stories = [s for s in world.stories if s.language == language and s.kind != "brief"]
    row: dict[str, Any] = {}
    row["topic_recall"], row["topic_precision"] = topic_scores(web, run.tagged, language)
    base = topic_scores(web, run.base_tagged, language)
    row["base_topic_recall"], row["base_topic_precision"] = base
    wanted = {stored[s.id].id for s in stories if s.on_topic and s.id in stored}
    request = SearchRequest(query=BASE_FORMS[language], limit=100)
    found = {hit.story.id for hit in backend.search(request).hits}
    row["search_recall"] = ratio(len(found & wanted), len(wanted))
    base_terms = exact_terms(BASE_FORMS[language])
    base_found = {s.id for s in run.everything if exact_match(base_terms, f"{s.title}\n{s.text}")}
    row["base_search_recall"] = ratio(len(base_found & wanted), len(wanted))
    by_url = {url: s for s in run.everything for url in s.copy_urls}
    copies = [
        (s.id, by_url[web.copy_url(c)].id, run.copy_page(c)[1])
        for s in stories
        for c in world.copies_of(s.id)
        if web.copy_url(c) in by_url
    ]
    row["dedup_precision"], row["dedup_recall"] = dedup_scores(
        web, copies, lambda a, b, _x, _y: a == b
    )
    row["base_dedup_precision"], row["base_dedup_recall"] = dedup_scores(web, copies, old_same)
    detected = [
        (s.language, c.language) for s in stories if s.id in stored for c in stored[s.id].copies
    ]
    row["language_accuracy"] = ratio(sum(a == b for a, b in detected), len(detected))
    declared = [(s.language, run.copy_page(c)[0]) for s in stories for c in world.copies_of(s.id)]
    row["base_language_accuracy"] = ratio(sum(a == b for a, b in declared), len(declared))
    paragraphs = [(s.language, p) for s in stories for p in s.paragraphs]
    row["paragraph_accuracy"] = ratio(
        sum(detect_language(p) == lang for lang, p in paragraphs), len(paragraphs)
    )
    row["kept"] = ratio(sum(s.id in stored for s in stories), len(stories))
    long_enough = [len(run.copy_page(world.original(s.id))[1]) >= OLD_MIN_CHARS for s in stories]
    row["base_kept"] = ratio(sum(long_enough), len(stories))
    return row


def fetch_page(web: NewsWeb, copy: Any) -> tuple[str | None, str]:
    """(declared language, extracted text) of a copy, as extraction reads its page."""
    with urllib.request.urlopen(web.copy_url(copy), timeout=30) as response:
        html = response.read().decode("utf-8")
    try:
        page = extract_article(html, web.copy_url(copy), min_text_chars=0)
    except NotAnArticle:
        return None, ""
    return page.language, page.text


def detection_cost(pages: int = 60) -> tuple[float, float]:
    """Milliseconds per English page: extraction, and language detection of its text.

    The core mock news web's pages, rendered without a server; the detector's model is
    loaded first (once per crawl process, ~1.5 s).
    """
    world = build_world(0)
    bases = {o.key: f"http://{o.ip}:8080" for o in [*world.outlets, world.offsite]}
    maker = PageMaker(world, bases)
    copies = [c for c in world.copies if c.crawlable][:pages]
    htmls = [(maker.copy_html(c, 0), bases[c.outlet] + c.path) for c in copies]
    start = time.perf_counter()
    texts = []
    for html, url in htmls:
        page = extract_article(html, url, min_text_chars=0)
        texts.append(f"{page.title}\n{page.text}")
    extraction = (time.perf_counter() - start) * 1000 / len(htmls)
    detect_language("warm up the model on a sentence")
    start = time.perf_counter()
    for text in texts:
        detect_language(text, ["en"])
    detection = (time.perf_counter() - start) * 1000 / len(texts)
    return extraction, detection


# -- output ----------------------------------------------------------------------------
COLUMNS = (
    ("topic R", "topic_recall"),
    ("topic P", "topic_precision"),
    ("search R", "search_recall"),
    ("dedup P", "dedup_precision"),
    ("dedup R", "dedup_recall"),
    ("lang acc", "language_accuracy"),
    ("kept", "kept"),
)


def cell(row: dict[str, Any], key: str) -> str:
    def fmt(value: float | None) -> str:
        return " -  " if value is None else f"{value:.2f}"

    target = TARGETS.get(key)
    mark = "" if target is None or row[key] is None or row[key] >= target else "!"
    return f"{fmt(row[key])}{mark} ({fmt(row['base_' + key])})"


def print_table(backend: str, rows: dict[str, dict[str, Any]]) -> None:
    print(f"\n{backend}: newswatch (today's exact forms / declared language / 400 chars)")
    print("lang  " + "".join(f"{title:>16}" for title, _ in COLUMNS) + "   para acc")
    for language, row in rows.items():
        cells = "".join(f"{cell(row, key):>16}" for _, key in COLUMNS)
        print(f"{language:<6}{cells}   {row['paragraph_accuracy']:.2f}")
    targets = ", ".join(f"{k} >= {v}" for k, v in TARGETS.items())
    print(f"targets per language: {targets} ('!' marks a miss)")


@contextmanager
def elasticsearch(url: str | None, wanted: bool) -> Iterator[str | None]:
    if not wanted or url:
        yield url
        return
    from tests.harness.elasticsearch.node import ElasticsearchNode, prepare

    with ElasticsearchNode(prepare()) as node:
        yield node.url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", nargs="+", default=["embedded"],
                        choices=["embedded", "elasticsearch"])  # fmt: skip
    parser.add_argument("--es-url", help="an Elasticsearch 8 node (default: start the test node)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    with (
        start_newsweb(world="multilingual") as web,
        elasticsearch(args.es_url, "elasticsearch" in args.backends) as es_url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        for backend in args.backends:
            target = es_url if backend == "elasticsearch" else None
            results[backend] = measure(web, Path(tmp) / backend, target)
            print_table(backend, results[backend])
    extraction, detection = detection_cost()
    print(
        f"\nEnglish pages (core mock web): extraction {extraction:.1f} ms/page, language "
        f"detection {detection:.2f} ms/page (+{100 * detection / extraction:.1f} %)"
    )
    if args.json:
        results["english_ms_per_page"] = {"extraction": extraction, "detection": detection}
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
