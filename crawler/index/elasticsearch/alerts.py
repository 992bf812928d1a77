"""Alert state in Elasticsearch: the `<prefix>-alerts` index (index_mappings/alerts.json).

`claim` is a create (409 when the id exists) and `move` an index guarded by the
document's sequence number, both real-time by id: no refresh is needed to decide.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.index.alert_state import AlertItem, now_iso
from crawler.index.elasticsearch import conditional
from crawler.index.elasticsearch import search as es_search
from crawler.index.mappings import index_definition

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from elasticsearch import Elasticsearch

    from crawler.index.elasticsearch.client import IndexNames
    from crawler.story import Story

logger = logging.getLogger(__name__)

_CURSOR = "cursor"  # status of the cursor documents, kept out of item listings
CURSOR_TRIES = 10


class ElasticsearchAlertState:
    def __init__(self, client: Elasticsearch, names: IndexNames) -> None:
        self.client = client
        self.index = names.alerts
        self.stories = names.stories
        definition = index_definition("alerts")
        # Clusters set up before alerts existed get the index on first use.
        if not self.client.indices.exists(index=self.index):
            self.client.options(ignore_status=400).indices.create(
                index=self.index, settings=definition.settings, mappings=definition.mappings
            )

    def claim(self, item: AlertItem) -> bool:
        return conditional.create(self.client, self.index, item.key, item.to_doc())

    def known(self, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        if not wanted:
            return set()
        response = self.client.mget(index=self.index, ids=wanted, source=False)
        return {doc["_id"] for doc in response["docs"] if doc.get("found")}

    def move(
        self,
        keys: Iterable[str],
        old: str,
        new: str,
        *,
        attempts: int | None = None,
        error: str | None = None,
    ) -> list[str]:
        moved = []
        for key in keys:
            found = conditional.read(self.client, self.index, key)
            if found is None or found["_source"].get("status") != old:
                continue
            doc = dict(found["_source"], status=new, updated=now_iso(), error=error)
            if attempts is not None:
                doc["attempts"] = attempts
            if conditional.replace(self.client, self.index, key, doc, found):
                moved.append(key)
        return moved

    def retake(self, item: AlertItem) -> bool:
        found = conditional.read(self.client, self.index, item.key)
        if found is None:
            return False
        source = found["_source"]
        if source.get("status") != "sending" or source.get("updated") != item.updated:
            return False
        document = dict(source, updated=now_iso())
        return conditional.replace(self.client, self.index, item.key, document, found)

    def _search(self, query: dict[str, Any], **options: Any) -> dict[str, Any]:
        self.client.indices.refresh(index=self.index)
        return dict(self.client.search(index=self.index, query=query, **options))

    def items(
        self, *, rule: str | None = None, status: str | None = None, limit: int = 1000
    ) -> list[AlertItem]:
        filters: list[dict[str, Any]] = []
        if rule is not None:
            filters.append({"term": {"rule": rule}})
        if status is not None:
            filters.append({"term": {"status": status}})
        query = {"bool": {"filter": filters, "must_not": [{"term": {"status": _CURSOR}}]}}
        response = self._search(query, size=limit, sort=[{"created": "asc"}, {"key": "asc"}])
        return [AlertItem.from_doc(hit["_source"]) for hit in response["hits"]["hits"]]

    def counts(self) -> dict[tuple[str, str], int]:
        response = self._search(
            {"bool": {"must_not": [{"term": {"status": _CURSOR}}]}},
            size=0,
            aggs={
                "rules": {
                    "terms": {"field": "rule", "size": 1000},
                    "aggs": {"statuses": {"terms": {"field": "status", "size": 10}}},
                }
            },
        )
        counts = {}
        for rule in response["aggregations"]["rules"]["buckets"]:
            for status in rule["statuses"]["buckets"]:
                counts[(rule["key"], status["key"])] = status["doc_count"]
        return counts

    def get_cursor(self, name: str) -> str | None:
        found = self.client.options(ignore_status=404).get(index=self.index, id=f"cursor:{name}")
        return None if found.meta.status == 404 else found["_source"].get("value")

    def set_cursor(self, name: str, value: str) -> None:
        # A conditional write, not a script: clusters without Painless work too.
        key = f"cursor:{name}"
        for _ in range(CURSOR_TRIES):
            found = conditional.read(self.client, self.index, key)
            doc = {"key": key, "status": _CURSOR, "value": value}
            if found is None:
                written = conditional.create(self.client, self.index, key, doc)
            elif found["_source"].get("value", "") >= value:
                return  # cursors never go back
            else:
                written = conditional.replace(self.client, self.index, key, doc, found)
            if written:
                return
        raise RuntimeError(f"alert cursor {name}: {CURSOR_TRIES} conflicting writes in a row")

    def recent_stories(self, since: str) -> Iterator[Story]:
        # Another crawl's last writes become searchable at a refresh.
        self.client.indices.refresh(index=self.stories)
        query = {"bool": {"filter": [{"range": {"last_seen": {"gte": since}}}]}}
        return es_search.export(self.client, self.stories, query)

    def close(self) -> None:
        """The client belongs to the backend, which closes it."""
