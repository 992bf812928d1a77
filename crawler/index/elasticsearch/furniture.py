"""The Elasticsearch FurnitureStore: the `<prefix>-furniture` index (index_mappings/furniture.json).

A page is counted once by creating its document (a second create conflicts); its
lines are counted by optimistic concurrency (read with `mget`, write back guarded by
the version read (conditional.py), or `create` for a new line; a conflict is read and
tried again), so concurrent crawls never lose a count and no scripting module is
needed. Reads are realtime `mget`s of the page's own lines: no refresh between pages.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from elasticsearch.helpers import streaming_bulk

from crawler.furniture.store import MAX_LINES_PER_OUTLET, MAX_PAGES_PER_OUTLET
from crawler.index.elasticsearch import conditional

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from elasticsearch import Elasticsearch

logger = logging.getLogger(__name__)

# Eviction is a search and a delete-by-query: done every this many recorded pages
# of an outlet in this process, so an outlet overshoots its bound by at most that.
EVICT_EVERY = 100
COUNT_ATTEMPTS = 5  # a line other crawls keep counting at the same moment


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
        self._count_lines(client, outlet, set(line_keys), now)
        self._recorded[outlet] += 1
        if self._recorded[outlet] % EVICT_EVERY == 0:
            self.evict(outlet)
        return True

    def _count_lines(self, client: Elasticsearch, outlet: str, keys: set[str], now: int) -> None:
        pending = {doc_id(outlet, "line", key): key for key in keys}
        for _ in range(COUNT_ATTEMPTS):
            if not pending:
                return
            current = client.mget(index=self.index, ids=list(pending))["docs"]
            actions = [self._count_action(doc, outlet, pending[doc["_id"]], now) for doc in current]
            conflicts = {}
            for ok, result in streaming_bulk(client, actions, raise_on_error=False, max_retries=3):
                outcome = next(iter(result.values()))
                if ok:
                    continue
                if outcome.get("status") == 409:
                    conflicts[outcome["_id"]] = pending[outcome["_id"]]
                else:
                    self.stats["furniture/errors/write"] += 1
            pending = conflicts
        self.stats["furniture/errors/conflict"] += len(pending)

    def _count_action(self, doc: dict[str, Any], outlet: str, key: str, now: int) -> dict[str, Any]:
        source = {"outlet": outlet, "kind": "line", "key": key, "pages": 1, "seen": now}
        action = {"_index": self.index, "_id": doc["_id"], "_source": source}
        if not doc.get("found"):
            return {**action, "_op_type": "create"}
        source["pages"] = doc["_source"]["pages"] + 1
        return {**action, "_op_type": "index", **conditional.version_of(doc)}

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
        """Trim the outlet to its bounds: the rarest lines and the oldest pages go.

        By search and bulk delete: delete-by-query needs the reindex module,
        which minimal clusters lack.
        """
        client = self._client()
        client.indices.refresh(index=self.index)
        for kind, cap in (("line", self.max_lines), ("page", self.max_pages)):
            query = {"bool": {"filter": [{"term": {"outlet": outlet}}, {"term": {"kind": kind}}]}}
            excess = client.count(index=self.index, query=query)["count"] - cap
            if excess <= 0:
                continue
            sort = [{"pages": "asc"}, {"seen": "asc"}] if kind == "line" else [{"seen": "asc"}]
            hits = client.search(
                index=self.index, query=query, sort=sort, size=min(excess, 10_000), source=False
            )["hits"]["hits"]
            actions = ({"_op_type": "delete", "_index": self.index, "_id": h["_id"]} for h in hits)
            for ok, _ in streaming_bulk(client, actions, raise_on_error=False, refresh=True):
                self.stats["furniture/evicted" if ok else "furniture/errors/evict"] += 1
