"""Reconcile: merge stories that are copies of each other (a lost dedup lock, old data)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.dedup import story as stories
from crawler.dedup.normalise import body_paragraphs
from crawler.dedup.verify import compare
from crawler.index.search_index import SearchRequest

if TYPE_CHECKING:
    from crawler.index.backend import IndexBackend
    from crawler.story import Story

logger = logging.getLogger(__name__)

CANDIDATE_LIMIT = 20


@dataclass
class ReconcileReport:
    checked: int = 0
    merged: list[tuple[str, str]] = field(default_factory=list)  # (kept id, merged id)


Match = tuple[str, float | None]  # how two stories matched, and the score
Found = tuple["Story", Match]


def _match(story: Story, other: Story) -> Match | None:
    """How `other` is a copy of `story`, or None when it is not."""
    if set(story.copy_urls) & set(other.copy_urls):
        return ("url", None)
    if set(story.content_hashes) & set(other.content_hashes):
        return ("exact", 1.0)
    verdict = compare(body_paragraphs(story.dedup_text), body_paragraphs(other.dedup_text))
    return ("near", verdict.containment) if verdict.is_copy else None


def _copies_of(backend: IndexBackend, story: Story) -> dict[str, Found]:
    found: dict[str, Story] = {}
    for url in story.copy_urls:
        if (hit := backend.find_by_url(url)) is not None:
            found[hit.id] = hit
    for content_hash in story.content_hashes:
        if (hit := backend.find_by_content_hash(content_hash)) is not None:
            found[hit.id] = hit
    for hit in backend.find_candidates(story.dedup_bands, limit=CANDIDATE_LIMIT):
        found.setdefault(hit.id, hit)
    found.pop(story.id, None)
    matches = {}
    for other in found.values():
        match = _match(story, other)
        if match is not None:
            matches[other.id] = (other, match)
    return matches


def _age(story: Story) -> tuple[str, str]:
    # The story first seen earliest keeps its id (ties: the smaller id).
    return (story.first_seen, story.id)


def reconcile(backend: IndexBackend, dry_run: bool = False) -> ReconcileReport:
    """Check every story against its candidates and merge the copies, idempotently.

    The older story (first seen earlier) keeps its id; the others are deleted once
    their copies are on the kept one. Look-ups run without the dedup lock; a story
    with matches is checked again and merged under it, so crawls wait only then.
    """
    report = ReconcileReport()
    ids = [doc.id for doc in backend.export(SearchRequest(highlight=False))]
    gone: set[str] = set()  # merged into another story (still present in a dry run)
    for story_id in ids:
        report.checked += 1
        if story_id in gone or not _matches(backend, story_id, gone):
            continue
        with backend.dedup_lock():
            _merge(backend, story_id, gone, report, dry_run)
    return report


def _matches(backend: IndexBackend, story_id: str, gone: set[str]) -> dict[str, Found]:
    story = backend.get_story(story_id)
    if story is None:
        return {}
    return {oid: found for oid, found in _copies_of(backend, story).items() if oid not in gone}


def _merge(
    backend: IndexBackend, story_id: str, gone: set[str], report: ReconcileReport, dry_run: bool
) -> None:
    story = backend.get_story(story_id)
    matches = _matches(backend, story_id, gone)
    if story is None or not matches:
        return  # a crawl merged them meanwhile
    keep = min([story, *(other for other, _ in matches.values())], key=_age)
    if keep is not story:
        # The current story joins the older one, matched as found from it.
        matches = {story.id: (story, matches[keep.id][1])} | {
            oid: found for oid, found in matches.items() if oid != keep.id
        }
    for other, (kind, score) in matches.values():
        logger.info("story %s is a copy of story %s: merging", other.id, keep.id)
        report.merged.append((keep.id, other.id))
        keep = stories.merge(keep, other, kind, score)
        gone.add(other.id)
    if not dry_run:
        backend.put_story(keep)
        for other_id in matches:
            backend.delete_story(other_id)
        # The next look-ups must see the merge (Elasticsearch refreshes).
        backend.flush()
