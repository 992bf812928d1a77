"""The port the dedup engine writes through: stories, their look-ups and the dedup lock.

Stories are `crawler.story.Story` (its docstring lists the stored keys); a backend
stores `Story.to_document()` and reads back with `Story.from_document()`.
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
        """Create or replace the story with `story.id`.

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
