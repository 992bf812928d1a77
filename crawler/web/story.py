"""A story page's content: the primary copy's text, and every copy with what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crawler.web.diff import CopyDiff, compare, paragraphs

if TYPE_CHECKING:
    from crawler.story import Story

MATCH_NAMES = {
    "original": "first copy",
    "url": "same URL",
    "canonical": "canonical URL",
    "exact": "exact text",
    "near": "near-duplicate",
}


@dataclass
class CopyView:
    record: dict[str, Any]
    primary: bool
    match_name: str
    diff: CopyDiff | None  # None: the primary itself, or a copy whose text was not stored


@dataclass
class StoryView:
    story: Story
    paragraphs: list[str]
    copies: list[CopyView]


def story_view(story: Story) -> StoryView:
    primary_url = story.get("url")
    copies = []
    for record in story.get("copies") or []:
        is_primary = record.get("url") == primary_url
        diff = None
        if not is_primary and record.get("text") is not None:
            diff = compare(
                story.get("title") or "",
                story.get("text") or "",
                record.get("title") or "",
                record["text"],
            )
        match = record.get("match") or ""
        copies.append(CopyView(record, is_primary, MATCH_NAMES.get(match, match), diff))
    # The primary first, then the others in the order they were found.
    copies.sort(key=lambda view: not view.primary)
    return StoryView(story, paragraphs(story.get("text")), copies)
