"""The multilingual slice of the mock news web: what it promises the language tests."""

from __future__ import annotations

import re
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tests.harness.newsweb.multilingual import LANGUAGES, TEXTS, build_multilingual_world

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
# Base forms that must never appear as a word in an on-topic story of these languages:
# only inflected (ru, uk, de), particle-bearing (ko) or clitic (ar) forms do.
ABSENT_BASE_FORMS = {
    "ru": r"Северная Корея",
    "uk": r"Північна Корея",
    "de": r"\bNordkorea\b",
    "ko": r"(?<!\w)북한(?!\w)",
    "ar": r"(?<!\w)كوريا الشمالية",
}


def test_eight_languages_each_with_an_on_topic_story_and_a_near_miss() -> None:
    world = build_multilingual_world(NOW)
    kinds = {(s.language, s.on_topic) for s in world.stories}
    assert set(LANGUAGES) <= {language for language, _ in kinds}
    for language in LANGUAGES:
        assert (language, True) in kinds and (language, False) in kinds, language


def test_on_topic_stories_never_carry_the_base_form_where_the_language_inflects() -> None:
    for text in TEXTS:
        pattern = ABSENT_BASE_FORMS.get(text.language)
        if pattern and text.on_topic:
            body = "\n".join((text.title, *text.paragraphs))
            assert not re.search(pattern, body), text.id


def test_syndicated_copies_stay_within_their_language() -> None:
    world = build_multilingual_world(NOW)
    copies = Counter(c.story_id for c in world.copies)
    republished = {world.story(s).language for s, n in copies.items() if n > 1}
    assert {"ru", "uk", "ko", "ja", "zh", "de", "fr", "ar"} <= republished
    paths = [(c.outlet, c.path) for c in world.copies]
    assert len(paths) == len(set(paths))


def test_cjk_stories_are_short_in_characters() -> None:
    for text in TEXTS:
        if text.language in ("zh", "ja") and text.kind != "brief":
            assert 100 < len("\n".join(text.paragraphs)) < 400, text.id


def test_pages_carry_right_wrong_and_missing_language_hints(newsweb_multilingual: NewsWeb) -> None:
    web = newsweb_multilingual
    hints = {}
    for copy in web.world.copies:
        if copy.story_id in ("ru-troops", "ko-troops"):
            with urllib.request.urlopen(web.copy_url(copy), timeout=10) as response:
                html = response.read().decode()
                lang = re.search(r'<html(?: lang="([^"]+)")?', html)
                assert lang is not None
                hints[copy.outlet, copy.story_id] = (lang[1], response.headers["Content-Language"])
    assert hints["polyglot", "ru-troops"] == ("ru", None)
    assert hints["eastern", "ru-troops"] == ("en", None)  # a Russian page marked English
    assert hints["asia", "ko-troops"] == (None, "ko")
