"""Read-only searches on Elasticsearch: a client, no spool and no writer thread.

`Searching` is shared by the full backend and `ElasticsearchSearchIndex`, which the
API and the web app open per worker thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from crawler.index.elasticsearch import search as es_search
from crawler.index.elasticsearch.alerts import ElasticsearchAlertState
from crawler.index.elasticsearch.client import IndexNames, describe, make_client
from crawler.index.elasticsearch.searches import ElasticsearchSavedSearches
from crawler.index.search_index import SearchIndex
from crawler.story import Story

if TYPE_CHECKING:
    from collections.abc import Iterator

    from elasticsearch import Elasticsearch

    from crawler.config.schema import ElasticsearchIndex
    from crawler.index.search_index import Aggregations, NameKind, SearchPage, SearchRequest

logger = logging.getLogger(__name__)


class Searching:
    """Search, aggregate and export over `self.names.stories` with `self.client`."""

    names: IndexNames

    @property
    def client(self) -> Elasticsearch:
        raise NotImplementedError

    def search(self, request: SearchRequest) -> SearchPage:
        body = es_search.search_body(request)
        response = self.client.search(index=self.names.stories, **body)
        return es_search.search_page(response.body, request)

    def aggregate(
        self, request: SearchRequest, size: int = 10, estimate_above: int | None = None
    ) -> Aggregations:
        # Always exact: the cluster counts in the index, whatever the number of matches.
        body = es_search.aggregations_body(request, size)
        response = self.client.search(index=self.names.stories, **body)
        return es_search.aggregations(response.body)

    def search_with_facets(
        self, request: SearchRequest, size: int = 10, estimate_above: int | None = None
    ) -> tuple[SearchPage, Aggregations]:
        # One request: the hits of the page and the aggregations of every match (an
        # aggregation ignores search_after and size), so the match runs once.
        body = es_search.search_body(request)
        body["aggs"] = es_search.aggregations_body(request, size)["aggs"]
        response = self.client.search(index=self.names.stories, **body).body
        return es_search.search_page(response, request), es_search.aggregations(response)

    def stored_names(self, kind: NameKind) -> list[str]:
        return es_search.stored_names(self.client, self.names.stories, kind)

    def export(self, request: SearchRequest) -> Iterator[Story]:
        query = es_search.query(request)  # parse now: a bad query fails before streaming
        return es_search.export(self.client, self.names.stories, query)

    def alert_state(self) -> ElasticsearchAlertState:
        return ElasticsearchAlertState(self.client, self.names)

    def saved_searches(self) -> ElasticsearchSavedSearches:
        return ElasticsearchSavedSearches(self.client, self.names)


class ElasticsearchSearchIndex(Searching, SearchIndex):
    """The stories alias, searched with the configured (possibly read-only) user."""

    name = "elasticsearch"

    def __init__(self, es_config: ElasticsearchIndex) -> None:
        self.config = es_config
        self.names = IndexNames(es_config.index_prefix)
        self._client: Elasticsearch | None = None

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            raise RuntimeError("the Elasticsearch search index is not open")
        return self._client

    def open(self) -> None:
        if self._client is None:
            self._client = make_client(self.config)
            logger.debug("index: searching Elasticsearch at %s", describe(self.config))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def get_story(self, story_id: str) -> Story | None:
        response = self.client.search(
            index=self.names.stories, query={"ids": {"values": [story_id]}}, size=1
        )
        hits = response["hits"]["hits"]
        return Story.from_document(hits[0]["_source"]) if hits else None

    def count(self) -> int:
        return int(self.client.count(index=self.names.stories)["count"])
