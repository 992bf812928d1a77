"""The Deduplicator: decide whether a page is a new story, a copy, or an update."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from crawler.dedup import story as stories
from crawler.dedup.normalise import body_paragraphs, content_hash
from crawler.dedup.signature import band_keys
from crawler.dedup.verify import compare
from crawler.urls import normalize_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.index.backend import IndexBackend, Story
    from crawler.items import Article

logger = logging.getLogger(__name__)

# Candidates verified per page. The backend returns the stories sharing most
# band keys first, so a true copy is near the top; the bound keeps the cost per
# page flat however large the index grows.
CANDIDATE_LIMIT = 10

Action = Literal["new", "copy", "updated", "unchanged"]


class DedupInputError(ValueError):
    """An article that cannot be de-duplicated (no body text after normalisation)."""


@dataclass(frozen=True)
class DedupOutcome:
    story_id: str
    action: Action
    match: str  # original|url|canonical|exact|near
    score: float | None


@dataclass(frozen=True)
class _Page:
    article: Article
    paragraphs: list[list[str]]
    content_hash: str
    bands: list[str]
    seen: str


class Deduplicator:
    """Adds articles to the index, one story per syndicated story."""

    def __init__(
        self,
        backend: IndexBackend,
        candidate_limit: int = CANDIDATE_LIMIT,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.backend = backend
        self.candidate_limit = candidate_limit
        self.clock = clock or (lambda: datetime.now(UTC))
        self.stats: Counter[str] = Counter()

    def add(self, article: Article) -> DedupOutcome:
        """Record `article` on its story (new, copy, update) and store the story."""
        page = self._prepare(article)
        with self.backend.dedup_lock():
            story, outcome = self._decide(page)
            self.backend.put_story(story)
        self.stats[f"dedup/{outcome.action}"] += 1
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
        paragraphs = body_paragraphs(article.text)
        words = [word for paragraph in paragraphs for word in paragraph]
        if not words:
            self.stats["dedup/errors/no_text"] += 1
            logger.warning("%s: no body text left to de-duplicate", url)
            raise DedupInputError(f"{url}: no body text left to de-duplicate")
        seen = stories.iso(article.fetched_at or self.clock())
        assert seen is not None
        return _Page(article, paragraphs, content_hash(words), band_keys(paragraphs), seen)

    def _decide(self, page: _Page) -> tuple[Story, DedupOutcome]:
        article = page.article
        story = self.backend.find_by_url(article.url)
        if story is not None and any(c["url"] == article.url for c in story["copies"]):
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
        return story, DedupOutcome(story["id"], "new", "original", None)

    def _near(self, page: _Page) -> tuple[Story, float] | None:
        """The verified candidate with the highest containment, if any."""
        best: tuple[Story, float] | None = None
        for candidate in self.backend.find_candidates(page.bands, limit=self.candidate_limit):
            verdict = compare(page.paragraphs, body_paragraphs(candidate.get("dedup_text") or ""))
            if verdict.is_copy and (best is None or verdict.containment > best[1]):
                best = (candidate, verdict.containment)
        return best

    def _add(
        self, story: Story, page: _Page, match: str, score: float | None
    ) -> tuple[Story, DedupOutcome]:
        stories.add_copy(
            story, page.article, match, score, page.content_hash, page.bands, page.seen
        )
        return story, DedupOutcome(story["id"], "copy", match, score)

    def _update(self, story: Story, page: _Page) -> tuple[Story, DedupOutcome]:
        changed = stories.update_copy(story, page.article, page.content_hash, page.bands, page.seen)
        record = next(c for c in story["copies"] if c["url"] == page.article.url)
        action: Action = "updated" if changed else "unchanged"
        return story, DedupOutcome(story["id"], action, record["match"], record["score"])
