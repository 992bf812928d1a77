"""The Elasticsearch index backend: stories, dedup state, seen URLs and run history."""

from __future__ import annotations

import json
import logging
import threading
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from elastic_transport import TransportError
from elasticsearch import ApiError, AuthorizationException

from crawler.index.backend import IndexBackend
from crawler.index.elasticsearch.client import IndexNames, describe, make_client
from crawler.index.elasticsearch.deadletter import DeadLetters
from crawler.index.elasticsearch.furniture import EsFurnitureStore
from crawler.index.elasticsearch.held import ElasticsearchHeldPages
from crawler.index.elasticsearch.lock import Lease
from crawler.index.elasticsearch.overlay import Overlay
from crawler.index.elasticsearch.reader import Searching
from crawler.index.elasticsearch.records import SeenAndRuns, serialised
from crawler.index.elasticsearch.setup import init, story_indices
from crawler.index.elasticsearch.spool import Entry, Spool
from crawler.index.elasticsearch.tokens import with_tokens
from crawler.index.elasticsearch.writer import BulkWriter
from crawler.index.errors import IndexNotReady
from crawler.story import Story

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from elasticsearch import Elasticsearch

    from crawler.config.schema import ElasticsearchIndex

logger = logging.getLogger(__name__)


class ElasticsearchBackend(Searching, SeenAndRuns, IndexBackend):
    """Writes are spooled to `state_dir` first and bulk-written (elasticsearch/writer.py)."""

    name = "elasticsearch"
    durable_inside_lock = True  # every put is in the on-disk spool when it returns

    def __init__(
        self,
        es_config: ElasticsearchIndex,
        state_dir: Path | str = Path("data"),
        flush_attempts: int = 3,
        backoff: float = 0.5,
        spool_sync: str | None = None,
    ):
        self.config = es_config
        self.names = IndexNames(es_config.index_prefix)
        self.state_dir = Path(state_dir)
        self.stats: Counter[str] = Counter()
        self.flush_attempts = flush_attempts
        self.backoff = backoff
        # FULL: survives power loss; NORMAL: survives a killed process (the default).
        self.spool_sync = (spool_sync or es_config.spool_sync).upper()
        self.overlay = Overlay()
        self._guard = threading.RLock()
        self._client: Elasticsearch | None = None
        self._writer: BulkWriter | None = None
        self._lease: Lease | None = None
        self._homes: dict[str, str] = {}  # story id -> older index it lives in (after rollover)
        self._write_index: str | None = None
        self._dirty = False  # puts since the last refresh, made while holding the dedup lock
        self._lock_depth = 0  # nested dedup_lock() blocks held by this backend

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def client(self) -> Elasticsearch:
        if self._client is None:
            raise RuntimeError("the Elasticsearch backend is not open")
        return self._client

    @property
    def writer(self) -> BulkWriter:
        if self._writer is None:
            raise RuntimeError("the Elasticsearch backend is not open")
        return self._writer

    def open(self) -> None:
        self._client = make_client(self.config)
        spool_path = self.state_dir / f"{self.names.prefix}-spool.sqlite3"
        self._writer = BulkWriter(
            self._client,
            self._index_of,
            Spool(spool_path, self.spool_sync),
            DeadLetters(self.state_dir / f"{self.names.prefix}-dead-letters.jsonl"),
            self.stats,
            chunk_size=self.config.bulk_chunk_size,
            max_retries=self.config.max_retries,
            flush_attempts=self.flush_attempts,
            backoff=self.backoff,
            prepare=self._prepare,
        )
        self._lease = Lease(self._client, self.names.locks)
        logger.info("index: Elasticsearch at %s", describe(self.config))
        try:
            self._prepare()
            self._writer.prepare = None
        except TransportError as exc:
            # Not fatal: writes are spooled and the setup is retried before the first write.
            logger.warning(
                "index: Elasticsearch at %s not reachable (%s); writes are kept in "
                "the spool %s until it is",
                describe(self.config),
                type(exc).__name__,
                spool_path,
            )
            return
        left = self._writer.drain()
        if left:
            logger.warning(
                "index: %d writes stay in the spool %s until Elasticsearch is reachable",
                left,
                spool_path,
            )

    def _prepare(self) -> None:
        if not self._initialised():
            try:
                init(self.client, self.names)
            except AuthorizationException as exc:
                raise IndexNotReady(
                    f"the {self.names.prefix} indices do not exist at {describe(self.config)} "
                    "and this user may not create them: run `newswatch setup elasticsearch` "
                    "or `newswatch index init` as an administrator first"
                ) from exc
        self._write_index = next(
            (name for name, write in story_indices(self.client, self.names).items() if write),
            None,
        )

    def furniture_store(self) -> EsFurnitureStore:
        return EsFurnitureStore(lambda: self.client, self.names.furniture, self.stats)

    def held_pages(self) -> ElasticsearchHeldPages:
        return ElasticsearchHeldPages(self)

    def _initialised(self) -> bool:
        """Whether the alias and indices exist. Least-privilege users (the compose
        stack's writer and reader) cannot apply templates; `newswatch setup` or
        `newswatch index init` does that, and a mapping change goes through migrate."""
        names = [
            self.names.stories,
            self.names.runs,
            self.names.seen,
            self.names.locks,
            self.names.held,
            self.names.furniture,
        ]
        return bool(self.client.indices.exists(index=names))

    def close(self) -> None:
        if self._writer is None:
            return
        try:
            self.flush()
            left = len(self._writer.spool)
            if left:
                logger.warning(
                    "index: %d writes kept in the spool %s; they are written when "
                    "the index is next opened",
                    left,
                    self._writer.spool.path,
                )
        finally:
            self._writer.close()
            self._writer.spool.close()
            self.client.close()
            self._writer = self._client = self._lease = None

    def _index_of(self, kind: str) -> str:
        return str(getattr(self.names, kind))

    # -- writes ------------------------------------------------------------------------------

    def _entry(
        self, kind: str, doc_id: str, document: dict[str, Any] | None, target: str | None = None
    ) -> Entry:
        source = None if document is None else json.dumps(document, ensure_ascii=False)
        op = "delete" if document is None else "index"
        return Entry(kind, doc_id, op, self.writer.version(), source, target)

    @serialised
    def put_story(self, story: Story) -> None:
        document = with_tokens(story.to_document())
        entry = self._entry("stories", story.id, document, self._homes.get(story.id))
        self.writer.submit(entry)
        self.overlay.put_story(story)
        self._after_write()

    @serialised
    def delete_story(self, story_id: str) -> None:
        self.writer.submit(self._entry("stories", story_id, None, self._homes.get(story_id)))
        self.overlay.delete_story(story_id)
        self._after_write()

    def _after_write(self, story: bool = True) -> None:
        self._dirty = self._dirty or story
        # Bound the overlay: a refresh makes the acknowledged writes searchable, so only
        # the ones still on their way need to stay in memory.
        if len(self.overlay) >= 4 * self.config.bulk_chunk_size:
            self._refresh()

    @serialised
    def flush(self) -> None:
        if self.writer.write(attempts=self.flush_attempts):
            self._refresh()

    def _refresh(self) -> None:
        # Taken before the refresh: a write acknowledged during it may not be searchable yet.
        with self.writer.lock:
            pending = list(self.writer.pending)
        try:
            # Seen records are read with mget, which is real-time: no refresh needed.
            # Held pages are searched like stories (crawler/index/elasticsearch/held.py).
            self.client.indices.refresh(index=[self.names.stories, self.names.held])
        except (TransportError, ApiError) as exc:
            logger.warning(
                "index: refresh failed (%s); searches may miss recent writes", type(exc).__name__
            )
            return
        self.overlay.clear(
            keep_stories=[i for (kind, i) in pending if kind == "stories"],
            keep_seen=[doc_id for (kind, doc_id) in pending if kind == "seen"],
            keep_held=[doc_id for (kind, doc_id) in pending if kind == "held"],
        )
        self._dirty = False

    @contextmanager
    def dedup_lock(self) -> Iterator[None]:
        """Re-entrant: a caller may hold it around several decisions (a batch), which
        then share one lease and one publishing flush instead of one each."""
        if self._lease is None:
            raise RuntimeError("the Elasticsearch backend is not open")
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        self._dirty = False

        def publish() -> None:
            # The next holder may be another process: it must find what we decided.
            if self._dirty:
                self.flush()

        with self._lease.hold(before_release=publish):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    # -- story reads ---------------------------------------------------------------------------

    def _hits(self, query: dict[str, Any], size: int, **options: Any) -> list[dict[str, Any]]:
        """Hits for `query`, leaving out stories the overlay holds a newer version of."""
        shadowed = list(self.overlay.stories)
        body = {"bool": {"filter": [query], "must_not": [{"ids": {"values": shadowed}}]}}
        response = self.client.search(index=self.names.stories, query=body, size=size, **options)
        hits: list[dict[str, Any]] = response["hits"]["hits"]
        for hit in hits:
            if self._write_index and hit["_index"] != self._write_index:
                self._homes[hit["_id"]] = hit["_index"]
        return hits

    @serialised
    def get_story(self, story_id: str) -> Story | None:
        if story_id in self.overlay.stories:
            return self.overlay.stories[story_id]
        hits = self._hits({"ids": {"values": [story_id]}}, 1)
        return Story.from_document(hits[0]["_source"]) if hits else None

    @serialised
    def _find_one(self, field: str, overlay_field: str, value: str) -> Story | None:
        mine = self.overlay.find(overlay_field, value)
        if mine:
            return mine[0]
        hits = self._hits({"term": {field: value}}, 1, sort=[{"first_seen": "asc"}, {"id": "asc"}])
        return Story.from_document(hits[0]["_source"]) if hits else None

    def find_by_url(self, url: str) -> Story | None:
        return self._find_one("copy_urls", "url", url)

    def find_by_content_hash(self, content_hash: str) -> Story | None:
        return self._find_one("content_hashes", "hash", content_hash)

    @serialised
    def find_candidates(self, band_keys: Iterable[str], limit: int = 20) -> list[Story]:
        bands = set(band_keys)
        if not bands or limit <= 0:
            return []
        # constant_score per band: a story's score is the number of bands it shares.
        should = [
            {"constant_score": {"filter": {"term": {"dedup_bands": b}}, "boost": 1.0}}
            for b in sorted(bands)
        ]
        shadowed = list(self.overlay.stories)
        query = {
            "bool": {
                "should": should,
                "minimum_should_match": 1,
                "must_not": [{"ids": {"values": shadowed}}],
            }
        }
        response = self.client.search(
            index=self.names.stories,
            query=query,
            size=limit,
            sort=[{"_score": "desc"}, {"id": "asc"}],
            track_scores=True,
        )
        scored = [
            (round(hit["_score"]), Story.from_document(hit["_source"]))
            for hit in response["hits"]["hits"]
        ]
        for hit in response["hits"]["hits"]:
            if self._write_index and hit["_index"] != self._write_index:
                self._homes[hit["_id"]] = hit["_index"]
        for story_id, shared in self.overlay.band_matches(bands).items():
            story = self.overlay.stories[story_id]
            if story is not None:
                scored.append((shared, story))
        scored.sort(key=lambda pair: (-pair[0], pair[1].id))
        return [story for _, story in scored[:limit]]

    @serialised
    def count(self) -> int:
        self.flush()
        return int(self.client.count(index=self.names.stories)["count"])
