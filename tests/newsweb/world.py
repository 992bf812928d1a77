"""The declarative description of the mock news web, and `build_world()` that expands it.

The tables below say which stories exist, which outlet published each first, who
republished it and how, and which stories are hard negatives of each other.
Everything else (prose, times, URLs) follows from one seeded RNG, so the server
and the tests rebuild the same world from the same seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from tests.newsweb import variations
from tests.newsweb.frames import OFF_TOPIC, ON_TOPIC, Frame
from tests.newsweb.model import VARIATIONS, Copy, HardNegative, Outlet, Story, World
from tests.newsweb.outlets import OFFSITE, OUTLETS
from tests.newsweb.prose import Writer, story_facts
from tests.newsweb.seed import SEED_FURNITURE, load_seed
from tests.newsweb.special import special_pages
from tests.newsweb.templates import template

FRAMES: dict[str, Frame] = {f.kind: f for f in ON_TOPIC + OFF_TOPIC}

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
# Stories whose only copy a polite crawler must not index.
SKIPPED = {"stale": "too_old", "robots-blocked": "robots"}
UPDATED_STORY = "updated-story"
SEED_NEW_HEADLINE = "Kyiv: Pyongyang's soldiers are no longer cannon fodder"
PHOTOGRAPHERS = (
    ("Anna", "Sergei", "Jung", "Oleg", "Marie", "Tom", "Yuki", "Ivan"),
    ("Novak", "Supinsky", "Yeon-je", "Kovalev", "Laurent", "Brenner", "Sato", "Petrov"),
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
    the variations so every kind is represented.
    """
    builder = _Builder(seed, now or default_now())
    builder.add_core()
    builder.add_extra(extra_stories, copies_per_story)
    builder.add_copies()
    return builder.finish()


