"""Topics belong to the story: copies join whatever their own text says, held pages wait.

Run on both backends, with the backend reopened between pages where the issue is
two crawls (the scheduler runs each source in its own process).
"""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from crawler.dedup import Deduplicator
from crawler.index.held import HeldPage
from crawler.index.search_index import SearchRequest
from crawler.items import Article
from crawler.story import Story
from crawler.topics import TopicMatcher

TOPICS = {
    "dprk-russia-war": '("North Korea" OR Pyongyang) AND (Russia OR Ukraine)',
    "energy": "gas OR pipeline OR LNG",
}
# The first three paragraphs name neither side: a teaser of them is off-topic alone.
LEAD = [
    "The convoy left the border town before dawn on Tuesday, carrying ammunition crates, "
    "field kitchens and several hundred soldiers who had arrived by train the previous "
    "week, according to residents who watched it pass.",
    "Local officials said the soldiers spoke a language none of them recognised, kept to "
    "their barracks at night and were escorted by interpreters whenever they left the "
    "station for the training grounds outside the town.",
    "Satellite images taken on Monday show new tents and vehicle tracks at the training "
    "grounds, and a commercial analyst said the camp had roughly doubled in size within a "
    "month of the first arrivals.",
]
REST = [
    "Ukraine's military intelligence said on Wednesday that the soldiers were North Korean "
    "troops sent to help Russia retake territory in the Kursk region, the first time Kyiv "
    "has named the camp.",
    "Pyongyang and Moscow have denied sending or receiving troops, but South Korean "
    "lawmakers briefed by their own intelligence service said thousands more were expected "
    "before the winter.",
    "Analysts said the deployment would deepen military ties between the two countries, "
    "which signed a mutual defence treaty last year and have expanded trade in weapons and "
    "food since.",
]
ENERGY = (
    "Officials in Moscow also offered discounted gas and a share of a new pipeline in "
    "return, a senior diplomat said, adding that the talks had gone on for months."
)
TITLE = "North Korean troops seen at camp near Russia's border, Ukraine says"
TEASER_TITLE = "A convoy leaves the border town before dawn"
PUBLISHED = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def page(
    outlet: str,
    paragraphs: list[str],
    *,
    title: str = TITLE,
    canonical: str | None = None,
    hours: int = 0,
    path: str = "troops-camp",
) -> Article:
    url = f"https://{outlet}.example/{path}"
    return Article(
        url=url,
        canonical_url=canonical or url,
        source=outlet,
        outlet=outlet.title(),
        title=title,
        text="\n\n".join(paragraphs),
        published=PUBLISHED + timedelta(hours=hours),
        fetched_at=PUBLISHED + timedelta(hours=hours + 1),
    )


def original() -> Article:
    return page("ledger", LEAD + REST)


def teaser(canonical: bool) -> Article:
    """A syndicator's truncated copy: the lead, a "continue reading" line, no topic word."""
    link = "https://ledger.example/troops-camp" if canonical else None
    paragraphs = [*LEAD, "Continue reading on Kyiv Ledger"]
    return page("wire", paragraphs, title=TEASER_TITLE, canonical=link, hours=2)


def deduplicator(backend, topics: dict[str, str] = TOPICS) -> Deduplicator:
    return Deduplicator(backend, topics=TopicMatcher(topics), held=backend.held_pages())


def stories(backend) -> list[dict]:
    backend.flush()
    return list(backend.export(SearchRequest(highlight=False)))


@pytest.mark.parametrize("reopen", [False, True], ids=["one crawl", "two crawls"])
@pytest.mark.parametrize("canonical", [True, False], ids=["canonical", "no canonical"])
@pytest.mark.parametrize("order", ["original first", "copy first"])
def test_a_truncated_copy_without_topic_words_joins_its_story(
    backend_store, order: str, canonical: bool, reopen: bool
) -> None:
    items = [original(), teaser(canonical)]
    if order == "copy first":
        items.reverse()
    backend = backend_store.current
    first = deduplicator(backend).add(items[0])
    if reopen:
        backend = backend_store.reopen()
    second = deduplicator(backend).add(items[1])

    found = stories(backend)
    assert len(found) == 1
    story = found[0]
    assert {c.url for c in story.copies} == {items[0].url, items[1].url}
    copy = next(c for c in story.copies if c.url == "https://wire.example/troops-camp")
    assert copy.match == ("canonical" if canonical else "near")
    assert story.topics == ["dprk-russia-war"]
    # Whichever came first, the original is the primary and gives the story its id.
    assert story.id == hashlib.sha1(b"https://ledger.example/troops-camp").hexdigest()
    assert (story.title, story.outlet_count) == (TITLE, 2)
    if order == "copy first":
        assert (first.action, first.story_id) == ("off_topic", None)
        assert (second.action, second.joined) == ("new", 1)
    else:
        assert (first.action, second.action) == ("new", "copy")
    assert backend.held_pages().count() == 0  # joined pages are released


