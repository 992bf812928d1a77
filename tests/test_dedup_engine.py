"""The Deduplicator on real backends: one story per syndicated story, every copy on it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from crawler.dedup import DedupInputError, Deduplicator
from crawler.items import Article
from tests.test_dedup_corpus import (
    ACCORD_STORY,
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

PUBLISHED = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
ORIGINAL = body(SEED_PARAGRAPHS)
STORY_KEYS = {
    "id", "url", "canonical_url", "outlet", "source", "title", "description", "text",
    "authors", "published", "updated", "language", "top_image", "tags", "topics",
    "first_seen", "last_seen", "copies", "copy_urls", "outlets", "outlet_count",
    "content_hashes", "dedup_bands", "dedup_text",
}  # fmt: skip
COPY_KEYS = {
    "url", "canonical_url", "outlet", "source", "title", "published", "text", "first_seen",
    "match", "score", "language",
}  # fmt: skip


def article(
    outlet: str,
    path: str,
    text: str,
    *,
    title: str = "Ukraine warns of expanding North Korea role in war",
    published: datetime | None = PUBLISHED,
    canonical: str | None = None,
    topics: tuple[str, ...] = ("north-korea-russia",),
) -> Article:
    url = f"https://{outlet}.example/{path}"
    return Article(
        url=url,
        canonical_url=canonical or url,
        source=outlet,
        outlet=outlet.title(),
        title=title,
        text=text,
        description=text.split(".")[0],
        authors=[f"{outlet} staff"],
        published=published,
        language="en",
        topics=list(topics),
        fetched_at=datetime(2026, 11, 26, 12, 0, tzinfo=UTC),
    )


@pytest.fixture
def dedup(backend):
    return Deduplicator(backend)


def flushed(dedup, item):
    outcome = dedup.add(item)
    dedup.backend.flush()
    return outcome


def test_first_copy_creates_a_story_with_the_schema_keys(dedup, backend):
    outcome = flushed(dedup, article("wire", "a/1", ORIGINAL))
    assert (outcome.action, outcome.match, outcome.score) == ("new", "original", None)
    assert outcome.story_id == hashlib.sha1(b"https://wire.example/a/1").hexdigest()
    story = backend.get_story(outcome.story_id)
    assert set(story.to_document()) == STORY_KEYS
    assert [set(c.to_document()) for c in story.copies] == [COPY_KEYS]
    assert story.outlets == ["Wire"] and story.outlet_count == 1
    assert story.published == "2026-11-26T08:00:00Z"
    assert story.dedup_bands and story.content_hashes


COPIES = {
    "new headline": (with_headline(SEED_PARAGRAPHS, "Kyiv: Pyongyang deepens war role"), None),
    "other furniture": (with_furniture(SEED_PARAGRAPHS), None),
    "truncated + read more": (truncated(SEED_PARAGRAPHS, 3, "wire.example"), "near"),
    "also-read inserts": (with_also_read(SEED_PARAGRAPHS), None),
    "dropped paragraph": (dropped(SEED_PARAGRAPHS, 6), "near"),
    "light edit": (light_edit(SEED_PARAGRAPHS), "near"),
    "byline, date, caption": (with_byline_and_caption(SEED_PARAGRAPHS), None),
    "seed as it reached us": (seed_text(), "exact"),
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_each_copy_variation_merges_into_one_story(dedup, backend, name):
    text, match = COPIES[name]
    first = flushed(dedup, article("wire", "a/1", ORIGINAL))
    second = flushed(dedup, article("daily", "news/2", text, title="Another headline"))
    assert second.action == "copy"
    assert second.story_id == first.story_id
    assert second.match in ("exact", "near") and second.match == (match or second.match)
    assert backend.count() == 1
    story = backend.get_story(first.story_id)
    assert [c.outlet for c in story.copies] == ["Wire", "Daily"]
    assert story.outlet_count == 2
    assert story.copies[1].match == second.match
    assert backend.find_by_url("https://daily.example/news/2").id == first.story_id


def test_truncated_copy_first_then_full_text(dedup, backend):
    """Order does not matter: the full text later still finds the truncated story."""
    first = flushed(dedup, article("brief", "b/1", truncated(SEED_PARAGRAPHS, 2)))
    second = flushed(dedup, article("wire", "a/1", ORIGINAL))
    assert (second.action, second.story_id) == ("copy", first.story_id)
    assert backend.get_story(first.story_id).dedup_text == ORIGINAL


@pytest.mark.parametrize(
    "other",
    [
        pytest.param(SHELLS_STORY, id="shared quote"),
        pytest.param(ACCORD_STORY, id="shared background paragraph"),
        pytest.param(REWRITE_STORY, id="same event rewritten"),
    ],
)
def test_hard_negatives_stay_separate_stories(dedup, backend, other):
    first = flushed(dedup, article("wire", "a/1", ORIGINAL))
    second = flushed(dedup, article("daily", "news/2", body(other)))
    assert second.action == "new"
    assert second.story_id != first.story_id
    assert backend.count() == 2
    assert backend.get_story(first.story_id).outlet_count == 1


def test_same_url_again_is_unchanged_and_an_edit_updates_in_place(dedup, backend):
    first = flushed(dedup, article("wire", "a/1", ORIGINAL))
    again = flushed(dedup, article("wire", "a/1", ORIGINAL))
    assert (again.action, again.story_id) == ("unchanged", first.story_id)
    edited = ORIGINAL + "\n\nRussia's defence ministry did not respond to a request for comment."
    updated = flushed(dedup, article("wire", "a/1", edited, title="Updated headline"))
    assert (updated.action, updated.story_id) == ("updated", first.story_id)
    story = backend.get_story(first.story_id)
    assert len(story.copies) == 1
    assert story.title == "Updated headline" and story.text == edited
    assert story.copies[0].match == "original"
    assert backend.count() == 1


def test_tracking_parameters_do_not_make_a_new_copy(dedup, backend):
    first = flushed(dedup, article("wire", "a/1", ORIGINAL))
    tracked = article("wire", "a/1?utm_source=twitter&fbclid=abc", ORIGINAL)
    outcome = flushed(dedup, tracked)
    assert (outcome.action, outcome.story_id) == ("unchanged", first.story_id)
    assert len(backend.get_story(first.story_id).copies) == 1


def test_canonical_link_to_a_known_copy_is_a_copy(dedup, backend):
    """An AMP or partner page declaring a known copy canonical joins its story, whatever
    its text (here a teaser too short to verify)."""
    first = flushed(dedup, article("wire", "a/1", ORIGINAL))
    amp = article(
        "partner",
        "amp/a-1",
        "North Korea keeps troops in Russia, Kyiv says. Full story on the wire.",
        canonical="https://wire.example/a/1",
    )
    outcome = flushed(dedup, amp)
    assert (outcome.action, outcome.match, outcome.story_id) == (
        "copy",
        "canonical",
        first.story_id,
    )
    story = backend.get_story(first.story_id)
    assert "https://partner.example/amp/a-1" in story.copy_urls
    assert story.url == "https://wire.example/a/1"


def test_earlier_published_copy_takes_over_as_primary(dedup, backend):
    late = article("daily", "news/2", with_furniture(SEED_PARAGRAPHS), title="Late headline")
    first = flushed(dedup, late)
    early = article(
        "wire", "a/1", ORIGINAL, title="Wire headline", published=PUBLISHED - timedelta(hours=5)
    )
    outcome = flushed(dedup, early)
    assert (outcome.action, outcome.story_id) == ("copy", first.story_id)
    story = backend.get_story(first.story_id)
    assert story.id == hashlib.sha1(b"https://daily.example/news/2").hexdigest()
    assert (story.url, story.title, story.outlet) == (
        "https://wire.example/a/1",
        "Wire headline",
        "Wire",
    )
    assert story.published == "2026-11-26T03:00:00Z"
    later = flushed(dedup, article("third", "x/3", ORIGINAL, published=PUBLISHED))
    assert later.story_id == first.story_id
    assert backend.get_story(first.story_id).title == "Wire headline"


def test_seed_story_and_its_copies_collapse_onto_one_story(dedup, backend):
    items = [
        article("aggregator", "world/ukraine-north-korea", seed_text()),
        article("wire", "a/1", ORIGINAL, published=PUBLISHED - timedelta(hours=2)),
        article("daily", "n/2", with_headline(SEED_PARAGRAPHS, "Pyongyang's soldiers stay")),
        article("brief", "b/3", truncated(SEED_PARAGRAPHS, 3, "aggregator.example")),
        article("partner", "p/4", with_also_read(light_edit(SEED_PARAGRAPHS).split("\n\n"))),
        article("other", "o/5", body(SHELLS_STORY)),
    ]
    outcomes = [flushed(dedup, item) for item in items]
    assert [o.action for o in outcomes] == ["new", "copy", "copy", "copy", "copy", "new"]
    assert backend.count() == 2
    story = backend.get_story(outcomes[0].story_id)
    assert story.outlets == ["Aggregator", "Brief", "Daily", "Partner", "Wire"]
    assert story.outlet == "Wire"
    assert story.topics == ["north-korea-russia"]


def test_topics_are_the_union_over_copies(dedup, backend):
    first = flushed(dedup, article("wire", "a/1", ORIGINAL, topics=("a",)))
    flushed(dedup, article("daily", "n/2", ORIGINAL, topics=("b",)))
    assert backend.get_story(first.story_id).topics == ["a", "b"]


def test_a_page_without_body_text_is_refused_with_its_url(dedup, backend, caplog):
    with pytest.raises(DedupInputError, match="https://wire.example/empty"):
        dedup.add(article("wire", "empty", "Read more at wire.example\n\nAds by MGDK"))
    assert dedup.stats["dedup/errors/no_text"] == 1
    assert "https://wire.example/empty" in caplog.text
    assert backend.count() == 0
