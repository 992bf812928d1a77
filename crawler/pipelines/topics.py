"""Tag each article with every topic it matches; drop (and count) the ones matching none."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem, NotConfigured

from crawler.query import TokenizedDocument, compile_matcher, parse_query

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from crawler.config import Config
    from crawler.items import Article

logger = logging.getLogger(__name__)


class TopicPipeline:
    """Matches title, text, outlet and authors against each topic's query once per page."""

    def __init__(self, topics: dict[str, str], stats: StatsCollector | None) -> None:
        self.matchers: dict[str, Callable[..., bool]] = {
            name: compile_matcher(parse_query(query)) for name, query in topics.items()
        }
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("TOPIC_PIPELINE_ENABLED", True):
            raise NotConfigured("TOPIC_PIPELINE_ENABLED is off")
        config: Config | None = settings.get("NEWSWATCH_CONFIG")
        if config is None:
            raise NotConfigured("no NEWSWATCH_CONFIG: no topics to match")
        chosen = set(settings.getlist("NEWSWATCH_TOPICS"))
        topics = {t.name: t.query for t in config.topics if not chosen or t.name in chosen}
        return cls(topics, crawler.stats)

    def process_item(self, item: Article) -> Article:
        document = TokenizedDocument(
            {
                "title": item.title,
                "text": item.text,
                "outlet": item.outlet,
                "authors": item.authors,
            }
        )
        item.topics = [name for name, matches in self.matchers.items() if matches(document)]
        if not item.topics:
            if self.stats is not None:
                self.stats.inc_value("crawl/dropped/off_topic")
            logger.info("Dropped %s (off_topic): %s", item.url, item.title)
            raise DropItem("off-topic")
        for name in item.topics:
            if self.stats is not None:
                self.stats.inc_value(f"crawl/topics/{name}")
        return item
