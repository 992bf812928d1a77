"""The port alerts keep their state behind; each backend implements it (`alert_state()`).

An *item* is one alert for one rule, keyed so that it exists once: `RULE/new/STORY`,
`RULE/spread3/STORY`, `RULE/surge/BUCKET`. Its status moves
queued (waiting for a digest) | sending -> sent | dead (every try failed: a dead letter).
`claim` is a conditional create and `move` a conditional update: whichever process
wins them sends, so two schedulers or a re-crawl never send an item twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from crawler.base.time import isoformat_utc

if TYPE_CHECKING:
    from crawler.story import Story

STATUSES = ("queued", "sending", "sent", "dead", "skipped")


def now_iso(moment: datetime | None = None) -> str:
    """Now (or `moment`) in the one time spelling of stored documents, so strings compare."""
    return isoformat_utc(moment or datetime.now(UTC)) or ""


@dataclass
class AlertItem:
    key: str
    rule: str
    kind: str  # new | spread | surge
    subject: str  # the story id, or the surge's window
    status: str
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    attempts: int = 0
    error: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)  # what the message says

    def to_doc(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> AlertItem:
        return cls(**{key: doc[key] for key in cls.__dataclass_fields__ if key in doc})


class AlertState(Protocol):
    """What alerts need from the index backend; nothing else of it."""

    def claim(self, item: AlertItem) -> bool:
        """Create `item` unless its key exists; True when this call created it."""

    def known(self, keys: Iterable[str]) -> set[str]:
        """Those of `keys` that exist: a read, so a re-scan claims only what is new."""

    def move(
        self,
        keys: Iterable[str],
        old: str,
        new: str,
        *,
        attempts: int | None = None,
        error: str | None = None,
    ) -> list[str]:
        """Set status `new` on those of `keys` whose status is `old`; the keys this call moved."""

    def retake(self, item: AlertItem) -> bool:
        """Mark `item` (status `sending`) as taken now, unless it changed since it was read:
        the one process that wins re-sends an alert whose sender died."""

    def items(
        self, *, rule: str | None = None, status: str | None = None, limit: int = 1000
    ) -> list[AlertItem]:
        """Oldest first."""

    def counts(self) -> dict[tuple[str, str], int]:
        """(rule, status) -> number of items."""

    def get_cursor(self, name: str) -> str | None: ...

    def set_cursor(self, name: str, value: str) -> None:
        """Store `value` unless the stored one is later (cursors never go back)."""

    def recent_stories(self, since: str) -> Iterator[Story]:
        """Stories whose last_seen is at or after `since` (new stories and new copies)."""

    def close(self) -> None: ...
