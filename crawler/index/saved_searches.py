"""The port of saved searches: what analysts save from the web app, with an optional alert.

A saved search is a query and its filters (names as resolved for search), a name
people read, and, when it alerts, the kind (new | spread | surge), the mode
(immediate | digest with its period) and the channel: a name the operator configured
under `alerts.channels`, never a URL, so analysts cannot send alerts anywhere else.
crawler/alerts/saved.py turns one into an alert rule evaluated like the config's.
Both backends implement `SavedSearches` (crawler/index/sqlite/searches.py,
crawler/index/elasticsearch/searches.py).
"""

from __future__ import annotations

import secrets
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any, Protocol

from crawler.index.alert_state import now_iso

if TYPE_CHECKING:
    from collections.abc import Sequence

ALERT_KINDS = ("new", "spread", "surge")
ALERT_MODES = ("immediate", "digest")
DIGEST_PERIODS = {"hourly": 3600, "daily": 86400}


def new_id() -> str:
    """An id that is also a valid alert rule name's tail (lower-case hex)."""
    return secrets.token_hex(6)


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str = ""
    topics: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_outlets: int = 1
    alert: str = ""  # "" (no alert) or one of ALERT_KINDS
    mode: str = "immediate"  # one of ALERT_MODES
    period: str = "daily"  # a digest's: one of DIGEST_PERIODS
    channel: str = ""  # a name in alerts.channels
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now_iso)

    @property
    def rule_name(self) -> str:
        """The name of its alert rule: apart from the config's, which may not contain '.'."""
        return f"saved.{self.id}"

    def to_document(self) -> dict[str, Any]:
        doc = asdict(self)
        for key in ("topics", "outlets", "languages"):
            doc[key] = list(doc[key])
        return doc

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> SavedSearch:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in doc.items() if k in known}
        for key in ("topics", "outlets", "languages"):
            values[key] = tuple(values.get(key) or ())
        return cls(**values)


class SavedSearches(Protocol):
    """The saved searches of one index; each call is one small read or write."""

    def save(self, search: SavedSearch) -> None:
        """Store `search` (replacing the one with its id)."""

    def get(self, search_id: str) -> SavedSearch | None: ...

    def all(self) -> Sequence[SavedSearch]:
        """Oldest first."""

    def delete(self, search_id: str) -> bool:
        """Forget the search; True when it existed."""

    def close(self) -> None: ...
