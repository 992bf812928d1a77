"""Deterministic news prose: fills a frame's templates with one story's facts from a seeded RNG."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime

from tests.harness.newsweb import phrases as ph
from tests.harness.newsweb.frames import Frame
from tests.harness.newsweb.near_misses import RESTAURANTS

_CHOICE = re.compile(r"\[([^\[\]]*)\]")
RUSSIAN_FIRST = [
    "Sergei",
    "Igor",
    "Yelena",
    "Dmitry",
    "Anton",
    "Marina",
    "Pavel",
    "Olga",
    "Viktor",
    "Natalia",
]
RUSSIAN_LAST = [
    "Volkov",
    "Sokolov",
    "Morozov",
    "Lebedev",
    "Orlov",
    "Zaitsev",
    "Belov",
    "Karpov",
    "Gusev",
    "Nikitin",
]
KR_BODIES = (
    "South Korea's National Intelligence Service",
    "South Korea's spy agency",
    "Seoul's defence ministry",
    "South Korea's Joint Chiefs of Staff",
)
MISSILES = (
    ("KN-23 ballistic missiles", "KN-23", "KN-23 ballistic missile"),
    ("KN-24 short-range missiles", "KN-24", "KN-24 short-range missile"),
    ("Hwasong-11 missiles", "Hwasong-11", "Hwasong-11 missile"),
)
GUNS = ("Koksan howitzer", "240mm rocket launcher", "170mm artillery", "mortar")
EVENTS = (
    "the anniversary of the defence treaty",
    "a new rail bridge across the Tumen river opened",
    "Kim Jong Un's sister visited Moscow",
    "a North Korean military delegation toured Russian arms plants",
)
# Speaker kinds per frame for the quote paragraphs; on-topic frames mix all four.
SPEAKERS = {
    "energy": ("ru",),
    "grain": ("ua",),
    "restaurant": ("chef",),
    "seoul_tech": ("kr",),
    "nk_only": ("kr",),
    "city": ("west",),
}
ON_TOPIC_SPEAKERS = ("ua", "kr", "west", "analyst")


@dataclass
class Draft:
    title: str
    description: str
    paragraphs: list[str]


def pick_choices(template: str, rng: random.Random) -> str:
    """Resolve `[a|b|c]` alternatives, innermost first."""
    while True:
        match = _CHOICE.search(template)
        if match is None:
            return template
        option = rng.choice(match[1].split("|"))
        template = template[: match.start()] + option + template[match.end() :]


def _person(rng: random.Random, first: list[str], last: list[str]) -> tuple[str, str]:
    return rng.choice(first), rng.choice(last)


def story_facts(rng: random.Random, published: datetime) -> dict[str, str]:
    """Everything a story states: people, places, numbers. Reused by its rewrite."""
    facts: dict[str, str] = {}
    for prefix, first, last in (
        ("ua", ph.UKRAINIAN_FIRST, ph.UKRAINIAN_LAST),
        ("west", ph.WESTERN_FIRST, ph.WESTERN_LAST),
        ("analyst", ph.WESTERN_FIRST + ph.KOREAN_FAMILY, ph.WESTERN_LAST),
        ("ru", RUSSIAN_FIRST, RUSSIAN_LAST),
    ):
        facts[f"{prefix}_first"], facts[f"{prefix}_last"] = _person(rng, first, last)
    # Korean names are written family name first.
    facts["kr_first"], facts["kr_last"] = rng.choice(ph.KOREAN_FAMILY), rng.choice(ph.KOREAN_GIVEN)
    front = rng.choice(ph.FRONTS)
    missile = rng.choice(MISSILES)
    org = rng.choice(ph.ANALYST_ORGS)
    west_role = rng.choice(ph.WEST_ROLES)
    facts.update(
        ua_role=rng.choice(ph.UA_ROLES),
        kr_role=rng.choice(ph.KR_ROLES),
        kr_body=rng.choice(KR_BODIES),
        west_role=west_role,
        west_role_cap=west_role[0].upper() + west_role[1:],
        analyst_org=org,
        analyst_org_cap=org[0].upper() + org[1:],
        ua_body=rng.choice(ph.UA_BODIES),
        front=front,
        front_short=front.removeprefix("the ").split()[0],
        ua_city=rng.choice(ph.UA_CITIES),
        nk_site=rng.choice(ph.NK_SITES),
        ru_site=rng.choice(ph.RU_SITES),
        weapon=missile[0],
        weapon_short=rng.choice((missile[1], *GUNS)),
        weapon_one=missile[2],
        west_city=rng.choice(ph.WEST_CITIES),
        event=rng.choice(EVENTS),
        restaurant=rng.choice(RESTAURANTS),
        weekday=ph.WEEKDAYS[published.weekday()],
        month=ph.MONTHS[rng.randrange(12)],
        n_troops=f"{rng.randrange(10, 60) * 100:,}",
        n_troops_total=f"{rng.randrange(11, 30) * 1000:,}",
        n_containers=f"{rng.randrange(20, 280) * 100:,}",
        n_shells=str(rng.randrange(3, 12)),
        pct=str(rng.randrange(12, 61)),
        n_killed=str(rng.randrange(2, 31)),
        n_workers=f"{rng.randrange(5, 50) * 1000:,}",
        n_entities=str(rng.randrange(6, 40)),
        n_casualties=f"{rng.randrange(20, 90) * 100:,}",
        n_grain=f"{rng.randrange(30, 65) / 10:.1f}",
        age=str(rng.randrange(19, 27)),
        nk_year=str(rng.choice((2023, 2024, 2025))),
        price=str(rng.randrange(14, 29)),
    )
    return facts


class Writer:
    """Writes stories; never emits a paragraph twice unless asked to share one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_paragraphs: set[str] = set()
        self.used_titles: set[str] = set()
        self.story_claims: set[str] = set()  # claims already quoted in the story being written

    def fill(self, template: str, facts: dict[str, str]) -> str:
        return pick_choices(template, self.rng).format_map(facts)

    def write(self, frame: Frame, facts: dict[str, str], shared: list[str] | None = None) -> Draft:
        """A story of `frame` stating `facts`; each `shared` paragraph is placed verbatim."""
        rng = self.rng
        details = rng.sample(frame.details, k=min(len(frame.details), rng.randrange(3, 6)))
        # Each plan item is a list of template pools, one sentence drawn from each.
        plan: list[list[tuple[str, ...]] | str] = [
            [frame.ledes],
            [(d,) for d in details[:2]],
            "quote",
            [(d,) for d in details[2:]] or [frame.details],
        ]
        if frame.on_topic:
            plan += ["background", [ph.REACTIONS], "quote", [ph.OUTLOOKS]]
        else:
            # Off-topic background is boilerplate; only some stories repeat it.
            context: list[tuple[str, ...]] = [(c,) for c in frame.context if rng.random() < 0.5]
            plan += [context, "quote"] if context else ["quote"]
        self.story_claims = set()
        paragraphs = [self._paragraph(item, frame, facts) for item in plan]
        for text in shared or []:
            paragraphs.insert(rng.randrange(2, len(paragraphs)), text)
        lede_sentence = paragraphs[0].split(". ")[0].rstrip(".") + "."
        return Draft(self._title(frame, facts), lede_sentence, paragraphs)

    def quote(self, frame: Frame, facts: dict[str, str]) -> str:
        rng = self.rng
        # Off-topic speakers (a chef, an economist) do not talk like war officials.
        openings = ph.QUOTE_OPENINGS if frame.on_topic else ph.PLAIN_OPENINGS
        opening = rng.choice(openings + ("",) * 3)
        # Nobody is quoted saying the same thing twice in one story.
        fresh = [c for c in frame.claims if c not in self.story_claims] or list(frame.claims)
        claim = rng.choice(fresh)
        self.story_claims.add(claim)
        body = f"{opening} {claim}" if opening else claim[0].upper() + claim[1:]
        body += rng.choice(ph.QUOTE_CLOSINGS) if frame.on_topic else "."
        body = body[:-1] + "," if body.endswith(".") else body
        speaker = self._speaker(frame, facts)
        verb = rng.choice(ph.SPEECH)
        if rng.random() < 0.5:
            return f"“{body}” {speaker}, {verb}."
        return f"“{body}” said {speaker}."

    def background(self) -> str:
        for _ in range(50):
            facts = self.rng.sample(ph.BACKGROUND_FACTS, k=self.rng.randrange(2, 4))
            text = " ".join(facts)
            if text not in self.used_paragraphs:
                self.used_paragraphs.add(text)
                return text
        raise RuntimeError("background paragraphs exhausted")

    def _speaker(self, frame: Frame, facts: dict[str, str]) -> str:
        kind = self.rng.choice(SPEAKERS.get(frame.kind, ON_TOPIC_SPEAKERS))
        f = facts
        return {
            "ua": f"{f['ua_first']} {f['ua_last']}, {f['ua_role']}",
            "kr": f"{f['kr_first']} {f['kr_last']}, {f['kr_role']}",
            "west": f"{f['west_first']} {f['west_last']}, {f['west_role']}",
            "analyst": f"{f['analyst_first']} {f['analyst_last']}, an analyst at "
            f"{f['analyst_org']}",
            "ru": f"{f['ru_first']} {f['ru_last']}, an energy analyst in Moscow",
            "chef": f"{f['kr_first']} {f['kr_last']}, the chef at {f['restaurant']}",
        }[kind]

    def _paragraph(
        self, item: list[tuple[str, ...]] | str, frame: Frame, facts: dict[str, str]
    ) -> str:
        for attempt in range(60):
            if item == "background":
                return self.background()
            if item == "quote":
                text = self.quote(frame, facts)
            else:
                pools = list(item)
                if attempt >= 30:  # a small pool ran dry: widen the paragraph by a sentence
                    pools.append(ph.OUTLOOKS if frame.on_topic else frame.details)
                text = " ".join(self.fill(self.rng.choice(pool), facts) for pool in pools)
            if text not in self.used_paragraphs:
                self.used_paragraphs.add(text)
                return text
        raise RuntimeError(f"cannot write a new paragraph for frame {frame.kind}")

    def _title(self, frame: Frame, facts: dict[str, str]) -> str:
        title = ""
        for _ in range(30):
            title = self.fill(self.rng.choice(frame.headlines), facts)
            if title not in self.used_titles:
                break
        else:
            title = f"{title} ({facts['ua_city']}, {facts['month']})"
        self.used_titles.add(title)
        return title

    def headline(self, frame: Frame, facts: dict[str, str], avoid: str) -> str:
        """Another headline for the same story (new_headline copies)."""
        for _ in range(30):
            title = self._title(frame, facts)
            if title != avoid:
                return title
        return f"{avoid}: what we know"
