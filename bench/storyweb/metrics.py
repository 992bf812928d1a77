"""Score what a system kept of the story web against its ground truth.

A system's result is a clustering of the pages it kept into stories, each story
with its topics and its stored text. Topic precision/recall are counted per
(story, topic) and per (URL, topic); dedup as pairs of pages put on one story;
extraction as ROUGE-LSum F1 of each story's stored text against the original's
ground-truth body (the better of with and without its optional paragraphs).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING

from bench.storyweb.corpus import reference_variants
from bench.storyweb.rouge import rouge_lsum

if TYPE_CHECKING:
    from bench.storyweb.model import StoryWeb


@dataclass
class Result:
    """What a system kept: page URL -> story id; story id -> topics and stored text."""

    story_of: dict[str, str] = field(default_factory=dict)
    topics: dict[str, frozenset[str]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def members(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for url, story in self.story_of.items():
            found.setdefault(story, []).append(url)
        return found


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _score(predicted: set, truth: set) -> Score:
    return Score(len(predicted & truth), len(predicted - truth), len(truth - predicted))


def truth_story(web: StoryWeb, result: Result) -> dict[str, str]:
    """Each kept story's ground-truth story: the one most of its pages belong to."""
    mapped = {}
    for story, urls in result.members().items():
        votes = Counter(web.pages[url].story for url in urls)
        mapped[story] = min(votes, key=lambda key: (-votes[key], key))
    return mapped


def topics_by_url(web: StoryWeb, result: Result) -> Score:
    truth = {(u, t) for u, p in web.pages.items() for t in web.stories[p.story].topics}
    predicted = {(u, t) for u, s in result.story_of.items() for t in result.topics.get(s, ())}
    return _score(predicted, truth)


def topics_by_story(web: StoryWeb, result: Result) -> Score:
    truth = {(k, t) for k, s in web.stories.items() for t in s.topics}
    mapped = truth_story(web, result)
    predicted = {(mapped[s], t) for s in mapped for t in result.topics.get(s, ())}
    return _score(predicted, truth)


def topic_errors(web: StoryWeb, result: Result) -> tuple[Counter[str], Counter[str]]:
    """Per-URL topic errors by page kind: (false positives, misses)."""
    false, missed = Counter[str](), Counter[str]()
    for url, page in web.pages.items():
        wanted = web.stories[page.story].topics
        got = result.topics.get(result.story_of.get(url, ""), frozenset())
        false.update([page.kind] * len(got - wanted))
        missed.update([page.kind] * len(wanted - got))
    return false, missed


def dedup_pairs(web: StoryWeb, result: Result) -> Score:
    """Pairs of pages on one kept story. Correct when the pages are of one story; the pairs
    to find are those of on-topic stories (an off-topic story need not be kept at all)."""
    predicted = {
        frozenset(pair)
        for urls in result.members().values()
        for pair in combinations(sorted(urls), 2)
    }
    same = {p for p in predicted if len({web.pages[u].story for u in p}) == 1}
    wanted = {
        frozenset(pair)
        for key, story in web.stories.items()
        if story.topics
        for pair in combinations(sorted(p.url for p in web.copies_of(key)), 2)
    }
    return Score(len(same & wanted), len(predicted - same), len(wanted - predicted))


def copies_apart(web: StoryWeb, result: Result) -> Counter[str]:
    """Copies of on-topic stories not kept on their original's story, by copy kind."""
    apart = Counter[str]()
    for key, story in web.stories.items():
        pages = web.copies_of(key)
        original = next((p.url for p in pages if p.kind == "original"), None)
        if not story.topics or original is None:
            continue
        home = result.story_of.get(original)
        for page in pages:
            if page.url != original and (home is None or result.story_of.get(page.url) != home):
                apart[page.kind] += 1
    return apart


def merged_negatives(web: StoryWeb, result: Result) -> list[str]:
    """Hard negatives (splice, round-up) that share a kept story with another story's page."""
    merged = []
    for urls in result.members().values():
        stories = {web.pages[u].story for u in urls}
        merged += [s for s in stories if s in ("splice", "roundup") and len(stories) > 1]
    return sorted(merged)


@dataclass(frozen=True)
class Rouge:
    precision: float
    recall: float
    f1: float


def rouge(text: str, body: tuple[str, ...] | list[str]) -> Rouge:
    """ROUGE-LSum of `text` (paragraphs one per line) against the best reference variant."""
    lines = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    best = None
    for variant in reference_variants(body):
        score = rouge_lsum("\n".join(variant), lines)
        if best is None or score.fmeasure > best.fmeasure:
            best = score
    assert best is not None
    return Rouge(best.precision, best.recall, best.fmeasure)


def story_texts(web: StoryWeb, result: Result) -> dict[str, str]:
    """The text each system holds for each ground-truth story: the kept story holding the
    original's page, else the largest kept story mapped to it."""
    mapped = truth_story(web, result)
    members = result.members()
    chosen: dict[str, str] = {}
    for story in sorted(mapped, key=lambda s: -len(members[s])):
        key = mapped[story]
        holds_original = any(web.pages[u].kind == "original" for u in members[story])
        if key not in chosen or holds_original:
            chosen[key] = story
    return {key: result.texts.get(story, "") for key, story in chosen.items()}
