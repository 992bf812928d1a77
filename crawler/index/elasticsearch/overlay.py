"""Stories, seen records and held pages written in this run but not yet searchable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from crawler.story import Story


def _postings(story: Story) -> dict[str, Iterable[str]]:
    return {
        "url": story.copy_urls,
        "hash": story.content_hashes,
        "band": story.dedup_bands,
    }


class Overlay:
    """Read-your-writes for dedup: an index refresh is not needed to find a story put just now.

    Holds the latest version (or deletion) of each story since the last refresh, with
    small inverted indexes, so a look-up costs the same whatever the size of the index.
    The indexes are brought up to date at the first look-up, so a bulk load that never
    looks anything up does not pay for them.
    """

    def __init__(self) -> None:
        self.stories: dict[str, Story | None] = {}  # None: deleted
        self.seen: dict[str, dict[str, Any]] = {}
        self.held: dict[str, dict[str, Any] | None] = {}  # held pages by id; None: released
        self._index: dict[str, dict[str, set[str]]] = {"url": {}, "hash": {}, "band": {}}
        self._indexed: dict[str, Story] = {}  # the version of each story in the indexes
        self._stale: set[str] = set()  # ids whose latest version is not indexed yet

    def __len__(self) -> int:
        return len(self.stories) + len(self.seen) + len(self.held)

    def put_story(self, story: Story) -> None:
        self.stories[story.id] = story
        self._stale.add(story.id)

    def delete_story(self, story_id: str) -> None:
        self.stories[story_id] = None
        self._stale.add(story_id)

    def _catch_up(self) -> None:
        for story_id in self._stale:
            old = self._indexed.pop(story_id, None)
            if old is not None:
                for field, keys in _postings(old).items():
                    for key in keys:
                        ids = self._index[field].get(key)
                        if ids is not None:
                            ids.discard(story_id)
                            if not ids:
                                del self._index[field][key]
            new = self.stories.get(story_id)
            if new is not None:
                for field, keys in _postings(new).items():
                    for key in keys:
                        self._index[field].setdefault(key, set()).add(story_id)
                self._indexed[story_id] = new
        self._stale.clear()

    def find(self, field: str, key: str) -> list[Story]:
        self._catch_up()
        ids = sorted(self._index[field].get(key, ()))
        return [story for i in ids if (story := self.stories.get(i)) is not None]

    def band_matches(self, bands: set[str]) -> dict[str, int]:
        """Story id -> number of the given band keys it shares."""
        self._catch_up()
        shared: dict[str, int] = {}
        for band in bands:
            for story_id in self._index["band"].get(band, ()):
                shared[story_id] = shared.get(story_id, 0) + 1
        return shared

    def clear(
        self,
        keep_stories: Iterable[str] = (),
        keep_seen: Iterable[str] = (),
        keep_held: Iterable[str] = (),
    ) -> None:
        """Forget what the index now shows, except the writes still waiting."""
        stories = {i: self.stories[i] for i in keep_stories if i in self.stories}
        self.seen = {u: self.seen[u] for u in keep_seen if u in self.seen}
        self.held = {i: self.held[i] for i in keep_held if i in self.held}
        self.stories = stories
        self._index = {"url": {}, "hash": {}, "band": {}}
        self._indexed = {}
        self._stale = set(stories)
