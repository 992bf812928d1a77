"""A poll as the engine and its callers exchange it: the request, the outcome, the reply."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from crawler.crawl.summary import CrawlSummary, read_summary

#: How one poll went. `lost`: the engine died or was stopped before it answered;
#: the caller runs the poll again.
Outcome = Literal["ok", "failed", "timed_out", "lost"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)


@dataclass(frozen=True)
class PollRequest:
    """One poll of one source: what the engine needs to run it."""

    id: str
    source: str
    time_limit: float
    topics: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> PollRequest:
        return cls(
            id=str(raw["id"]),
            source=str(raw["source"]),
            time_limit=float(raw["time_limit"]),
            topics=[str(t) for t in raw.get("topics") or []],
        )


@dataclass(frozen=True)
class PollReply:
    """The engine's answer to one request: its outcome and the crawl summary."""

    id: str
    outcome: Outcome
    summary: CrawlSummary | None = None
    error: str | None = None
    cpu_s: float = 0.0  # CPU the engine process spent while the poll ran (shared with others)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> PollReply:
        outcome = raw.get("outcome")
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        summary = raw.get("summary")
        return cls(
            id=str(raw["id"]),
            outcome=outcome,
            summary=read_summary(summary),
            error=raw.get("error"),
            cpu_s=float(raw.get("cpu_s") or 0.0),
        )
