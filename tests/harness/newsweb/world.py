"""The declarative description of the mock news web, and `build_world()` that expands it.

The tables below say which stories exist, which outlet published each first, who
republished it and how, and which stories are hard negatives of each other.
Everything else (prose, times, URLs) follows from one seeded RNG, so the server
and the tests rebuild the same world from the same seed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.harness.newsweb.builder import Builder, Description
from tests.harness.newsweb.model import World

# (story id, frame, outlet of the original, ((outlet, variation), ...) republished copies)
CORE_STORIES: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "seed",
        "seed",
        "newsmix",
        (
            ("ledger", "new_headline"),
            ("observer", "canonical_to_original"),
            ("wire", "truncated"),
            ("frontline", "other_furniture"),
        ),
    ),
    (
        "troops-kursk",
        "troops",
        "frontline",
        (
            ("newsmix", "also_read_inserts"),
            ("ledger", "light_edit"),
            ("observer", "tracking_params"),
            ("wire", "no_canonical"),
        ),
    ),
    (
        "shells-rail",
        "shells",
        "wire",
        (
            ("observer", "new_headline"),
            ("ledger", "different_byline_date"),
            ("newsmix", "truncated"),
            ("metro", "canonical_to_original"),
        ),
    ),
    (
        "missile-strike",
        "missiles",
        "ledger",
        (
            ("frontline", "light_edit"),
            ("newsmix", "tracking_params"),
            ("wire", "also_read_inserts"),
        ),
    ),
    (
        "prisoners",
        "prisoners",
        "observer",
        (("frontline", "different_byline_date"), ("ledger", "truncated")),
    ),
    ("workers", "workers", "frontline", (("observer", "light_edit"), ("metro", "tracking_params"))),
    (
        "technology",
        "technology",
        "observer",
        (("wire", "new_headline"), ("newsmix", "other_furniture")),
    ),
    (
        "treaty-visit",
        "diplomacy",
        "wire",
        (("frontline", "canonical_to_original"), ("metro", "no_canonical")),
    ),
    (
        "sanctions",
        "sanctions",
        "ledger",
        (("observer", "also_read_inserts"), ("wire", "truncated")),
    ),
    ("casualties", "casualties", "frontline", (("newsmix", "new_headline"),)),
    ("updated-story", "troops", "frontline", (("wire", "other_furniture"),)),
    ("troops-rewrite", "troops", "observer", ()),
    ("shells-quote", "shells", "frontline", (("wire", "light_edit"),)),
    ("missile-background", "missiles", "observer", ()),
    ("energy", "energy", "observer", (("wire", "other_furniture"),)),
    ("grain", "grain", "ledger", (("wire", "new_headline"),)),
    ("koreatown", "restaurant", "metro", (("newsmix", "new_headline"),)),
    ("chips", "seoul_tech", "wire", ()),
    ("nk-launch", "nk_only", "frontline", (("observer", "other_furniture"),)),
    ("tram", "city", "metro", ()),
    ("encoding-cp1251", "troops", "ledger", ()),
    ("encoding-latin1", "diplomacy", "wire", ()),
    ("stale", "sanctions", "observer", ()),
    ("robots-blocked", "workers", "observer", ()),
)
# (story a, story b, what b shares with a): different stories a crawler must keep apart.
CORE_HARD_NEGATIVES: tuple[tuple[str, str, str], ...] = (
    ("troops-kursk", "casualties", "background"),
    ("shells-rail", "shells-quote", "quote"),
    ("missile-strike", "missile-background", "background"),
    ("prisoners", "treaty-visit", "quote"),
    ("workers", "technology", "background"),
    ("sanctions", "shells-quote", "background"),
    ("troops-kursk", "troops-rewrite", "rewrite"),
)
# Stories with a special part to play: updated later, too old or robots-blocked (a polite
# crawler never indexes those two), or served in a legacy charset.
ROLES = {
    "updated-story": "updated_in_place",
    "stale": "too_old",
    "robots-blocked": "robots",
    "encoding-cp1251": "windows-1251",
    "encoding-latin1": "iso-8859-1",
}
# The paragraph each role adds (the update, and text that only decodes in its charset).
ROLE_TEXTS = {
    "updated_in_place": "Update: Later on the same day, Ukraine's General Staff said a second "
    "column of North Korean soldiers had been seen moving towards the border, and that its "
    "units had been put on alert.",
    "windows-1251": "«Ми бачимо північнокорейських солдатів на фронті щодня», — сказав "
    "командир батальйону. In Ukrainian, he said his men now see North Korean soldiers at the "
    "front every day.",
    "iso-8859-1": "Jürgen Müller, a researcher at the Institut für Sicherheitspolitik in "
    'Zürich, said the visit was "a signal to Kyiv". René Dubois of Sciences Po added that '
    'Pyongyang\'s rôle had grown "année après année".',
}
DESCRIPTION = Description(
    core_stories=CORE_STORIES,
    hard_negatives=CORE_HARD_NEGATIVES,
    roles=ROLES,
    texts=ROLE_TEXTS,
    seed_new_headline="Kyiv: Pyongyang's soldiers are no longer cannon fodder",
)


def default_now() -> datetime:
    """The world's clock: the current hour, so times stay within a crawler's max_age."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def build_world(
    seed: int = 0,
    extra_stories: int = 0,
    copies_per_story: int | None = None,
    now: datetime | None = None,
) -> World:
    """Expand the tables (plus `extra_stories` generated ones) into a `World`.

    Extra stories come in hard-negative chains: two of every three on-topic extra
    stories share a quote or background paragraph with the previous one. Each gets
    `copies_per_story` republished copies (default: one to four), cycling through
    the variations so every kind is represented. The teaser story (teasers.py)
    comes last.
    """
    builder = Builder(DESCRIPTION, seed, now or default_now())
    builder.add_core()
    builder.add_extra(extra_stories, copies_per_story)
    builder.add_copies()
    builder.add_teasers()  # no RNG: the stories and copies above stay as they were
    return builder.finish()


WORLDS = ("core", "multilingual")


def make_world(
    name: str,
    seed: int = 0,
    extra_stories: int = 0,
    copies_per_story: int | None = None,
    now: datetime | None = None,
) -> World:
    """The world called `name` (one of WORLDS); the multilingual slice ignores the RNG options."""
    if name == "multilingual":
        from tests.harness.newsweb.multilingual import build_multilingual_world

        return build_multilingual_world(now or default_now())
    if name != "core":
        raise ValueError(f"unknown world {name!r}; expected one of {WORLDS}")
    return build_world(seed, extra_stories, copies_per_story, now)
