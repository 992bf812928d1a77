"""Expands the declarative description of the mock news web into stories and copies."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from tests.harness.newsweb import teasers, variations
from tests.harness.newsweb.frames import ON_TOPIC, Frame
from tests.harness.newsweb.model import VARIATIONS, Copy, HardNegative, Outlet, Story, World
from tests.harness.newsweb.near_misses import OFF_TOPIC
from tests.harness.newsweb.outlets import OFFSITE, OUTLETS
from tests.harness.newsweb.prose import Writer, story_facts
from tests.harness.newsweb.seed import SEED_FURNITURE, load_seed
from tests.harness.newsweb.special import special_pages
from tests.harness.newsweb.templates import template

FRAMES: dict[str, Frame] = {f.kind: f for f in ON_TOPIC + OFF_TOPIC}
PHOTOGRAPHERS = (
    ("Anna", "Sergei", "Jung", "Oleg", "Marie", "Tom", "Yuki", "Ivan"),
    ("Novak", "Supinsky", "Yeon-je", "Kovalev", "Laurent", "Brenner", "Sato", "Petrov"),
)
_LATIN1: dict[str, str | int | None] = {"“": '"', "”": '"', "’": "'", "‘": "'", "—": "-"}


@dataclass(frozen=True)
class Description:
    """What world.py declares: the core stories, their hard negatives and special roles."""

    # (story id, frame kind or "seed", origin outlet, ((outlet, variation), ...))
    core_stories: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]
    # (story a, story b, "quote" | "background" | "rewrite")
    hard_negatives: tuple[tuple[str, str, str], ...]
    # story id -> updated_in_place | too_old | robots | windows-1251 | iso-8859-1
    roles: Mapping[str, str]
    texts: Mapping[str, str]  # role -> the paragraph that role adds
    seed_new_headline: str


class Builder:
    """Expands a `Description` into stories and copies; `build_world()` drives it."""

    def __init__(self, description: Description, seed: int, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("the world's clock must be timezone-aware")
        self.description = description
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
        for a, b, kind in self.description.hard_negatives:
            shares.setdefault(b, []).append((a, kind))
        for story_id, kind, origin, republished in self.description.core_stories:
            if kind == "seed":
                story = self._seed_story(origin)
            else:
                story = self._story(story_id, FRAMES[kind], origin, shares.get(story_id, []))
            self._special_role(story)
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

    def add_teasers(self) -> None:
        """The teaser story (teasers.py): its original and two off-topic truncated copies."""
        origin = _outlet(teasers.ORIGIN)
        story = teasers.teaser_story(self.now, [origin.reporters[0]])
        self.stories.append(story)
        reporters = {o.key: o.reporters[-1] for o in OUTLETS}
        copies = teasers.teaser_copies(story, origin.name, reporters)
        for copy in copies:
            copy.path = self._path(copy.outlet, copy, private=False)
            outlet = _outlet(copy.outlet)
            copy.furniture = [*template(outlet.template).FURNITURE, story.image_credit]
        original = copies[0]
        for copy in copies:
            if copy.variation != "teaser_no_canonical":
                target = original if copy.variation == "teaser_canonical" else copy
                copy.canonical_outlet, copy.canonical_path = target.outlet, target.path
        self.copies.extend(copies)

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

    def _special_role(self, story: Story) -> None:
        """Apply what the description's `roles` say about this story, if anything."""
        role = self.description.roles.get(story.id)
        texts = self.description.texts
        if role == "updated_in_place":
            story.update_paragraph = texts[role]
            later = story.published + timedelta(hours=5)
            story.updated = min(later, self.now - timedelta(minutes=30))
        elif role == "too_old":
            story.published = self.now - timedelta(days=30)
        elif role == "windows-1251":
            story.paragraphs.insert(2, texts[role])
        elif role == "iso-8859-1":
            story.paragraphs = [_latin1_safe(p) for p in story.paragraphs]
            story.title = _latin1_safe(story.title)
            story.description = _latin1_safe(story.description)
            story.paragraphs.insert(2, texts[role])

    # -- copies --------------------------------------------------------------
    def _add_copies(self, story: Story, republished: list[tuple[str, str]]) -> None:
        role = self.description.roles.get(story.id)
        origin_variation = "updated_in_place" if role == "updated_in_place" else "original"
        origin = self._copy(story, story.origin, origin_variation, None)
        for outlet_key, variation in republished:
            self._copy(story, outlet_key, variation, origin)

    def _extra_copies(self, origin: str, count: int | None) -> list[tuple[str, str]]:
        kinds = [
            v for v in VARIATIONS if v not in ("original", "updated_in_place", *teasers.VARIATIONS)
        ]
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
        role = self.description.roles.get(story.id)
        copy = Copy(
            story_id=story.id,
            outlet=outlet_key,
            path="",
            variation=variation,
            title=story.title,
            authors=list(story.authors),
            published=story.published,
            paragraphs=list(story.paragraphs),
            skip_reason=role if role in ("robots", "too_old") else None,
            in_feed=role != "too_old",  # feeds list recent stories only
        )
        if variation == "new_headline":
            copy.title = (
                self.description.seed_new_headline
                if story.kind == "seed"
                else self.writer.headline(FRAMES[story.kind], self.facts[story.id], story.title)
            )
        other_titles = [s.title for s in self.stories if s.id != story.id][-12:] or ["More news"]
        origin_name = _outlet(origin.outlet).name if origin else outlet.name
        variations.apply(copy, story, origin, origin_name, outlet, self.rng, self.now, other_titles)
        copy.path = self._path(outlet_key, copy, private=role == "robots")
        if variation not in ("no_canonical", "canonical_to_original"):
            copy.canonical_outlet, copy.canonical_path = outlet_key, copy.path
        if role in ("windows-1251", "iso-8859-1"):
            # The first declares its charset in the Content-Type header only, the other nowhere.
            copy.charset, copy.charset_header = role, role == "windows-1251"
        copy.furniture = [*template(outlet.template).FURNITURE, story.image_credit, *copy.inserts]
        if outlet.template == "aggregator" and story.id == "seed":
            copy.furniture += [line for line in SEED_FURNITURE if line not in copy.furniture]
        self.copies.append(copy)
        return copy

    def _path(self, outlet_key: str, copy: Copy, private: bool) -> str:
        outlet = _outlet(outlet_key)
        slug = variations.slugify(copy.title)
        t = copy.published
        path = outlet.article_path.format(slug=slug, yyyy=f"{t:%Y}", mm=f"{t:%m}", dd=f"{t:%d}")
        if private:  # under robots.txt's Disallow: /private/
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
    raise KeyError(f"no outlet {key!r} in tests.harness.newsweb.outlets")


def _latin1_safe(text: str) -> str:
    return text.translate(str.maketrans(_LATIN1))
