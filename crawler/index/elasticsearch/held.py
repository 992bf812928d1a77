"""Held pages (crawler/index/held.py) in Elasticsearch: the `<prefix>-held` index.

Writes go through the backend's spool like stories (durable when `hold` returns),
and the backend's overlay keeps them findable until a refresh makes them searchable;
the dedup lease's release refreshes the held index with the stories, so the next
holder, in any process, finds them.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from crawler.index.held import HeldPage

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from crawler.index.elasticsearch.backend import ElasticsearchBackend

# A page matched by URL or content hash ranks above any number of shared band keys.
EXACT_BOOST = 1000.0
# Search hits beyond `limit` kept for the exact matches ranked first.
EXACT_ROOM = 20
# Pages pruned at most per call (the search window's limit); the next crawl prunes more.
PRUNE_BATCH = 10_000


def held_id(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


def _score(doc: dict[str, Any], urls: set[str], content_hash: str, bands: set[str]) -> float:
    exact = bool(urls & set(doc.get("urls") or ())) or doc.get("content_hash") == content_hash
    return EXACT_BOOST * exact + len(bands & set(doc.get("bands") or ()))


class ElasticsearchHeldPages:
    """`HeldPages` on the Elasticsearch backend's client, spool and overlay."""

    def __init__(self, backend: ElasticsearchBackend) -> None:
        self.backend = backend

    def hold(self, page: HeldPage) -> None:
        backend = self.backend
        doc = page.to_document()
        with backend._guard:
            backend.writer.submit(backend._entry("held", held_id(page.url), doc))
            backend.overlay.held[held_id(page.url)] = doc
            backend._after_write()

    def release(self, urls: Iterable[str]) -> None:
        backend = self.backend
        ids = [held_id(url) for url in dict.fromkeys(urls)]
        if not ids:
            return
        with backend._guard:
            backend.writer.submit_many([backend._entry("held", i, None) for i in ids])
            backend.overlay.held.update(dict.fromkeys(ids))
            backend._after_write()

    def find(
        self, urls: Sequence[str], content_hash: str, bands: Sequence[str], limit: int
    ) -> list[HeldPage]:
        wanted, keys = set(urls), set(bands)
        with self.backend._guard:
            scored = [
                (_score(doc, wanted, content_hash, keys), doc)
                for doc in self.backend.overlay.held.values()
                if doc is not None
            ]
            scored += self._search(wanted, content_hash, keys, limit)
        scored = [(score, doc) for score, doc in scored if score > 0]
        scored.sort(key=lambda pair: (-pair[0], pair[1]["held_at"], pair[1]["url"]))
        exact = [doc for score, doc in scored if score >= EXACT_BOOST]
        near = [doc for score, doc in scored if score < EXACT_BOOST][: max(limit, 0)]
        return [HeldPage.from_document(doc) for doc in exact + near]

    def _search(
        self, urls: set[str], content_hash: str, bands: set[str], limit: int
    ) -> list[tuple[float, dict[str, Any]]]:
        def clause(query: dict[str, Any], boost: float) -> dict[str, Any]:
            return {"constant_score": {"filter": query, "boost": boost}}

        should = [
            clause({"terms": {"urls": sorted(urls)}}, EXACT_BOOST),
            clause({"term": {"content_hash": content_hash}}, EXACT_BOOST),
            *(clause({"term": {"bands": band}}, 1.0) for band in sorted(bands)),
        ]
        shadowed = list(self.backend.overlay.held)  # newer versions (or releases) are local
        query = {
            "bool": {
                "should": should,
                "minimum_should_match": 1,
                "must_not": [{"ids": {"values": shadowed}}],
            }
        }
        response = self.backend.client.search(
            index=self.backend.names.held,
            query=query,
            size=max(limit, 0) + EXACT_ROOM,
            sort=[{"_score": "desc"}, {"held_at": "asc"}],
            track_scores=True,
        )
        return [(float(hit["_score"]), hit["_source"]) for hit in response["hits"]["hits"]]

    def prune(self, older_than: str, keep: int) -> int:
        """Both kinds of pruning take the oldest pages first: one search finds them all.

        Deleted through the spool like any write (no `_delete_by_query`: clusters
        without the reindex module lack it).
        """
        backend = self.backend
        backend.flush()  # spooled holds first, so that they are counted
        client, index = backend.client, backend.names.held
        total = int(client.count(index=index)["count"])
        aged = int(
            client.count(index=index, query={"range": {"held_at": {"lt": older_than}}})["count"]
        )
        wanted = min(max(aged, total - max(keep, 0)), PRUNE_BATCH)
        if wanted <= 0:
            return 0
        hits = client.search(
            index=index, size=wanted, sort=[{"held_at": "asc"}, {"url": "asc"}], source=False
        )["hits"]["hits"]
        ids = [hit["_id"] for hit in hits]
        with backend._guard:
            backend.writer.submit_many([backend._entry("held", i, None) for i in ids])
            backend.overlay.held.update(dict.fromkeys(ids))
            backend._after_write()
        backend.flush()
        return len(ids)

    def count(self) -> int:
        self.backend.flush()
        return int(self.backend.client.count(index=self.backend.names.held)["count"])
