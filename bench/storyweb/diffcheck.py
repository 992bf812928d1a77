"""The story page's diffs against what the story web changed: false edits and missed ones.

A copy of the story web changes its original in known ways only: a headline
variant, a cut after some paragraphs (its tail replaced by "continue reading"),
and no optional "[...]" paragraphs of the original's ground truth. Its diff
against the primary copy (crawler/web/story.py, as the story page shows it)
should report exactly those: any other reported change (paragraphs inserted,
dropped or edited, a headline change on a copy that kept it) is a false edit,
an extraction difference shown as the outlet's; a made change not reported is
a missed one. Judged on copies whose story holds their original as primary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.base.urls import normalize_url
from crawler.web.diff import CopyDiff
from crawler.web.story import story_view

if TYPE_CHECKING:
    from bench.storyweb.model import StoryWeb
    from crawler.story import Story

COPY_KINDS = ("full", "truncated", "teasers")


@dataclass
class DiffCheck:
    copies: int = 0  # copies judged
    false_edits: list[str] = field(default_factory=list)  # "<url>: <what>"
    missed_edits: list[str] = field(default_factory=list)
    made: int = 0  # changes the story web made on the judged copies
    other_primary: int = 0  # copies whose story's primary is not their original


def reported(diff: CopyDiff) -> set[str]:
    """The kinds of change a diff reports; the paragraph a cut ends in is the cut's."""
    found = set()
    if diff.headline is not None:
        found.add("headline")
    if diff.truncated_after is not None:
        found.add("cut")
    edited = diff.changed - (1 if diff.truncated_after is not None else 0)
    for kind, count in (("inserted", diff.inserted), ("dropped", diff.dropped), ("edited", edited)):
        if count > 0:
            found.add(kind)
    return found


def check_diffs(web: StoryWeb, stories: dict[str, Story]) -> DiffCheck:
    """`stories`: the index's story of each page URL of the web."""
    check = DiffCheck()
    originals = {p.story: p for p in web.pages.values() if p.kind == "original"}
    for url, page in sorted(web.pages.items()):
        original = originals.get(page.story)
        story = stories.get(url)
        if page.kind not in COPY_KINDS or original is None or story is None:
            continue
        if story.url != normalize_url(original.url):
            check.other_primary += 1
            continue
        here = normalize_url(url)
        view = next((c for c in story_view(story).copies if c.record.url == here), None)
        if view is None or view.diff is None:
            continue
        made = {"headline"} if page.title != original.title else set()
        if page.kind == "truncated":
            made.add("cut")
        optional = len(web.stories[page.story].body) > len(original.paragraphs)
        found = reported(view.diff)
        check.copies += 1
        check.made += len(made)
        false = found - made - ({"dropped"} if optional else set())
        if false:
            check.false_edits.append(f"{url}: {sorted(false)}")
        if made - found:
            check.missed_edits.append(f"{url}: {sorted(made - found)}")
    return check
