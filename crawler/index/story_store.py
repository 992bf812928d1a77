"""The port the dedup engine writes through: stories, their look-ups and the dedup lock.

A *story document* is a JSON-able dict, the same on both backends; times are
ISO-8601 UTC strings (`2026-11-26T10:00:00Z`). Its keys:

    id               stable id: sha1 hex of the canonical URL of the copy that created it
    url, canonical_url, outlet, source, title, description, text, authors[],
    published, updated, language, top_image, tags[], topics[]
                     taken from the primary copy (the earliest published)
    first_seen, last_seen
    copies[]         {url, canonical_url, outlet, source, title, published, text,
                      first_seen, match: original|url|canonical|exact|near, score}
                     (text: stored not searched; absent on copies indexed before it was)
    copy_urls[]      every copy's url and canonical_url (lookup by any copy's URL)
    outlets[], outlet_count
    content_hashes[] exact-text hashes of every copy (dedup)
    dedup_bands[]    LSH band keys of every copy (dedup candidates)
    dedup_text       the longest copy's body, stored not searched (dedup verification)

`index_mappings/` holds the Elasticsearch mapping for exactly these keys.
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from contextlib import AbstractContextManager

    from crawler.story import Story


class StoryStore(abc.ABC):
    """Stories by id, by any copy's URL, by content hash and by LSH band, under one lock."""

    # Whether a put is durable before dedup_lock() is released, so a writer may
    # hold the lock around several decisions and acknowledge each one at once.
    # False where puts inside the lock commit only at its release (SQLite).
    durable_inside_lock: bool = False

    @abc.abstractmethod
    def get_story(self, story_id: str) -> Story | None: ...

    @abc.abstractmethod
    def find_by_url(self, url: str) -> Story | None:
        """The story one of whose copies has this (normalised) URL."""

    @abc.abstractmethod
    def find_by_content_hash(self, content_hash: str) -> Story | None: ...

    @abc.abstractmethod
    def find_candidates(self, band_keys: Iterable[str], limit: int = 20) -> list[Story]:
        """Stories sharing at least one LSH band key, most shared bands first."""

    @abc.abstractmethod
    def put_story(self, story: Story) -> None:
        """Create or replace the story with `story['id']`.

        Durable when this returns: a crash afterwards never loses it (the
        Elasticsearch backend spools to disk what it could not write yet).
        """

    @abc.abstractmethod
    def delete_story(self, story_id: str) -> None: ...

    @abc.abstractmethod
    def flush(self) -> None:
        """Make every put so far visible to searches and candidate look-ups."""

    @abc.abstractmethod
    def dedup_lock(self) -> AbstractContextManager[None]:
        """Serialise dedup decisions across processes (two concurrent crawls).

        Raises crawler.index.errors.IndexLocked when another process keeps it too long.
        """

    @abc.abstractmethod
    def count(self) -> int: ...