class _Builder:
    def __init__(self, seed: int, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("the world's clock must be timezone-aware")
        self.seed = seed
        self.now = now
        self.rng = random.Random(seed)
        self.writer = Writer(self.rng)
        self.stories: list[Story] = []
        self.copies: list[Copy] = []
        self.pairs: list[HardNegative] = []
        self.facts: dict[str, dict[str, str]] = {}
        self.paths: set[tuple[str, str]] = set()
        self.variation_cycle = 0
        self.republished: dict[str, list[tuple[str, str]]] = {}

    # -- stories -------------------------------------------------------------
    def add_core(self) -> None:
        shares: dict[str, list[tuple[str, str]]] = {}
        for a, b, kind in CORE_HARD_NEGATIVES:
            shares.setdefault(b, []).append((a, kind))
        for story_id, kind, origin, republished in CORE_STORIES:
            if kind == "seed":
                story = self._seed_story(origin)
            else:
                story = self._story(story_id, FRAMES[kind], origin, shares.get(story_id, []))
            self._special_story_tweaks(story)
            self.stories.append(story)
            self.republished[story.id] = list(republished)

    def add_extra(self, count: int, copies_per_story: int | None) -> None:
        on_topic_run = 0
        previous: str | None = None
        for n in range(count):
            on_topic = n % 4 != 3  # three on-topic stories in four
            frame = self.rng.choice(ON_TOPIC if on_topic else OFF_TOPIC)
            origin = self.rng.choice(OUTLETS).key
            shares: list[tuple[str, str]] = []
            if on_topic:
                if previous is not None and on_topic_run % 3 != 0:
                    shares = [(previous, self.rng.choice(("quote", "background")))]
                on_topic_run += 1
            story = self._story(f"x{n:04d}-{frame.kind}", frame, origin, shares)
            if on_topic:
                previous = story.id
            self.stories.append(story)
            self.republished[story.id] = self._extra_copies(origin, copies_per_story)

    def add_copies(self) -> None:
        """Copies come last: a hard negative may still add a paragraph to an earlier story."""
        for story in self.stories:
            self._add_copies(story, self.republished[story.id])

    def _story(
        self, story_id: str, frame: Frame, origin: str, shares: list[tuple[str, str]]
    ) -> Story:
        published = self._published()
        rewrite_of = next((a for a, kind in shares if kind == "rewrite"), None)
        facts = dict(self.facts[rewrite_of]) if rewrite_of else story_facts(self.rng, published)
        self.facts[story_id] = facts
        shared = []
        for a, kind in shares:
            if kind == "rewrite":
                self.pairs.append(HardNegative(a, story_id, kind, ""))
                continue
            text = self._shared_paragraph(a, kind)
            shared.append(text)
            self.pairs.append(HardNegative(a, story_id, kind, text))
        draft = self.writer.write(frame, facts, shared)
        outlet = _outlet(origin)
        authors = self.rng.sample(
            outlet.reporters, k=min(len(outlet.reporters), self.rng.choice((1, 1, 2)))
        )
        return Story(
            id=story_id,
            on_topic=frame.on_topic,
            kind=frame.kind,
            title=draft.title,
            description=draft.description,
            paragraphs=draft.paragraphs,
            published=published,
            authors=authors,
            origin=origin,
            section=frame.section,
            tags=list(frame.tags),
            image_credit=self._credit(),
        )

    def _shared_paragraph(self, other_id: str, kind: str) -> str:
        """A paragraph of story `other_id` (already written) that the new story repeats."""
        other = next(s for s in self.stories if s.id == other_id)
        frame = FRAMES[other.kind]
        if kind == "quote":
            text = self.writer.quote(frame, self.facts[other_id])
        else:
            text = self.writer.background()
        # The earlier story gets the paragraph too, at a random inner position.
        other.paragraphs.insert(self.rng.randrange(1, len(other.paragraphs)), text)
        return text

    def _seed_story(self, origin: str) -> Story:
        seed = load_seed()
        published = self.now - timedelta(days=2, hours=3)
        return Story(
            id="seed",
            on_topic=True,
            kind="seed",
            title=seed.title,
            description=seed.paragraphs[0],
            paragraphs=seed.paragraphs,
            published=published,
            authors=[],
            origin=origin,
            subheads=dict(seed.subheads),
            section="news",
            tags=["north-korea", "ukraine", "russia"],
            image_credit=seed.image_credit,
            sources_line=seed.sources_line,
        )

    def _special_story_tweaks(self, story: Story) -> None:
        if story.id == UPDATED_STORY:
            story.update_paragraph = (
                "Update: Later on the same day, Ukraine's General Staff said a second column of "
                "North Korean soldiers had been seen moving towards the border, and that its "
                "units had been put on alert."
            )
            story.updated = min(
                story.published + timedelta(hours=5), self.now - timedelta(minutes=30)
            )
        elif story.id == "stale":
            story.published = self.now - timedelta(days=30)
        elif story.id == "encoding-cp1251":
            story.paragraphs.insert(
                2,
                "«Ми бачимо північнокорейських солдатів на фронті щодня», — сказав командир "
                "батальйону. In Ukrainian, he said his men now see North Korean soldiers at the "
                "front every day.",
            )
        elif story.id == "encoding-latin1":
            story.paragraphs = [_latin1_safe(p) for p in story.paragraphs]
            story.title = _latin1_safe(story.title)
            story.description = _latin1_safe(story.description)
            story.paragraphs.insert(
                2,
                "Jürgen Müller, a researcher at the Institut für Sicherheitspolitik in Zürich, "
                'said the visit was "a signal to Kyiv". René Dubois of Sciences Po added that '
                'Pyongyang\'s rôle had grown "année après année".',
            )

    # -- copies --------------------------------------------------------------
    def _add_copies(self, story: Story, republished: list[tuple[str, str]]) -> None:
        origin_variation = "updated_in_place" if story.id == UPDATED_STORY else "original"
        origin = self._copy(story, story.origin, origin_variation, None)
        for outlet_key, variation in republished:
            self._copy(story, outlet_key, variation, origin)

    def _extra_copies(self, origin: str, count: int | None) -> list[tuple[str, str]]:
        kinds = [v for v in VARIATIONS if v not in ("original", "updated_in_place")]
        n = count if count is not None else self.rng.randrange(1, 5)
        others = [o.key for o in OUTLETS if o.key != origin]
        chosen = self.rng.sample(others, k=min(n, len(others)))
        result = []
        for outlet_key in chosen:
            result.append((outlet_key, kinds[self.variation_cycle % len(kinds)]))
            self.variation_cycle += 1
        return result

    def _copy(self, story: Story, outlet_key: str, variation: str, origin: Copy | None) -> Copy:
        outlet = _outlet(outlet_key)
        copy = Copy(
            story_id=story.id,
            outlet=outlet_key,
            path="",
            variation=variation,
            title=story.title,
            authors=list(story.authors),
            published=story.published,
            paragraphs=list(story.paragraphs),
            skip_reason=SKIPPED.get(story.id),
            in_feed=story.id != "stale",
        )
        if variation == "new_headline":
            copy.title = (
                SEED_NEW_HEADLINE
                if story.kind == "seed"
                else self.writer.headline(FRAMES[story.kind], self.facts[story.id], story.title)
            )
        other_titles = [s.title for s in self.stories if s.id != story.id][-12:] or ["More news"]
        origin_name = _outlet(origin.outlet).name if origin else outlet.name
        variations.apply(copy, story, origin, origin_name, outlet, self.rng, self.now, other_titles)
        copy.path = self._path(outlet_key, copy, story)
        if variation not in ("no_canonical", "canonical_to_original"):
            copy.canonical_outlet, copy.canonical_path = outlet_key, copy.path
        if story.id == "encoding-cp1251":
            copy.charset = "windows-1251"
        elif story.id == "encoding-latin1":
            copy.charset, copy.charset_header = "iso-8859-1", False
        copy.furniture = [*template(outlet.template).FURNITURE, story.image_credit, *copy.inserts]
        if outlet.template == "aggregator" and story.id == "seed":
            copy.furniture += [line for line in SEED_FURNITURE if line not in copy.furniture]
        self.copies.append(copy)
        return copy

    def _path(self, outlet_key: str, copy: Copy, story: Story) -> str:
        outlet = _outlet(outlet_key)
        slug = variations.slugify(copy.title)
        t = copy.published
        path = outlet.article_path.format(slug=slug, yyyy=f"{t:%Y}", mm=f"{t:%m}", dd=f"{t:%d}")
        if story.id == "robots-blocked":
            path = "/private" + path
        n = 2
        base = path
        while (outlet_key, path) in self.paths:
            path = base.rstrip("/") + f"-{n}" + ("/" if base.endswith("/") else "")
            n += 1
        self.paths.add((outlet_key, path))
        return path

    # -- finishing -----------------------------------------------------------
    def finish(self) -> World:
        self._link_related()
        world = World(
            seed=self.seed,
            now=self.now,
            outlets=list(OUTLETS),
            stories=self.stories,
            copies=self.copies,
            hard_negative_pairs=self.pairs,
            special_pages=special_pages(self.now, OUTLETS),
            offsite=OFFSITE,
        )
        return world

    def _link_related(self) -> None:
        """Each page links five other stories of its outlet (furniture a crawler must skip)."""
        for outlet in OUTLETS:
            pages = [c for c in self.copies if c.outlet == outlet.key]
            for i, copy in enumerate(pages):
                others = [p for p in pages[i + 1 :] + pages[:i] if p.story_id != copy.story_id][:5]
                copy.related = [(p.title, p.path) for p in others]
                copy.furniture += [p.title for p in others]

    def _published(self) -> datetime:
        minutes = self.rng.randrange(12 * 60, 4 * 24 * 60)
        return self.now - timedelta(minutes=minutes)

    def _credit(self) -> str:
        agency = self.rng.choice(("AFP", "Reuters", "EPA", "AP", "Getty Images", "Anadolu"))
        first, last = PHOTOGRAPHERS
        photographer = f"{self.rng.choice(first)} {self.rng.choice(last)}"
        return f"{photographer}/{agency}"


def _outlet(key: str) -> Outlet:
    for outlet in OUTLETS:
        if outlet.key == key:
            return outlet
    raise KeyError(f"no outlet {key!r} in tests.newsweb.outlets")


_LATIN1: dict[str, str | int | None] = {"“": '"', "”": '"', "’": "'", "‘": "'", "—": "-"}


def _latin1_safe(text: str) -> str:
    return text.translate(str.maketrans(_LATIN1))
