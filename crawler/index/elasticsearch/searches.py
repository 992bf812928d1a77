"""Saved searches in Elasticsearch: the `<prefix>-searches` index (index_mappings/searches.json).

Read by id in real time; a listing refreshes first, so a search saved by another
process a moment ago is listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.index.mappings import index_definition
from crawler.index.saved_searches import SavedSearch

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

    from crawler.index.elasticsearch.client import IndexNames

MAX_SEARCHES = 10_000


class ElasticsearchSavedSearches:
    def __init__(self, client: Elasticsearch, names: IndexNames) -> None:
        self.client = client
        self.index = names.searches
        # Clusters set up before saved searches existed get the index on first use.
        if not self.client.indices.exists(index=self.index):
            definition = index_definition("searches")
            self.client.options(ignore_status=400).indices.create(
                index=self.index, settings=definition.settings, mappings=definition.mappings
            )

    def save(self, search: SavedSearch) -> None:
        self.client.index(
            index=self.index, id=search.id, document=search.to_document(), refresh="wait_for"
        )

    def get(self, search_id: str) -> SavedSearch | None:
        found = self.client.options(ignore_status=404).get(index=self.index, id=search_id)
        if found.meta.status == 404:
            return None
        return SavedSearch.from_document(found["_source"])

    def all(self) -> list[SavedSearch]:
        response = self.client.search(
            index=self.index,
            query={"match_all": {}},
            size=MAX_SEARCHES,
            sort=[{"created": "asc"}, {"id": "asc"}],
        )
        return [SavedSearch.from_document(hit["_source"]) for hit in response["hits"]["hits"]]

    def delete(self, search_id: str) -> bool:
        deleted = self.client.options(ignore_status=404).delete(
            index=self.index, id=search_id, refresh="wait_for"
        )
        return deleted.meta.status == 200

    def close(self) -> None:
        """The client belongs to the search index, which closes it."""
