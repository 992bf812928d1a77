"""Topics on the page before dedup vs topics on the story after it, on the labelled set.

The labelled syndication set of bench/dedup_quality.py (texts extracted from the
rendered pages, fed in shuffled crawl order) with the shipped topic queries. Two
pipelines on a real backend each:

- baseline, the old order: each page's own title and text decide; a page matching
  no topic is dropped before dedup, so an off-topic teaser of an on-topic story is lost;
- newswatch: dedup first, topics decided on the story, off-topic pages held for a copy.

Figures over the copies of on-topic stories: pairwise precision/recall/F1 (a dropped
copy is a cluster of its own) and the share of those copies indexed; then how many
off-topic stories (and copies of them) were indexed. Both pipelines take pages in
turns, and the median time per page of each action is printed, so an off-topic
page's cost is read next to a new story's under the same load.

`--texts truth` feeds ground-truth bodies with the "Also read: <headline>" inserts an
imperfect extraction lets through: a headline with topic words then makes a copy of
an off-topic story on-topic in both pipelines (furniture deciding topics), and the
story then gathers all its copies in the new one.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections import defaultdict

from bench.dedup_metrics import quality
from bench.dedup_quality import Item, items, open_backend, parse_world
from crawler.dedup import Deduplicator
from crawler.index.backend import IndexBackend
from crawler.story import Story
from crawler.topics import TopicMatcher
from tests.harness.newsweb import World
from tests.harness.newsweb.config import default_topics


def page_topics(matcher: TopicMatcher, item: Item) -> list[str]:
    """What the old topic pipeline saw: this page alone (as a story of one copy)."""
    article = item.article
    page = Story(
        id=item.key,
        url=article.url,
        outlet=article.outlet,
        title=article.title,
        text=article.text,
        language=article.language,
    )
    return matcher.match(page)


def add(
    dedup: Deduplicator, item: Item, timings: dict[str, list[float]], gate: TopicMatcher | None
) -> None:
    """One page through one pipeline; with `gate`, the old topic pipeline runs first."""
    if gate is not None and not page_topics(gate, item):
        timings["dropped before dedup"].append(0.0)
        return
    started = time.perf_counter()
    outcome = dedup.add(item.article)
    timings[outcome.action].append((time.perf_counter() - started) * 1000)


def labels_of(backend: IndexBackend, order: list[Item]) -> dict[str, str]:
    """Story id per indexed copy (by its key)."""
    backend.flush()
    labels = {}
    for item in order:
        story = backend.find_by_url(item.article.url.split("?")[0])
        if story is not None:
            labels[item.key] = story.id
    return labels


def report(name: str, world: World, batch: list[Item], labels: dict[str, str]) -> str:
    wanted = [item for item in batch if world.story(item.story).on_topic]
    truth = [item.story for item in wanted]
    predicted = [labels.get(item.key, f"dropped:{item.key}") for item in wanted]
    q = quality(truth, predicted)
    indexed = sum(item.key in labels for item in wanted) / len(wanted)
    off_topic = [item for item in batch if not world.story(item.story).on_topic]
    stories = len({item.story for item in off_topic if item.key in labels})
    copies = sum(item.key in labels for item in off_topic)
    return (
        f"{name:<36}{q.precision:>10.4f}{q.recall:>8.4f}{q.f1:>8.4f}{indexed:>9.4f}"
        f"{f'{stories} ({copies})':>28}"
    )


def main(argv: list[str] | None = None) -> int:
    args, world = parse_world(__doc__, argv)
    batch, _ = items(world, args.texts)
    order = list(batch)
    random.Random(args.seed).shuffle(order)
    matcher = TopicMatcher({t["name"]: t["query"] for t in default_topics()})
    on_topic = sum(world.story(item.story).on_topic for item in batch)
    print(
        f"labelled set: {len(batch)} copies, {on_topic} of on-topic stories; "
        f"texts: {args.texts}; backend: {args.backend}"
    )
    header = f"{'pipeline':<36}{'precision':>10}{'recall':>8}{'F1':>8}{'indexed':>9}"
    print(f"\n{header}{'off-topic stories (copies)':>28}")
    names = ("baseline: page topics, then dedup", "newswatch: dedup, then story topics")
    timings: dict[str, dict[str, list[float]]] = {name: defaultdict(list) for name in names}
    with (
        open_backend(args.backend, args.es_url) as old,
        open_backend(args.backend, args.es_url) as new,
    ):
        baseline = Deduplicator(old)
        newswatch = Deduplicator(new, topics=matcher, held=new.held_pages())
        # Page by page in turns, so the machine's load weighs on both alike.
        for n, item in enumerate(order):
            turns = [(baseline, names[0], matcher), (newswatch, names[1], None)]
            for dedup, name, gate in turns if n % 2 else reversed(turns):
                add(dedup, item, timings[name], gate)
        for name, backend in zip(names, (old, new), strict=True):
            print(report(name, world, batch, labels_of(backend, order)))
    print("\nmedian ms per page (pages):")
    for name, by_action in timings.items():
        figures = ", ".join(
            f"{action} {statistics.median(values):.2f} ({len(values)})"
            for action, values in sorted(by_action.items())
        )
        print(f"  {name}: {figures}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
