"""A story's topics: every configured topic query its best text and title match."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.query import TokenizedDocument, compile_matcher, parse_query

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from crawler.query.matcher import Document
    from crawler.story import Story


class TopicMatcher:
    """The topic queries of one crawl, compiled once; matched against story documents."""

    def __init__(self, topics: Mapping[str, str]) -> None:
        self.matchers: dict[str, Callable[[Document | TokenizedDocument], bool]] = {
            name: compile_matcher(parse_query(query)) for name, query in topics.items()
        }

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.matchers)

    def match(self, story: Story) -> list[str]:
        """The topics the story matches, on its longest copy's body plus its title.

        The longest copy (`dedup_text`) rather than the primary's text: a truncated
        copy published first is the primary, but the story is what its full copy says.
        Outlets are every copy's, as `outlet:` means in searches.
        """
        document = TokenizedDocument(
            {
                "title": story.title,
                "text": story.dedup_text or story.text,
                "outlets": list(story.outlets or [story.outlet]),
                "authors": list(story.authors),
                "language": story.language,
            }
        )
        return [name for name, matches in self.matchers.items() if matches(document)]

    def decide(
        self, story: Story, previous: list[str] | None, *, keep_previous: bool = True
    ) -> list[str]:
        """The story's topics after a re-decision.

        Topics this crawl does not match against (another crawl's `--topic` choice)
        are kept. A story already indexed never loses all its topics: when nothing
        matches any more (a longer copy hitting a query's NOT, a changed query, a new
        primary's title), the previous topics stay, so an indexed story never becomes
        an untagged one that no topic search finds.

        `keep_previous=False` lets the answer be empty: for a story judged again
        once its furniture is known (crawler/dedup/rejudge.py), where no topic left
        means it was on-topic only through furniture.
        """
        matched = set(self.match(story))
        kept = {topic for topic in previous or () if topic not in self.matchers}
        topics = sorted(matched | kept)
        if not topics and previous and keep_previous:
            return sorted(previous)
        return topics
