"""How a republished copy differs from the original: one function per variation kind."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from tests.harness.newsweb.model import Copy, Outlet, Story

# Light copy-editing: word swaps a sub-editor makes; each copy gets one to three.
EDITS = (
    (r"\bsaid\b", "stated"),
    (r"\bsoldiers\b", "troops"),
    (r"\btroops\b", "soldiers"),
    (r"\bmore than\b", "over"),
    (r"\bofficials\b", "authorities"),
    (r"\bwarned\b", "cautioned"),
    (r"\babout\b", "around"),
    (r"\balso\b", "additionally"),
    (r"\bper cent\b", "percent"),
    (r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", "this week"),
    (r"\bnew\b", "fresh"),
)
TRACKING_QUERIES = (
    "utm_source={outlet}&utm_medium=rss&utm_campaign=world",
    "fbclid=IwAR0{token}",
    "utm_source=newsletter&utm_medium=email&gclid={token}",
)


def slugify(title: str) -> str:
    slug = ""
    for word in re.findall(r"[a-z0-9]+", title.lower()):
        if len(slug) + len(word) > 70:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def light_edit(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Swap one to three words; at least one change is guaranteed when any rule applies."""
    spots = [
        (i, pattern, repl)
        for i, text in enumerate(paragraphs)
        for pattern, repl in EDITS
        if re.search(pattern, text)
    ]
    if not spots:
        raise ValueError("no word to edit in this story")
    edited = list(paragraphs)
    for i, pattern, repl in rng.sample(spots, k=min(len(spots), rng.randrange(1, 4))):
        edited[i] = re.sub(pattern, repl, edited[i], count=1)
    return edited


def truncate(paragraphs: list[str], rng: random.Random) -> list[str]:
    keep = max(2, min(len(paragraphs) - 2, len(paragraphs) // 3 + rng.randrange(0, 2)))
    return paragraphs[:keep]


def copy_time(story: Story, rng: random.Random, now: datetime, hours: tuple[int, int]) -> datetime:
    """A time after the original (republishing takes a while), never in the future."""
    minutes = rng.randrange(hours[0] * 60 + 10, hours[1] * 60)
    moment = story.published + timedelta(minutes=minutes)
    return min(moment, now - timedelta(minutes=5)).replace(second=0, microsecond=0)


def apply(
    copy: Copy,
    story: Story,
    origin: Copy | None,
    origin_name: str,
    outlet: Outlet,
    rng: random.Random,
    now: datetime,
    other_titles: list[str],
) -> None:
    """Fill in what `copy.variation` changes; `origin` is the original copy (None for itself)."""
    variation = copy.variation
    if origin is not None and variation != "different_byline_date":
        copy.published = copy_time(story, rng, now, (0, 6))
    if variation == "truncated" and origin is not None:
        copy.paragraphs = truncate(copy.paragraphs, rng)
        copy.read_more = f"Read more at {origin_name}"
    elif variation == "light_edit":
        copy.paragraphs = light_edit(copy.paragraphs, rng)
    elif variation == "also_read_inserts":
        copy.inserts = [f"Also read: {t}" for t in rng.sample(other_titles, k=2)]
    elif variation == "different_byline_date":
        copy.authors = [rng.choice(outlet.reporters)]
        copy.published = copy_time(story, rng, now, (8, 20))
    elif variation == "canonical_to_original" and origin is not None:
        copy.canonical_outlet, copy.canonical_path = origin.outlet, origin.path
    elif variation == "no_canonical":
        copy.canonical_outlet = copy.canonical_path = None
    elif variation == "tracking_params":
        token = f"{rng.getrandbits(48):012x}"
        copy.listed_query = rng.choice(TRACKING_QUERIES).format(outlet=outlet.key, token=token)
    elif variation == "updated_in_place":
        copy.update_paragraph = story.update_paragraph
        copy.updated = story.updated
