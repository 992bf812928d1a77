"""Judge a story again once its outlets' pages have taught their furniture.

A page is cleaned with what its outlet had taught when the page arrived
(crawler/furniture/learned.py): an outlet's first pages, and pages carrying one of
several lines it rotates (a newsletter among many), can keep a line such as "Get
our Middle East briefing: the war in Gaza ..." that decides a topic. When the
crawl has read more of the outlet, the story is the richer evidence: each copy
is cleaned again with what was learned since, the longest clean copy becomes the
story's text again, and its topics are decided anew. A story that no topic matches
any more was on-topic only through furniture.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.index.story_store import StoryStore
    from crawler.story import Story
    from crawler.topics import TopicMatcher

logger = logging.getLogger(__name__)

# Cleans one copy's text for the outlet of its URL: (text, lines removed).
Strip = Callable[[str, str], tuple[str, int]]


def rejudge(story: Story, strip: Strip, topics: TopicMatcher) -> Story | None:
    """`story` cleaned again and its topics re-decided, in place; None if no topic is left.

    Topics this crawl does not match against (another crawl's `--topic` choice)
    are kept (TopicMatcher.decide). A story whose copies lose nothing is
    returned as it was.
    """
    if not _clean_copies(story, strip):
        return story
    primary = next((c for c in story.copies if c.url == story.url), None)
    if primary is not None and primary.text:
        story.text = primary.text
    texts = [c.text for c in story.copies if c.text]
    if len(texts) == len(story.copies):
        story.dedup_text = max(texts, key=len)
    decided = topics.decide(story, story.topics, keep_previous=False)
    if not decided:
        return None
    story.topics = decided
    return story


def _clean_copies(story: Story, strip: Strip) -> bool:
    changed = False
    for copy in story.copies:
        if not copy.text:
            continue  # indexed before copies kept their text
        text, removed = strip(copy.url, copy.text)
        if removed:
            copy.text, changed = text, True
    return changed


def rejudge_stories(
    backend: StoryStore, story_ids: Iterable[str], strip: Strip, topics: TopicMatcher
) -> Counter[str]:
    """Judge the stories `story_ids` again under the dedup lock; counts of what changed.

    A story left with no topic is deleted: it was kept only because a furniture
    line of an outlet's first pages matched, before the outlet's pages taught it.
    """
    counts: Counter[str] = Counter()
    with backend.dedup_lock():
        for story_id in sorted(story_ids):
            story = backend.get_story(story_id)
            if story is None:
                continue  # merged into another story since
            before = (list(story.topics), story.dedup_text)
            judged = rejudge(story, strip, topics)
            if judged is None:
                backend.delete_story(story_id)
                counts["dedup/rejudged/dropped"] += 1
                logger.info("Dropped %s (off_topic): on-topic only through furniture", story.url)
            elif (judged.topics, judged.dedup_text) != before:
                backend.put_story(judged)
                counts["dedup/rejudged/changed"] += 1
    return counts