def test_an_off_topic_page_creates_no_story(backend) -> None:
    off_topic = page("metro", LEAD, title=TEASER_TITLE)
    outcome = deduplicator(backend).add(off_topic)
    assert (outcome.action, outcome.story_id) == ("off_topic", None)
    assert off_topic.topics == []
    assert backend.count() == 0
    assert backend.held_pages().count() == 1


def test_an_off_topic_original_joins_a_later_on_topic_copy(backend_store) -> None:
    """The original names neither side; a partner's copy adds a paragraph that does."""
    plain = page("ledger", LEAD, title=TEASER_TITLE)
    assert deduplicator(backend_store.current).add(plain).action == "off_topic"
    backend = backend_store.reopen()
    annotated = page("wire", [*LEAD, *REST[:2]], title=TEASER_TITLE, hours=3)
    outcome = deduplicator(backend).add(annotated)
    assert (outcome.action, outcome.joined) == ("new", 1)

    (story,) = stories(backend)
    assert story.url == plain.url  # the original, published first, is primary
    assert [c.match for c in story.copies] == ["original", "near"]
    assert story.topics == ["dprk-russia-war"]
    assert story.first_seen == "2026-11-26T09:00:00Z"  # when the original was held


def test_topics_are_redecided_when_a_longer_copy_arrives(backend) -> None:
    dedup = deduplicator(backend)
    short = page("ledger", LEAD + REST[:2])
    assert dedup.add(short).action == "new"
    longer = page("wire", [*LEAD, *REST, ENERGY], title="Troops at the camp", hours=1)
    outcome = dedup.add(longer)
    assert outcome.action == "copy"
    (story,) = stories(backend)
    assert story.topics == ["dprk-russia-war", "energy"]
    assert longer.topics == ["dprk-russia-war", "energy"]  # the story's, not the page's own


def test_a_redecision_never_leaves_an_indexed_story_without_topics(backend) -> None:
    quiet = {"quiet-front": "(soldiers AND convoy) NOT Pyongyang"}
    dedup = deduplicator(backend, quiet)
    assert dedup.add(page("ledger", LEAD)).action == "new"
    # The longer copy names Pyongyang: the query no longer matches, the topic stays.
    assert dedup.add(page("wire", LEAD + REST, hours=1)).action == "copy"
    (story,) = stories(backend)
    assert story.topics == ["quiet-front"]


def test_a_redecision_keeps_topics_this_crawl_does_not_match() -> None:
    matcher = TopicMatcher({"energy": TOPICS["energy"]})
    story = Story(
        id="x", url="", title=TITLE, dedup_text="\n".join(LEAD + REST), outlets=["Ledger"]
    )
    # another crawl (--topic dprk-russia-war) tagged it; this one matches energy only
    assert matcher.decide(story, ["dprk-russia-war", "energy"]) == ["dprk-russia-war"]
    assert matcher.decide(dataclasses.replace(story, dedup_text=ENERGY), None) == ["energy"]


def held(url: str, day: int) -> HeldPage:
    return HeldPage(
        url=url,
        canonical_url=url,
        content_hash=hashlib.sha1(url.encode()).hexdigest(),
        bands=("b00:0000000000000000",),
        held_at=f"2026-11-{day:02d}T09:00:00Z",
        article={"url": url, "canonical_url": url, "source": "s", "outlet": "S", "title": "",
                 "text": "x"},
    )  # fmt: skip


def test_held_pages_are_pruned_by_age_then_count(backend) -> None:
    store = backend.held_pages()
    with backend.dedup_lock():
        for day in (1, 20, 25, 26):
            store.hold(held(f"https://metro.example/{day}", day))
    assert store.count() == 4
    # the one held before the 10th goes by age, the oldest of the rest by the cap
    assert store.prune("2026-11-10T00:00:00Z", keep=2) == 2
    assert store.count() == 2
    with backend.dedup_lock():
        left = store.find([], "", ["b00:0000000000000000"], limit=10)
    assert sorted(p.url for p in left) == ["https://metro.example/25", "https://metro.example/26"]
