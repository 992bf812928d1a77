"""Dedup quality on the news web's labelled syndication set: newswatch vs two baselines.

    .venv/bin/python -m bench.dedup_quality [--extra-stories 100] [--seed 0]
        [--texts extracted|truth] [--backend embedded|elasticsearch --es-url URL]

Every copy page of `tests.harness.newsweb.build_world` is rendered and run through
newswatch's extractor (crawler.extract; `--texts truth` uses the ground-truth
paragraphs plus the inserts and "Read more" lines instead), then clustered by
newswatch's Deduplicator (in shuffled crawl order, on a real backend), by a plain
datasketch MinHashLSH(threshold=0.5) over 5-word shingles and by 64-bit SimHash
with Hamming distance <= 3. Prints pairwise precision/recall/F1, the adjusted Rand
index, the hard-negative pairs each method merged, newswatch's recall per
variation, and the verification margins that chose the thresholds.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from datasketch import MinHash, MinHashLSH
from simhash import Simhash, SimhashIndex

from bench.dedup_metrics import Quality, UnionFind, quality
from crawler.dedup import Deduplicator
from crawler.dedup.normalise import body_paragraphs
from crawler.dedup.signature import band_keys
from crawler.dedup.verify import MIN_CONTAINMENT, compare
from crawler.extract.article import extract_article
from crawler.index.backend import IndexBackend
from crawler.items import Article
from tests.harness.newsweb import Copy, World, build_world
from tests.harness.newsweb.pages import PageMaker

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@dataclass
class Item:
    key: str  # the copy's URL
    story: str  # ground-truth story id
    variation: str
    article: Article
    update: Article | None = None  # the same URL after world.advance()


def _truth_text(copy: Copy, version: int) -> str:
    """Ground-truth body with the furniture an imperfect extraction lets through."""
    parts = copy.paragraphs_at(version)
    for k, line in enumerate(copy.inserts):
        parts.insert((k + 1) * len(parts) // (len(copy.inserts) + 1), line)
    return "\n\n".join([*parts, *([copy.read_more] if copy.read_more else [])])


def items(world: World, texts: str) -> tuple[list[Item], Counter[str]]:
    bases = {o.key: f"http://{o.ip}:8080" for o in world.outlets}
    pages = PageMaker(world, bases)
    fallbacks: Counter[str] = Counter()

    def article(copy: Copy, version: int) -> Article:
        url = pages.url(copy.outlet, copy.path) + (
            f"?{copy.listed_query}" if copy.listed_query else ""
        )
        canonical = (
            pages.url(copy.canonical_outlet, copy.canonical_path)
            if copy.canonical_outlet and copy.canonical_path
            else url
        )
        text, title = _truth_text(copy, version), copy.title
        if texts == "extracted":
            try:
                page = extract_article(pages.copy_html(copy, version), url, min_text_chars=0)
                text, title = page.text, page.title or title
            except Exception as exc:  # noqa: BLE001 - counted and reported, the truth text stands in
                fallbacks[type(exc).__name__] += 1
        return Article(
            url=url,
            canonical_url=canonical,
            source=copy.outlet,
            outlet=world.outlet(copy.outlet).name,
            title=title,
            text=text,
            published=copy.published,
            fetched_at=NOW,
        )

    result = []
    for copy in world.copies:
        item = Item(
            pages.url(copy.outlet, copy.path), copy.story_id, copy.variation, article(copy, 0)
        )
        if copy.update_paragraph:
            item.update = article(copy, 1)
        result.append(item)
    return result, fallbacks


def run_newswatch(
    backend: IndexBackend, batch: list[Item], seed: int
) -> tuple[list[str], Counter[str], float]:
    dedup = Deduplicator(backend)
    order = list(batch)
    random.Random(seed).shuffle(order)  # crawl order is arbitrary
    actions: Counter[str] = Counter()
    started = time.perf_counter()
    for item in order:
        actions[dedup.add(item.article).action] += 1
    for item in order:
        if item.update is not None:
            actions[f"{dedup.add(item.update).action} (after update)"] += 1
    elapsed = time.perf_counter() - started
    backend.flush()
    labels = []
    for item in batch:
        story = backend.find_by_url(item.article.url.split("?")[0])
        labels.append(story.id if story else f"missing:{item.key}")
    return labels, actions, elapsed / (len(order) + sum(i.update is not None for i in order))


def _plain_shingles(text: str, size: int = 5) -> set[str]:
    words = text.lower().split()
    return {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def run_minhash_lsh(batch: list[Item]) -> list[str]:
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    groups = UnionFind([item.key for item in batch])
    for item in batch:
        sketch = MinHash(num_perm=128)
        sketch.update_batch([s.encode() for s in _plain_shingles(item.article.text)])
        for other in lsh.query(sketch):
            groups.union(item.key, other)
        lsh.insert(item.key, sketch)
    return groups.labels([item.key for item in batch])


def run_simhash(batch: list[Item]) -> list[str]:
    index = SimhashIndex([], k=3)
    groups = UnionFind([item.key for item in batch])
    for item in batch:
        fingerprint = Simhash(item.article.text.lower(), f=64)
        for other in index.get_near_dups(fingerprint):
            groups.union(item.key, other)
        index.add(item.key, fingerprint)
    return groups.labels([item.key for item in batch])


def merged_negatives(world: World, batch: list[Item], labels: list[str]) -> Counter[str]:
    clusters: dict[str, set[str]] = defaultdict(set)
    for item, label in zip(batch, labels, strict=True):
        clusters[item.story].add(label)
    return Counter(p.kind for p in world.hard_negative_pairs if clusters[p.a] & clusters[p.b])


def recall_by_variation(batch: list[Item], labels: list[str]) -> dict[str, float]:
    """Share of each variation's copies that ended on the story of their original copy."""
    origin = {
        item.story: label
        for item, label in zip(batch, labels, strict=True)
        if item.variation == "original"
    }
    hits: dict[str, list[bool]] = defaultdict(list)
    for item, label in zip(batch, labels, strict=True):
        if item.variation != "original" and item.story in origin:
            hits[item.variation].append(label == origin[item.story])
    return {variation: sum(v) / len(v) for variation, v in sorted(hits.items())}


