"""Dedup test texts: the seed story, its copies, and stories that are not copies of it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness.newsweb.seed import seed_path

SEED = seed_path()
SEED_FALLBACK = Path(__file__).parent / "fixtures" / "pages" / "seed-syndicated-article.txt"

# The seed's story paragraphs (its furniture lines removed), written out so the
# tests do not depend on where the shared fixture lives.
SEED_PARAGRAPHS = [
    "Ukraine’s intelligence services say North Korea remains actively involved in Russia’s war "
    "effort, a development that is raising alarm among analysts and defectors alike.",
    "The reports suggest a deepening partnership between two isolated regimes, with "
    "consequences that extend beyond the battlefield, reports WP Wiadomości.",
    "According to Ukraine’s military intelligence agency HUR, thousands of North Korean "
    "soldiers continue to fight alongside Russian forces. In a statement reported by "
    "Wiadomości, Ukrainian officials said the troops are operating in several areas, including "
    "Russia’s Kursk Oblast, and are involved in border operations against Ukraine.",
    "Intelligence sources estimate that since June 2024, around 15,000 North Korean soldiers "
    "have been sent to the front. Some have already rotated back from combat zones, while "
    "others remain deployed.",
    "When North Korean troops were first reported on the front lines, their role was widely "
    "described as expendable. Ukrainian and Western observers often referred to them as "
    "“cannon fodder,” citing limited combat experience and high casualty risks.",
    "More recent Ukrainian intelligence assessments indicate a shift. According to HUR, North "
    "Korean forces are now providing more qualified support, suggesting that their role has "
    "evolved as they gain battlefield experience.",
    "Analysts say Pyongyang’s continued involvement points to a calculated trade-off. North "
    "Korea is believed to be seeking real-world combat experience for its military, while "
    "Russia gains much-needed manpower.",
    "In return, Wiadomości reports that Moscow may be offering economic assistance and access "
    "to military technology, reinforcing what some observers describe as a tightening axis "
    "between authoritarian states.",
    "Timothy Cho, a North Korean defector now living in the United Kingdom, warned in an "
    "interview with Fakt that the cooperation between Moscow and Pyongyang carries serious "
    "risks.",
    "“This is a dangerous move. North Korea is providing the largest number of troops to "
    "support Vladimir Putin’s war… It is sending not only thousands of troops but also a "
    "significant amount of ammunition… including over 1.6 million artillery and missile "
    "shells,” Cho said.",
    "He added that the conflict allows the DPRK to study modern warfare under real conditions.",
    "Cho also described the plight of North Korean soldiers sent to the front. “These men are "
    "only in their twenties and have been brainwashed from the inside. They didn’t even know "
    "who they were fighting against. They were simply told it was ‘imperialism,’” he said.",
    "He warned that capture offers little safety. “The prisoners currently in Ukraine said "
    "they couldn’t be captured… According to international law, they should be sent back to "
    "their homeland. But for them, that means they’ll be executed on the spot.”",
]
QUOTE = SEED_PARAGRAPHS[9]
BACKGROUND = SEED_PARAGRAPHS[3]

# A different story on the same topic that shares the defector's quote.
SHELLS_STORY = [
    "South Korea’s defence ministry said on Tuesday that Pyongyang has shipped another large "
    "consignment of artillery ammunition to Russia by rail through the port of Rajin.",
    "Officials in Seoul told reporters that satellite images showed hundreds of freight "
    "containers being loaded in recent weeks, far more than during the summer months.",
    "The ministry estimated that the shipments since the start of the year would be enough "
    "to sustain Russian artillery units for several months of intense fighting in Donetsk.",
    "Defectors and researchers have long warned that the trade gives the North badly needed "
    "hard currency, oil and food at a time when its own economy is struggling under "
    "sanctions.",
    QUOTE,
    "Moscow and Pyongyang deny that any arms transfers take place, calling the reports "
    "Western propaganda designed to justify new sanctions against both governments.",
    "The United States and Japan said they would raise the issue at the United Nations "
    "Security Council next week and urged China to use its influence on Pyongyang.",
]

# A different story on the same topic that shares a background paragraph.
ACCORD_STORY = [
    "Russian and North Korean officials signed a new agreement on military training and "
    "technical cooperation in Moscow on Wednesday, state media in both countries reported.",
    "The accord covers joint exercises, the exchange of instructors and the repair of "
    "Soviet-era equipment, according to a statement published by the Kremlin press office.",
    BACKGROUND,
    "Diplomats in Seoul said the text was vague on purpose and was likely to hide transfers "
    "of missile and satellite technology that the Security Council has banned.",
    "Kim Jong Un’s sister, Kim Yo Jong, praised the deal as a victory over what she called "
    "the hostile policies of Washington and its allies in the region.",
    "The foreign ministry in Kyiv called the agreement a threat to European security and "
    "asked partners for more air defence systems before the winter.",
]

# The seed story's event told again in other words: not a copy.
REWRITE_STORY = [
    "North Korean troops are still fighting for Moscow, and their contribution is growing, "
    "Kyiv’s spies believe, alarming both outside experts and people who fled the North.",
    "Kyiv’s defence intelligence directorate says several thousand soldiers from the North "
    "remain in action beside the Russian army, including in the Kursk region and along the "
    "border with Ukraine.",
    "About fifteen thousand men have been dispatched since the middle of 2024, by the "
    "directorate’s count; part of that force has returned home after combat tours.",
    "At first the contingent was dismissed as disposable infantry with little training, "
    "but the directorate now says the units offer better skilled support than before.",
    "Experts describe the arrangement as a bargain: the army in Pyongyang gets combat "
    "practice, while the Kremlin receives fresh troops and perhaps pays with money and "
    "weapons know-how.",
    "A defector living in Britain told a Polish newspaper the partnership is dangerous and "
    "said the young soldiers had been indoctrinated and would face execution if returned.",
]

LIGHT_EDITS = [
    (r"\baround\b", "about"),
    (r"\bsaid\b", "says"),
    (r"\bthousands of\b", "several thousand"),
    (r"\bwidely\b", "often"),
    (r"’", "'"),
    (r"\bRussian forces\b", "Russian troops"),
    (r"\bmuch-needed\b", "badly needed"),
]


def body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def seed_text() -> str:
    """The seed article exactly as it reached us (furniture included)."""
    return SEED.read_text(encoding="utf-8")


def with_headline(paragraphs: list[str], headline: str) -> str:
    return body([headline, *paragraphs])


def with_furniture(paragraphs: list[str]) -> str:
    parts = list(paragraphs)
    parts.insert(2, "Advertisement")
    parts.insert(5, "Related: Kim Jong Un visits tank factory")
    parts.insert(8, "Others are reading now")
    parts.append("Share on Facebook")
    parts.append("Copyright 2026 Example Wire. All rights reserved.")
    return body(parts)


def truncated(paragraphs: list[str], keep: int, outlet: str = "example.com") -> str:
    return body([*paragraphs[:keep], f"Read more at {outlet}"])


def with_also_read(paragraphs: list[str]) -> str:
    parts = list(paragraphs)
    for position, headline in ((3, "Seoul boosts border patrols"), (7, "Oil prices fall again")):
        parts.insert(position, f"Also read: {headline} as tension grows in the region")
    return body(parts)


def dropped(paragraphs: list[str], index: int) -> str:
    return body(paragraphs[:index] + paragraphs[index + 1 :])


def light_edit(paragraphs: list[str]) -> str:
    text = body(paragraphs)
    for pattern, replacement in LIGHT_EDITS:
        text = re.sub(pattern, replacement, text)
    return text


def with_byline_and_caption(paragraphs: list[str]) -> str:
    return body(
        [
            "By Anna Kowalska, Warsaw correspondent",
            "Published 26 November 2026, 09:14 CET",
            "Soldiers on parade in Pyongyang. Photo: KCNA via Reuters",
            *paragraphs,
        ]
    )
