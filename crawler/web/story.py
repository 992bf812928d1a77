"""A story page's content: the primary copy's text, and every copy with what it changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crawler.web.diff import CopyDiff, compare, paragraphs

if TYPE_CHECKING:
    from crawler.story import Copy, Story

MATCH_NAMES = {
    "original": "first copy",
    "url": "same URL",
    "canonical": "canonical URL",
    "exact": "exact text",
    "near": "near-duplicate",
}


@dataclass
class CopyView:
    record: Copy
    primary: bool
    match_name: str
    diff: CopyDiff | None  # None: the primary itself, or a copy whose text was not stored


@dataclass
class StoryView:
    story: Story
    paragraphs: list[str]
    copies: list[CopyView]


def story_view(story: Story) -> StoryView:
    copies = []
    for record in story.copies:
        is_primary = record.url == story.url
        diff = None
        if not is_primary and record.text is not None:
            diff = compare(story.title, story.text, record.title, record.text)
        match = record.match
        copies.append(CopyView(record, is_primary, MATCH_NAMES.get(match, match), diff))
    # The primary first, then the others in the order they were found.
    copies.sort(key=lambda view: not view.primary)
    return StoryView(story, paragraphs(story.text), copies)
