"""The Elasticsearch backend's small records, read by id: seen URLs and run history."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from elastic_transport import TransportError
from elasticsearch import ApiError

from crawler.index.seen_store import SeenRecord

if TYPE_CHECKING:
    from collections.abc import Iterable

    from elasticsearch import Elasticsearch

    from crawler.index.elasticsearch.client import IndexNames
    from crawler.index.elasticsearch.overlay import Overlay
    from crawler.index.elasticsearch.spool import Entry
    from crawler.index.elasticsearch.writer import BulkWriter

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def serialised(method: F) -> F:
    """One caller at a time: the crawler calls from its store thread and its reactor thread."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with self._guard:
            return method(self, *args, **kwargs)

    return cast("F", wrapper)


def seen_id(url: str) -> str:
    # URLs may exceed the 512-byte limit on document ids.
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


class SeenAndRuns:
    """Seen URLs (mget by URL hash, real-time) and run history (written through)."""

    names: IndexNames
    overlay: Overlay

    @property
    def client(self) -> Elasticsearch:
        raise NotImplementedError

    @property
    def writer(self) -> BulkWriter:
        raise NotImplementedError

    def _entry(
        self, kind: str, doc_id: str, document: dict[str, Any] | None, target: str | None = None
    ) -> Entry:
        raise NotImplementedError

    def _after_write(self, story: bool = True) -> None:
        raise NotImplementedError

    # -- seen URLs ------------------------------------------------------------------------------

    @serialised
    def get_seen(self, urls: Iterable[str]) -> dict[str, SeenRecord]:
        wanted = list(dict.fromkeys(urls))
        found = {
            u: SeenRecord(**self.overlay.seen[seen_id(u)])
            for u in wanted
            if seen_id(u) in self.overlay.seen
        }
        rest = [u for u in wanted if u not in found]
        if rest:
            response = self.client.mget(index=self.names.seen, ids=[seen_id(u) for u in rest])
            for doc in response["docs"]:
                if doc.get("found"):
                    record = SeenRecord(**doc["_source"])
                    found[record.url] = record
        return found

    @serialised
    def mark_seen(self, records: Iterable[SeenRecord]) -> None:
        entries = []
        for record in records:
            document = dataclasses.asdict(record)
            entries.append(self._entry("seen", seen_id(record.url), document))
            self.overlay.seen[seen_id(record.url)] = document
        if entries:
            self.writer.submit_many(entries)
            self._after_write(story=False)

    # -- run history ---------------------------------------------------------------------------

    @serialised
    def record_run(self, run: dict[str, Any]) -> None:
        self.writer.submit(self._entry("runs", str(run["id"]), run))
        # Runs are few and read right after (status): write through.
        if self.writer.write():
            try:
                self.client.indices.refresh(index=self.names.runs)
            except (TransportError, ApiError) as exc:
                logger.warning(
                    "index: refresh of %s failed (%s)", self.names.runs, type(exc).__name__
                )

    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        query = {"term": {"source": source}} if source else {"match_all": {}}
        response = self.client.options(ignore_status=404).search(
            index=self.names.runs,
            query=query,
            size=limit,
            sort=[{"started": {"order": "desc", "unmapped_type": "date"}}],
        )
        if response.meta.status == 404:
            return []
        return [hit["_source"] for hit in response["hits"]["hits"]]
