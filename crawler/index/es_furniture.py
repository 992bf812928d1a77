"""The Elasticsearch FurnitureStore: the `<prefix>-furniture` index (index_mappings/furniture.json).

A page is counted once by creating its document (a second create conflicts); its
lines are counted by scripted upserts, which Elasticsearch applies atomically per
document, so concurrent crawls never lose a count. Reads are realtime `mget`s of
the page's own lines, so no refresh is needed between pages.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from elasticsearch.helpers import streaming_bulk

from crawler.furniture.store import MAX_LINES_PER_OUTLET, MAX_PAGES_PER_OUTLET

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterator

    from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)

# Eviction is a search and a delete-by-query: done every this many recorded pages
# of an outlet in this process, so an outlet overshoots its bound by at most that.
EVICT_EVERY = 100
_COUNT_LINE = "ctx._source.pages += 1; ctx._source.seen = params.now"


def doc_id(outlet: str, kind: str, key: str) -> str:
    return hashlib.sha1(f"{outlet}\0{kind}\0{key}".encode()).hexdigest()


class EsFurnitureStore:
    def __init__(
        self,
        client: Callable[[], Elasticsearch],
        index: str,
        stats: Counter[str],
        max_lines: int = MAX_LINES_PER_OUTLET,
        max_pages: int = MAX_PAGES_PER_OUTLET,
    ) -> None:
        self._client = client
        self.index = index
        self.stats = stats
        self.max_lines = max_lines
        self.max_pages = max_pages
        self._recorded: Counter[str] = Counter()

    def record_page(self, outlet: str, page: str, line_keys: Collection[str]) -> bool:
        client = self._client()
        now = int(time.time() * 1000)
        created = client.options(ignore_status=409).create(
            index=self.index,
            id=doc_id(outlet, "page", page),
            document={"outlet": outlet, "kind": "page", "key": page, "pages": 1, "seen": now},
        )
        if created.meta.status == 409:
            return False
        for ok, _ in streaming_bulk(
            client, self._upserts(outlet, set(line_keys), now), max_retries=3, raise_on_error=False
        ):
            if not ok:
                self.stats["furniture/errors/write"] += 1
        self._recorded[outlet] += 1
        if self._recorded[outlet] % EVICT_EVERY == 0:
            self.evict(outlet)
        return True

    def _upserts(self, outlet: str, keys: set[str], now: int) -> Iterator[dict[str, Any]]:
        for key in keys:
            yield {
                "_op_type": "update",
                "_index": self.index,
                "_id": doc_id(outlet, "line", key),
                "retry_on_conflict": 5,
                "script": {"source": _COUNT_LINE, "params": {"now": now}},
                "upsert": {"outlet": outlet, "kind": "line", "key": key, "pages": 1, "seen": now},
            }

    def furniture(self, outlet: str, line_keys: Collection[str], min_pages: int) -> set[str]:
        if not line_keys:
            return set()
        ids = [doc_id(outlet, "line", key) for key in set(line_keys)]
        response = self._client().mget(index=self.index, ids=ids, source=["key", "pages"])
        return {
            doc["_source"]["key"]
            for doc in response["docs"]
            if doc.get("found") and doc["_source"]["pages"] >= min_pages
        }

    def evict(self, outlet: str) -> None:
        """Trim the outlet to its bounds: the rarest lines and the oldest pages go."""
        client = self._client()
        client.indices.refresh(index=self.index)
        for kind, cap in (("line", self.max_lines), ("page", self.max_pages)):
            scope = [{"term": {"outlet": outlet}}, {"term": {"kind": kind}}]
            sort = [{"pages": "desc"}, {"seen": "desc"}] if kind == "line" else [{"seen": "desc"}]
            last = client.search(
                index=self.index, query={"bool": {"filter": scope}}, sort=sort, from_=cap, size=1
            )["hits"]["hits"]
            if not last:
                continue
            edge = last[0]["_source"]
            below: dict[str, Any]
            if kind == "line":
                below = {
                    "bool": {
                        "should": [
                            {"range": {"pages": {"lt": edge["pages"]}}},
                            {
                                "bool": {
                                    "filter": [
                                        {"term": {"pages": edge["pages"]}},
                                        {"range": {"seen": {"lte": edge["seen"]}}},
                                    ]
                                }
                            },
                        ]
                    }
                }
            else:
                below = {"range": {"seen": {"lte": edge["seen"]}}}
            client.delete_by_query(
                index=self.index,
                query={"bool": {"filter": [*scope, below]}},
                conflicts="proceed",
                refresh=True,
            )
            self.stats[f"furniture/evicted/{kind}"] += 1
