"""The hard negatives: a spliced copy (paragraphs of two stories) and a round-up of leads.

Each is a story of its own in the ground truth: a dedup that merges it into one of
the stories it borrows from is wrong. Both are built so that their topic decision
is the same whatever a pipeline does with their linked headlines.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bench.storyweb.model import StoryTruth, decide_topics
from bench.storyweb.templates import SYNDICATORS, CopyPage

if TYPE_CHECKING:
    from bench.storyweb.build import _Builder
    from bench.storyweb.corpus import Original

SPLICE_TITLE = "Briefing: two stories from a busy week"
ROUNDUP_TITLE = "Resumen de la mañana: cinco historias para empezar el día"
# Neither source may make up this share of the splice's words, so that no
# containment rule can call it a copy of one of them.
MAX_SPLICE_SHARE = 0.55
CHUNK = 3  # paragraphs taken from the on-topic story


def _words(paragraphs: list[str]) -> int:
    return sum(len(p.split()) for p in paragraphs)


def _on_topic_chunk(on: list[Original]) -> tuple[Original, list[str]]:
    """Three paragraphs from the middle of an on-topic story, past any truncated copy's prefix."""
    for original in on:
        paragraphs = list(original.paragraphs)
        for start in range(max(5, len(paragraphs) // 3), len(paragraphs) - CHUNK):
            chunk = paragraphs[start : start + CHUNK]
            if decide_topics("", chunk) and _words(chunk) >= 120:
                return original, chunk
    raise ValueError("no on-topic story has a topic-word passage to splice")


def _balanced_chunk(off: list[Original], wanted: int) -> tuple[Original, list[str]]:
    """Paragraphs from the middle of an off-topic story with about `wanted` words."""
    for original in off:
        paragraphs = list(original.paragraphs)
        if len(paragraphs) < 10 or decide_topics(original.title, paragraphs):
            continue
        chunk: list[str] = []
        for paragraph in paragraphs[len(paragraphs) // 2 :]:
            if _words([*chunk, paragraph]) > wanted * 1.2:
                break
            chunk.append(paragraph)
        total = _words(chunk) + wanted
        if len(chunk) >= 2 and max(_words(chunk), wanted) / total <= MAX_SPLICE_SHARE:
            return original, chunk
    raise ValueError("no off-topic story has a passage that balances the splice")


def splice_page(builder: _Builder, on: list[Original], off: list[Original]) -> None:
    relay = next(s for s in SYNDICATORS if s.key == "relay")
    first, chunk_a = _on_topic_chunk(on)
    second, chunk_b = _balanced_chunk(off, _words(chunk_a))
    paragraphs = chunk_a + chunk_b
    published = max(first.crawled, second.crawled) + timedelta(hours=5)
    builder.number += 1
    url = builder.bases["relay"] + relay.path("briefing-two-stories", builder.number, published)
    page = CopyPage(url, SPLICE_TITLE, paragraphs, published, "Relay staff", "other")
    topics = decide_topics(SPLICE_TITLE, paragraphs)
    builder.stories["splice"] = StoryTruth(
        "splice", SPLICE_TITLE, tuple(paragraphs), topics, "splice"
    )
    builder.add_page(relay, page, "splice", "splice", url)


def roundup_page(builder: _Builder, on: list[Original], off: list[Original]) -> None:
    """Five stories' headlines (links) and leads: two on-topic by their lead alone."""
    sur = next(s for s in SYNDICATORS if s.key == "sur")
    hot = []
    for topic in sorted({t for o in on for t in decide_topics("", o.paragraphs[:1])}):
        hot.append(next(o for o in on if topic in decide_topics("", o.paragraphs[:1])))
    hot = list(dict.fromkeys(hot))[:2]
    cold = [o for o in off if not decide_topics(o.title, o.paragraphs[:1])]
    chosen = hot + builder.rng.sample(cold, 3)
    items = [(o.title, builder.served[o.key], o.paragraphs[0]) for o in chosen]
    published = max(o.crawled for o in chosen) + timedelta(hours=8)
    builder.number += 1
    url = builder.bases["sur"] + sur.path("resumen-de-la-manana", builder.number, published)
    page = CopyPage(url, ROUNDUP_TITLE, [], published, "Redacción", "other", items=items)
    leads = [lead for _, _, lead in items]
    topics = decide_topics(ROUNDUP_TITLE, leads)
    if topics != decide_topics(ROUNDUP_TITLE, leads + [o.title for o in chosen]):
        raise ValueError("the round-up's topics depend on its linked headlines")
    builder.stories["roundup"] = StoryTruth(
        "roundup", ROUNDUP_TITLE, tuple(leads), topics, "roundup"
    )
    builder.add_page(sur, page, "roundup", "roundup", url)
    builder.pages[url].furniture.extend(o.title for o in chosen)
