"""Teasers: truncated syndicated copies whose own words match no topic, of an on-topic story.

A syndicator republishes the first paragraphs of a story under its own headline,
with a "continue reading" link. When those paragraphs name neither North Korea nor
Russia/Ukraine, the copy is off-topic on its own, yet it is a copy of an on-topic
story and must join it. One teaser declares the original as canonical, one does not.

Hand-written and fixed (no RNG), so adding them changes nothing else in the world.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.harness.newsweb.model import Copy, Story

STORY_ID = "teaser-camp"
ORIGIN = "ledger"
# (outlet, variation, headline, hours after the original); canonical to the original or none.
TEASERS = (
    ("newsmix", "teaser_canonical", "A convoy leaves the border town before dawn", 3),
    ("metro", "teaser_no_canonical", "Residents watch a night convoy pass their windows", 5),
)
VARIATIONS = tuple(variation for _, variation, _, _ in TEASERS)
TITLE = "North Korea's soldiers reach a camp near Russia's border, Ukraine says"
# The lead names neither side of the default topic query: the teasers show only it.
LEAD = (
    "The convoy left the border town before dawn on Tuesday, carrying ammunition crates, "
    "field kitchens and several hundred soldiers who had arrived by train the previous week, "
    "according to residents who watched it pass their windows.",
    "Local officials said the soldiers spoke a language none of them recognised, kept to their "
    "barracks at night and were escorted by interpreters whenever they left the station for "
    "the training grounds outside the town.",
    "Satellite images taken on Monday show new tents and vehicle tracks at the training "
    "grounds, and a commercial analyst said the camp had roughly doubled in size within a "
    "month of the first arrivals.",
)
REST = (
    "Ukraine's military intelligence said on Wednesday that the soldiers were sent by North "
    "Korea to help Russia retake territory in the Kursk region, the first time Kyiv has "
    "named the camp in public.",
    "Pyongyang and Moscow have denied sending or receiving troops, but lawmakers in Seoul "
    "briefed by their own intelligence service said thousands more were expected to follow "
    "before the first snow.",
    "Analysts said the deployment would deepen military ties between the two countries, "
    "which signed a mutual defence treaty last year and have since expanded their trade in "
    "weapons, fuel and food.",
)


def teaser_story(now: datetime, authors: list[str]) -> Story:
    """The on-topic story the teasers copy, published on Kyiv Ledger a day ago."""
    published = (now - timedelta(hours=26)).replace(second=0, microsecond=0)
    return Story(
        id=STORY_ID,
        on_topic=True,
        kind="teaser",
        title=TITLE,
        description=LEAD[0],
        paragraphs=[*LEAD, *REST],
        published=published,
        authors=authors,
        origin=ORIGIN,
        tags=["ukraine", "russia"],
        image_credit="Oleg Kovalev/AFP",
    )


def teaser_copies(story: Story, origin_name: str, reporters: dict[str, str]) -> list[Copy]:
    """The original and the two teasers, without paths (the builder gives those).

    `reporters` maps each outlet to the byline it gives its copy.
    """
    original = Copy(
        story_id=story.id,
        outlet=ORIGIN,
        path="",
        variation="original",
        title=story.title,
        authors=list(story.authors),
        published=story.published,
        paragraphs=list(story.paragraphs),
    )
    copies = [original]
    for outlet, variation, headline, hours in TEASERS:
        copy = Copy(
            story_id=story.id,
            outlet=outlet,
            path="",
            variation=variation,
            title=headline,
            authors=[reporters[outlet]],
            published=story.published + timedelta(hours=hours),
            paragraphs=list(LEAD),
            read_more=f"Continue reading at {origin_name}",
        )
        copies.append(copy)
    return copies