def margins(world: World, batch: list[Item]) -> None:
    """Verification margins per shingle size, and LSH candidate recall (why the constants)."""
    by_story: dict[str, list[Item]] = defaultdict(list)
    for item in batch:
        by_story[item.story].append(item)
    paragraphs = {item.key: body_paragraphs(item.article.text) for item in batch}
    positives = [
        (a, b)
        for copies in by_story.values()
        for i, a in enumerate(copies)
        for b in copies[i + 1 :]
    ]
    negatives = [
        (a, b) for p in world.hard_negative_pairs for a in by_story[p.a] for b in by_story[p.b]
    ]
    print(
        f"\nverification margins over {len(positives)} copy pairs "
        f"and {len(negatives)} hard-negative pairs"
    )
    print(
        f"{'shingle':>8}{'min copy C':>12}{'max negative C':>16}"
        f"{'copies refused':>16}{'negatives kept':>16}"
    )
    for size in (3, 4, 5, 6, 8):
        pos = [compare(paragraphs[a.key], paragraphs[b.key], size) for a, b in positives]
        neg = [compare(paragraphs[a.key], paragraphs[b.key], size) for a, b in negatives]
        print(
            f"{size:>8}{min(v.containment for v in pos):>12.3f}"
            f"{max(v.containment for v in neg):>16.3f}"
            f"{sum(not v.is_copy for v in pos):>16}{sum(v.is_copy for v in neg):>16}"
        )
    keys = {item.key: set(band_keys(body_paragraphs(item.article.text))) for item in batch}
    found = sum(bool(keys[a.key] & keys[b.key]) for a, b in positives)
    noise = sum(bool(keys[a.key] & keys[b.key]) for a, b in negatives)
    print(
        f"LSH candidates: {found}/{len(positives)} copy pairs share a band key, "
        f"{noise}/{len(negatives)} hard negatives do"
    )
    print(f"(containment threshold {MIN_CONTAINMENT}: between the two columns above)")


