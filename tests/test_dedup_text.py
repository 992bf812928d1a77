"""Normalisation, shingles, signatures and pair verification on built texts."""

from __future__ import annotations

import pytest

from crawler.base.fold import fold
from crawler.dedup.normalise import body_paragraphs, body_words, content_hash, is_furniture
from crawler.dedup.signature import BODY_BANDS, LEAD_BANDS, LEAD_WINDOWS, band_keys
from crawler.dedup.verify import compare
from tests.test_dedup_corpus import (
    ACCORD_STORY,
    QUOTE,
    REWRITE_STORY,
    SEED_PARAGRAPHS,
    SHELLS_STORY,
    body,
    dropped,
    light_edit,
    seed_text,
    truncated,
    with_also_read,
    with_byline_and_caption,
    with_furniture,
    with_headline,
)

ORIGINAL = body(SEED_PARAGRAPHS)


def test_fold_is_nfkc_casefold_and_accent_free():
    assert fold("Wiadomości ＦＵＬＬ Straße Ḱ", compose=True) == "wiadomosci full strasse k"


@pytest.mark.parametrize(
    "line",
    [
        "Read more at example.com",
        "Also read",
        "Also read: Seoul boosts border patrols",
        "Others are reading now",
        "Ads by MGDK",
        "Sources: Wiadomości, Ukrainian military intelligence (HUR), Fakt",
        "Homepage News Ukraine warns of expanding North Korea role in war",
        "SFC KEITH J. GARDNER, Public domain, via Wikimedia Commons",
        "Troops still deployed",
        "Related: Kim Jong Un visits tank factory",
        "Advertisement",
        "Posted by Min-ji Kwon and Arthur Lindqvist on 11/25/2026 at 02:55 AM UTC",
    ],
)
def test_aggregator_furniture_lines_are_dropped(line):
    assert is_furniture(fold(line))


@pytest.mark.parametrize(
    "line",
    [
        "He added that the conflict allows the DPRK to study modern warfare under real conditions.",
        "Read the statement, officials said, and you will see what Moscow wants.",
        "Related talks were held in Seoul on Monday.",
        "Sources close to the ministry said the deal was signed.",
        "Published figures show 15,000 troops were sent in 2024.",
    ],
)
def test_story_sentences_are_kept(line):
    assert not is_furniture(fold(line))


def test_seed_furniture_does_not_change_the_body():
    """The seed as it reached us normalises to exactly its story paragraphs."""
    assert body_words(seed_text()) == body_words(ORIGINAL)
    assert content_hash(body_words(seed_text())) == content_hash(body_words(ORIGINAL))


def test_punctuation_quotes_and_wrapping_do_not_matter():
    rewrapped = ORIGINAL.replace("’", "'").replace("“", '"').replace("”", '"')
    rewrapped = rewrapped.replace(". ", ".\n", 5)
    assert content_hash(body_words(rewrapped)) == content_hash(body_words(ORIGINAL))


def test_different_bodies_hash_differently():
    assert content_hash(body_words(ORIGINAL)) != content_hash(
        body_words(light_edit(SEED_PARAGRAPHS))
    )


COPIES = {
    "new headline": with_headline(SEED_PARAGRAPHS, "Kyiv says Pyongyang is deepening its war role"),
    "other furniture": with_furniture(SEED_PARAGRAPHS),
    "truncated + read more": truncated(SEED_PARAGRAPHS, 2),
    "truncated longer": truncated(SEED_PARAGRAPHS, 5),
    "also-read inserts": with_also_read(SEED_PARAGRAPHS),
    "dropped paragraph": dropped(SEED_PARAGRAPHS, 4),
    "light edit": light_edit(SEED_PARAGRAPHS),
    "byline, date, caption": with_byline_and_caption(SEED_PARAGRAPHS),
    "truncated light edit": light_edit(SEED_PARAGRAPHS[:4]),
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copies_verify_as_copies(name):
    verdict = compare(body_paragraphs(COPIES[name]), body_paragraphs(ORIGINAL))
    assert verdict.is_copy, verdict


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(SHELLS_STORY, id="shared quote"),
        pytest.param(ACCORD_STORY, id="shared background paragraph"),
        pytest.param(REWRITE_STORY, id="same event rewritten"),
    ],
)
def test_hard_negatives_are_not_copies(other):
    verdict = compare(body_paragraphs(body(other)), body_paragraphs(ORIGINAL))
    assert not verdict.is_copy, verdict


def test_hard_negatives_do_share_text():
    """The negatives are hard: they share a whole paragraph with the original."""
    for other in (SHELLS_STORY, ACCORD_STORY):
        assert compare(body_paragraphs(body(other)), body_paragraphs(ORIGINAL)).shared >= 25


def test_one_shared_paragraph_is_not_a_copy_however_much_of_the_text_it_is():
    """A brief made of the original's long quote plus one line of its own: most of its
    shingles are in the original, but they come from a single paragraph."""
    brief = body([QUOTE, "Seoul's spy agency said on Friday it could not confirm the figure."])
    verdict = compare(body_paragraphs(brief), body_paragraphs(ORIGINAL))
    assert verdict.containment >= 0.6 and verdict.paragraphs == 1
    assert not verdict.is_copy


def test_two_shared_paragraphs_of_a_short_text_are_a_copy():
    verdict = compare(body_paragraphs(body(SEED_PARAGRAPHS[:2])), body_paragraphs(ORIGINAL))
    assert verdict.is_copy and verdict.paragraphs == 2


def test_verification_is_symmetric():
    short = body_paragraphs(COPIES["truncated + read more"])
    full = body_paragraphs(ORIGINAL)
    assert compare(short, full) == compare(full, short)


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copies_share_band_keys_with_the_original(name):
    """LSH finds every copy variation: at least one band key in common."""
    shared = set(band_keys(body_paragraphs(COPIES[name]))) & set(
        band_keys(body_paragraphs(ORIGINAL))
    )
    assert shared, name


def test_band_keys_are_stable_and_shaped():
    keys = band_keys(body_paragraphs(ORIGINAL))
    assert keys == band_keys(body_paragraphs(seed_text()))
    assert len(keys) == BODY_BANDS + LEAD_BANDS * LEAD_WINDOWS
    assert keys[3].startswith("b03:") and len(keys[3]) == len("b03:") + 16


def test_unrelated_stories_share_no_band_keys():
    for other in (SHELLS_STORY, ACCORD_STORY, REWRITE_STORY):
        assert not set(band_keys(body_paragraphs(body(other)))) & set(
            band_keys(body_paragraphs(ORIGINAL))
        )


def test_empty_body_has_no_keys():
    assert band_keys(body_paragraphs("Read more at example.com\n\nAds by MGDK")) == []
