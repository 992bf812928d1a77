"""The record each hand-written multilingual story is declared with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Republished:
    """One syndicated copy in the story's language: where, how, and what it changed."""

    outlet: str
    variation: str  # "new_headline", "light_edit" or "original" (same text, same title)
    title: str | None = None  # the copy's own headline (new_headline)
    edits: tuple[tuple[str, str], ...] = ()  # (old, new) replacements in the body (light_edit)


@dataclass(frozen=True)
class LangText:
    """A story in one language.

    `kind` is "troops" or "captives" (on-topic: it names North Korea, in inflected or
    agglutinated forms only where the language has them), "near_miss" (off-topic, shares
    vocabulary: South Korea, the Korean peninsula's weather, the North Sea) or "brief"
    (on-topic but a few words long: every crawler must refuse it as too short).
    """

    id: str
    language: str
    kind: str
    origin: str
    title: str
    paragraphs: tuple[str, ...]
    copies: tuple[Republished, ...] = field(default=())
    hours_ago: int = 20

    @property
    def on_topic(self) -> bool:
        return self.kind != "near_miss"