@contextlib.contextmanager
def open_backend(kind: str, es_url: str | None) -> Iterator[IndexBackend]:
    with tempfile.TemporaryDirectory(prefix="dedup-quality-") as tmp:
        backend: IndexBackend
        if kind == "embedded":
            from crawler.index.sqlite import SqliteBackend

            backend = SqliteBackend(Path(tmp) / "index.sqlite3")
        else:
            from crawler.config.schema import ElasticsearchIndex
            from crawler.index.elasticsearch import ElasticsearchBackend

            prefix = f"bench-quality-{uuid.uuid4().hex[:8]}"
            backend = ElasticsearchBackend(
                ElasticsearchIndex(url=[es_url or ""], index_prefix=prefix), state_dir=Path(tmp)
            )
        with backend:
            yield backend
        if kind == "elasticsearch":
            from elasticsearch import Elasticsearch

            Elasticsearch(es_url or "").options(ignore_status=404).indices.delete(
                index=f"{prefix}*"
            )


def _row(name: str, q: Quality, negatives: Counter[str], pairs: int) -> str:
    merged = sum(negatives.values())
    figures = f"{q.precision:>10.4f}{q.recall:>8.4f}{q.f1:>8.4f}{q.ari:>8.4f}{q.clusters:>10}"
    return f"{name:<22}{figures}{merged:>6}/{pairs}"


def parse_world(doc: str, argv: list[str] | None) -> tuple[argparse.Namespace, World]:
    """The dedup benches' options (the labelled set's seed, size, texts; the backend) and
    the labelled set they ask for."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--extra-stories", type=int, default=100)
    parser.add_argument("--texts", choices=("extracted", "truth"), default="extracted")
    parser.add_argument("--backend", choices=("embedded", "elasticsearch"), default="embedded")
    parser.add_argument("--es-url")
    args = parser.parse_args(argv)
    return args, build_world(seed=args.seed, extra_stories=args.extra_stories, now=NOW)


def main(argv: list[str] | None = None) -> int:
    args, world = parse_world(__doc__, argv)
    batch, fallbacks = items(world, args.texts)
    truth = [item.story for item in batch]
    pairs = len(world.hard_negative_pairs)
    print(
        f"labelled set: {len(world.stories)} stories, {len(batch)} copies, "
        f"{pairs} hard-negative pairs "
        f"({dict(Counter(p.kind for p in world.hard_negative_pairs))}); texts: {args.texts}"
        + (f", extraction fell back to truth for {dict(fallbacks)}" if fallbacks else "")
    )
    print(f"variations: {dict(Counter(item.variation for item in batch))}")
    with open_backend(args.backend, args.es_url) as backend:
        newswatch, actions, per_page = run_newswatch(backend, batch, args.seed)
    results = {
        f"newswatch ({args.backend})": newswatch,
        "MinHashLSH(0.5), 5-sh": run_minhash_lsh(batch),
        "SimHash64, d<=3": run_simhash(batch),
    }
    print(
        f"\n{'method':<22}{'precision':>10}{'recall':>8}{'F1':>8}{'ARI':>8}"
        f"{'clusters':>10}{'HN merged':>11}"
    )
    print(f"{'ground truth':<22}{'':>34}{len(set(truth)):>10}")
    for name, labels in results.items():
        print(_row(name, quality(truth, labels), merged_negatives(world, batch, labels), pairs))
    print(f"\nnewswatch actions: {dict(actions)}; {per_page * 1000:.2f} ms per page")
    print(
        "newswatch recall per variation:",
        {k: round(v, 3) for k, v in recall_by_variation(batch, newswatch).items()},
    )
    margins(world, batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
