"""The Deduplicator: decide whether a page is a new story, a copy, or an update."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from crawler.base.time import isoformat_utc
from crawler.base.urls import normalize_url
from crawler.dedup import story as stories
from crawler.dedup.normalise import body_paragraphs
from crawler.dedup.signature import sign
from crawler.dedup.verify import compare
from crawler.index.held import HeldPage, article_of, article_record

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.index.held import HeldPages
    from crawler.index.story_store import StoryStore
    from crawler.items import Article
    from crawler.story import Story
    from crawler.topics import TopicMatcher

logger = logging.getLogger(__name__)

# Candidates verified per page. The backend returns the stories sharing most
# band keys first, so a true copy is near the top; the bound keeps the cost per
# page flat however large the index grows.
CANDIDATE_LIMIT = 10

Action = Literal["new", "copy", "updated", "unchanged", "off_topic"]


class DedupInputError(ValueError):
    """An article that cannot be de-duplicated (no body text after normalisation)."""


@dataclass(frozen=True)
class DedupOutcome:
    story_id: str | None  # None: off-topic, not indexed (held, when a held store is given)
    action: Action
    match: str  # original|url|canonical|exact|near|none
    score: float | None
    joined: int = 0  # held pages that joined the new story with this page


@dataclass(frozen=True)
class _Page:
    article: Article
    paragraphs: list[list[str]]
    content_hash: str
    bands: list[str]
    seen: str


class Deduplicator:
    """Adds articles to the index, one story per syndicated story.

    With `topics`, a story's topics are decided on the story after each page joins
    it, and a page that starts no on-topic story is not indexed (`off_topic`); with
    `held` too, such a page is held so that a later copy can still join it.
    """

    def __init__(
        self,
        backend: StoryStore,
        candidate_limit: int = CANDIDATE_LIMIT,
        clock: Callable[[], datetime] | None = None,
        topics: TopicMatcher | None = None,
        held: HeldPages | None = None,
    ) -> None:
        self.backend = backend
        self.candidate_limit = candidate_limit
        self.clock = clock or (lambda: datetime.now(UTC))
        self.topics = topics
        self.held = held
        self.stats: Counter[str] = Counter()

    def add(self, article: Article) -> DedupOutcome:
        """Record `article` on its story (new, copy, update) and store the story.

        Off-topic (no story, no topic): nothing is indexed; the page is held.
        """
        page = self._prepare(article)
        with self.backend.dedup_lock():
            story, outcome = self._decide(page)
            joined: list[HeldPage] = []
            released: list[str] = []
            if outcome.action == "new":
                joined, released = self._join_held(story, page)
                outcome = dataclasses.replace(outcome, joined=len(joined))
            if self._on_topic(story, outcome):
                self.backend.put_story(story)
                if released and self.held is not None:
                    self.held.release(released)
            else:
                self._hold(page)
                outcome = DedupOutcome(None, "off_topic", "none", None)
        article.topics = list(story.topics) if outcome.story_id else []
        self.stats[f"dedup/{outcome.action}"] += 1
        if outcome.joined:
            self.stats["dedup/held/joined"] += outcome.joined
        if outcome.action == "copy":
            self.stats[f"dedup/match/{outcome.match}"] += 1
        logger.debug(
            "%s: %s story %s (%s, %s)",
            article.url,
            outcome.action,
            outcome.story_id,
            outcome.match,
            outcome.score,
        )
        return outcome

    def _prepare(self, article: Article) -> _Page:
        url = normalize_url(article.url)
        canonical = normalize_url(article.canonical_url or url)
        article = dataclasses.replace(article, url=url, canonical_url=canonical)
        signature = article.signature
        if signature is None or not signature.signs(article.text):
            # Not signed by the crawl (crawler/pipelines/furniture.py): a caller of
            # the library, a crawl without the furniture step, or a text changed since.
            self.stats["dedup/signatures/made_here"] += 1
            signature = sign(article.text)
        if not signature.content_hash:
            self.stats["dedup/errors/no_text"] += 1
            logger.warning("%s: no body text left to de-duplicate", url)
            raise DedupInputError(f"{url}: no body text left to de-duplicate")
        seen = isoformat_utc(article.fetched_at or self.clock())
        assert seen is not None
        return _Page(article, signature.paragraphs, signature.content_hash, signature.bands, seen)

    def _decide(self, page: _Page) -> tuple[Story, DedupOutcome]:
        article = page.article
        story = self.backend.find_by_url(article.url)
        if story is not None and any(c.url == article.url for c in story.copies):
            return self._update(story, page)
        if story is not None:
            # This URL is the declared canonical of a copy we hold.
            return self._add(story, page, "url", None)
        if article.canonical_url != article.url:
            story = self.backend.find_by_url(article.canonical_url)
            if story is not None:
                return self._add(story, page, "canonical", None)
        story = self.backend.find_by_content_hash(page.content_hash)
        if story is not None:
            return self._add(story, page, "exact", 1.0)
        match = self._near(page)
        if match is not None:
            return self._add(match[0], page, "near", match[1])
        story = stories.new_story(article, page.content_hash, page.bands, page.seen)
        return story, DedupOutcome(story.id, "new", "original", None)

    def _on_topic(self, story: Story, outcome: DedupOutcome) -> bool:
        """(Re-)decide the story's topics; False for a new story matching none."""
        if self.topics is None:
            return True
        previous = None if outcome.action == "new" else list(story.topics)
        story.topics = self.topics.decide(story, previous)
        return bool(story.topics) or outcome.action != "new"

    def _join_held(self, story: Story, page: _Page) -> tuple[list[HeldPage], list[str]]:
        """Add to this new story the held pages its page is a copy of, or that copy it.

        Matched in the Deduplicator's order (URL or canonical, exact hash, verified
        near copy), relative to this page. A held page with this page's own URL (an
        earlier fetch of it) is not a second copy, but is released all the same.
        Returns the joined pages and the URLs to release once the story is stored.
        """
        if self.held is None:
            return [], []
        article = page.article
        urls = list(dict.fromkeys([article.url, article.canonical_url]))
        found = self.held.find(urls, page.content_hash, page.bands, self.candidate_limit)
        joined, released = [], []
        for held in sorted(found, key=lambda h: (h.held_at, h.url)):
            match, score = (None, None) if held.url == article.url else _held_match(held, page)
            if held.url == article.url:
                released.append(held.url)
            if match is None:
                continue
            copy = article_of(held.article)
            bands = list(held.bands)
            stories.add_copy(story, copy, match, score, held.content_hash, bands, held.held_at)
            joined.append(held)
            released.append(held.url)
        return joined, released

    def _hold(self, page: _Page) -> None:
        if self.held is None:
            return
        article = page.article
        record = HeldPage(
            article.url,
            article.canonical_url,
            page.content_hash,
            tuple(page.bands),
            page.seen,
            article_record(article),
        )
        self.held.hold(record)
        self.stats["dedup/held/pages"] += 1

    def _near(self, page: _Page) -> tuple[Story, float] | None:
        """The verified candidate with the highest containment, if any."""
        best: tuple[Story, float] | None = None
        for candidate in self.backend.find_candidates(page.bands, limit=self.candidate_limit):
            verdict = compare(page.paragraphs, body_paragraphs(candidate.dedup_text))
            if verdict.is_copy and (best is None or verdict.containment > best[1]):
                best = (candidate, verdict.containment)
        return best

    def _add(
        self, story: Story, page: _Page, match: str, score: float | None
    ) -> tuple[Story, DedupOutcome]:
        stories.add_copy(
            story, page.article, match, score, page.content_hash, page.bands, page.seen
        )
        return story, DedupOutcome(story.id, "copy", match, score)

    def _update(self, story: Story, page: _Page) -> tuple[Story, DedupOutcome]:
        changed = stories.update_copy(story, page.article, page.content_hash, page.bands, page.seen)
        record = next(c for c in story.copies if c.url == page.article.url)
        action: Action = "updated" if changed else "unchanged"
        return story, DedupOutcome(story.id, action, record.match, record.score)


def _held_match(held: HeldPage, page: _Page) -> tuple[str | None, float | None]:
    """How a held page is a copy of the page's new story: (match, score), or (None, None)."""
    urls = (page.article.url, page.article.canonical_url)
    if held.url in urls:
        return "url", None
    if held.canonical_url in urls:
        return "canonical", None
    if held.content_hash == page.content_hash:
        return "exact", 1.0
    verdict = compare(page.paragraphs, body_paragraphs(held.article.get("text") or ""))
    return ("near", verdict.containment) if verdict.is_copy else (None, None)
