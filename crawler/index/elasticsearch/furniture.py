"""The Elasticsearch FurnitureStore: the `<prefix>-furniture` index (index_mappings/furniture.json).

A page is counted once by creating its document (a second create conflicts); its
lines are counted by optimistic concurrency (read with `mget`, write back guarded by
the version read (conditional.py), or `create` for a new line; a conflict is read and
tried again), so concurrent crawls never lose a count and no scripting module is
needed. Reads are realtime `mget`s of the page's own lines: no refresh between pages.

Line shapes (crawler/furniture/shapes.py) are one document per (outlet, shape,
wording), written over when seen again; their evidence is an aggregation, so a
shape counts from the next refresh on (a second at most).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from elasticsearch.helpers import streaming_bulk

from crawler.furniture.store import (
    MAX_LINES_PER_OUTLET,
    MAX_PAGES_PER_OUTLET,
    MAX_SHAPES_PER_OUTLET,
    LearnedShape,
)
from crawler.index.elasticsearch import conditional

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping

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
        self.max_shapes = MAX_SHAPES_PER_OUTLET
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

    def record_shapes(self, outlet: str, shapes: Mapping[str, tuple[str, str]]) -> None:
        now = int(time.time() * 1000)
        actions = (
            {
                "_op_type": "index",
                "_index": self.index,
                "_id": doc_id(outlet, "shape", f"{shape}\0{variant}"),
                "_source": {
                    "outlet": outlet,
                    "kind": "shape",
                    "key": shape,
                    "variant": variant,
                    "text": text,
                    "pages": 1,
                    "seen": now,
                },
            }
            for shape, (variant, text) in shapes.items()
        )
        client = self._client()
        for ok, _ in streaming_bulk(client, actions, raise_on_error=False, max_retries=3):
            if not ok:
                self.stats["furniture/errors/write"] += 1

    def _shape_evidence(self, query: dict[str, Any], size: int) -> list[LearnedShape]:
        response = self._client().search(
            index=self.index,
            query=query,
            size=0,
            aggs={
                "shapes": {
                    "terms": {"field": "key", "size": size},
                    "aggs": {
                        "outlets": {"cardinality": {"field": "outlet"}},
                        "variants": {"cardinality": {"field": "variant"}},
                        "text": {"top_hits": {"size": 1, "_source": ["text"]}},
                    },
                }
            },
        )
        found = []
        for bucket in response["aggregations"]["shapes"]["buckets"]:
            hits = bucket["text"]["hits"]["hits"]
            text = hits[0]["_source"].get("text", "") if hits else ""
            found.append(
                LearnedShape(
                    bucket["key"], text, bucket["outlets"]["value"], bucket["variants"]["value"]
                )
            )
        return found

    def shared_shapes(
        self, shapes: Collection[str], min_outlets: int, min_variants: int
    ) -> set[str]:
        if not shapes:
            return set()
        wanted = [{"term": {"kind": "shape"}}, {"terms": {"key": list(shapes)}}]
        query = {"bool": {"filter": wanted}}
        return {
            s.shape
            for s in self._shape_evidence(query, len(set(shapes)))
            if s.outlets >= min_outlets and s.variants >= min_variants
        }

    def learned_shapes(self, min_outlets: int, min_variants: int) -> list[LearnedShape]:
        client = self._client()
        client.indices.refresh(index=self.index)
        found = self._shape_evidence({"term": {"kind": "shape"}}, 10_000)
        return sorted(
            (s for s in found if s.outlets >= min_outlets and s.variants >= min_variants),
            key=lambda s: (-s.outlets, -s.variants, s.text),
        )

    def evict(self, outlet: str) -> None:
        """Trim the outlet to its bounds: the rarest lines and the oldest pages go.

        By search and bulk delete: delete-by-query needs the reindex module,
        which minimal clusters lack.
        """
        client = self._client()
        client.indices.refresh(index=self.index)
        caps = (("line", self.max_lines), ("page", self.max_pages), ("shape", self.max_shapes))
        for kind, cap in caps:
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
