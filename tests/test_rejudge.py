"""Stories judged again at a crawl's end, with the furniture its later pages taught."""

from __future__ import annotations

from crawler.dedup.rejudge import rejudge_stories
from crawler.furniture import FurnitureLearner
from crawler.topics import TopicMatcher
from tests.test_story_topics import LEAD, REST, TOPICS, deduplicator, page, stories

# A syndicator's newsletter line naming a topic's words: furniture it prints on every page.
NEWSLETTER = "Get our briefing on North Korea and Russia, every weekday evening. Sign up here."
OFF_TOPIC = [
    "The council approved the new tram line after a three-hour meeting on Tuesday night.",
    "Work on the first section starts in spring, and trams should run by the end of 2028.",
]


def test_a_story_on_topic_only_through_furniture_is_dropped(backend) -> None:
    dedup = deduplicator(backend)
    # The syndicator's first page: nothing learned yet, so its newsletter line decides.
    first = dedup.add(page("relay", [*OFF_TOPIC, NEWSLETTER], title="City approves tram line"))
    assert first.action == "new"
    learner = FurnitureLearner(backend.furniture_store())
    for n in range(3):  # later pages of the same outlet teach the line
        learner.record(f"https://relay.example/p{n}", f"Story {n} line.\n{NEWSLETTER}", f"t{n}")

    counts = rejudge_stories(backend, [first.story_id], learner.strip, TopicMatcher(TOPICS))
    backend.flush()

    assert counts["dedup/rejudged/dropped"] == 1
    assert stories(backend) == []


def test_a_story_with_real_topic_words_keeps_them_and_loses_the_line(backend) -> None:
    dedup = deduplicator(backend)
    outcome = dedup.add(page("relay", [*LEAD, *REST, NEWSLETTER]))
    learner = FurnitureLearner(backend.furniture_store())
    for n in range(3):
        learner.record(f"https://relay.example/p{n}", f"Story {n} line.\n{NEWSLETTER}", f"t{n}")

    counts = rejudge_stories(backend, [outcome.story_id], learner.strip, TopicMatcher(TOPICS))
    backend.flush()

    [story] = stories(backend)
    assert story.topics == ["dprk-russia-war"]
    assert NEWSLETTER not in story.text and NEWSLETTER not in story.dedup_text
    assert REST[0] in story.text
    assert counts["dedup/rejudged/changed"] == 1


def test_nothing_learned_leaves_the_story_as_it_was(backend) -> None:
    dedup = deduplicator(backend)
    outcome = dedup.add(page("relay", [*LEAD, *REST, NEWSLETTER]))
    learner = FurnitureLearner(backend.furniture_store())

    counts = rejudge_stories(backend, [outcome.story_id], learner.strip, TopicMatcher(TOPICS))
    backend.flush()

    [story] = stories(backend)
    assert NEWSLETTER in story.text and not counts
