"""Adaptive polling: as often as a source has news, never sooner than its server asks.

A run that finds mostly already-seen stories lengthens the source's interval,
one that finds mostly new stories shortens it, within the source's bounds
(`min_every`/`max_every`). The server's own hints (Cache-Control max-age,
Expires, the feed's <ttl> and sy:updatePeriod) set a floor, capped at the upper
bound, as Miniflux does; a Retry-After delays the next turn in full. Consecutive
failures (and polls answered only with 429/503) double the interval up to the
upper bound; after `pause_after` of them the source is paused: probed at the
upper bound until it answers again or an operator resumes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import timedelta

    from crawler.config.schema import SchedulerConfig, Source

SLOWER = 1.5  # a run that found mostly already-seen stories
FASTER = 0.75  # a run that found mostly new stories
BACKOFF = 2.0  # per consecutive failure
MOSTLY_NEW = 0.5  # share of fresh items above which a source is polled more often
MOSTLY_SEEN = 0.2  # share below which it is polled less often
FAILED_OUTCOMES = frozenset({"failed", "timed_out"})


@dataclass(frozen=True)
class SourceState:
    """What the policy remembers of a source between runs."""

    every: float  # seconds, before the failure backoff and the hints
    failures: int = 0  # consecutive failed, timed-out or throttled runs
    http_floor: float = 0.0  # the last run's Cache-Control max-age / Expires
    feed_floor: float = 0.0  # the last feed read's <ttl> / sy:updatePeriod (a 304 has none)
    retry_after: float = 0.0  # the last run's Retry-After: the next turn waits this long
    paused: str | None = None  # why the source is paused; None: it is not


def fresh_share(stats: Mapping[str, Any]) -> float:
    """New, updated and newly syndicated stories over everything the run looked at."""
    fresh = sum(int(stats.get(k) or 0) for k in ("stories_new", "stories_updated", "copies_merged"))
    stale = sum(int(stats.get(k) or 0) for k in ("seen_skipped", "unchanged"))
    return fresh / (fresh + stale) if fresh + stale else 0.0


def turned_away(stats: Mapping[str, Any]) -> str | None:
    """Why a run that ended well fetched no listing (429/503, a 404 feed ...); None if it did.

    The crawl counts such a run `ok` (it fetched pages: robots.txt, the error
    page); to the policy it is a failure. Summaries without `hints` predate them.
    """
    hints = stats.get("hints")
    if not isinstance(hints, dict) or hints.get("listings_answered"):
        return None
    errors = stats.get("errors") or {}
    if hints.get("throttled"):
        return "throttled (429/503)"
    if errors:
        return "no listing answered: " + ", ".join(f"{k} {v}" for k, v in sorted(errors.items()))
    return None


@dataclass(frozen=True)
class IntervalPolicy:
    """The interval rules for one source whose configured interval is `base` seconds."""

    base: float
    lower: float
    upper: float
    pause_after: int = 0  # consecutive failures that pause the source; 0: never

    @classmethod
    def for_source(
        cls, base: timedelta, config: SchedulerConfig, source: Source | None = None
    ) -> IntervalPolicy:
        seconds = base.total_seconds()
        lower = source.min_every if source and source.min_every else config.min_every
        upper = source.max_every if source and source.max_every else config.max_every
        # The configured interval itself is always allowed, even outside the bounds.
        return cls(
            seconds,
            min(lower.total_seconds(), seconds),
            max(upper.total_seconds(), seconds),
            config.pause_after,
        )

    def initial(self) -> SourceState:
        return SourceState(self.base)

    def clamp(self, seconds: float) -> float:
        return min(max(seconds, self.lower), self.upper)

    def effective(self, state: SourceState) -> float:
        """The interval to schedule: adaptive, backed off, floored by the hints."""
        if state.paused:
            interval = self.upper  # a paused source is still probed
        else:
            interval = self.clamp(state.every * BACKOFF ** min(state.failures, 32))
            hinted = min(max(state.http_floor, state.feed_floor), self.upper)
            interval = max(interval, hinted)
        return max(interval, state.retry_after)

    def after_run(
        self, state: SourceState, outcome: str, stats: Mapping[str, Any], error: str | None = None
    ) -> SourceState:
        hints = stats.get("hints") or {}
        retry_after = float(hints.get("retry_after_s") or 0)
        refused = turned_away(stats) if outcome == "ok" else None
        if outcome in FAILED_OUTCOMES or refused:
            failures = state.failures + 1
            paused = state.paused
            if paused is None and self.pause_after and failures >= self.pause_after:
                why = refused or error or outcome
                paused = f"{failures} consecutive failures; last: {why}"
            return replace(state, failures=failures, retry_after=retry_after, paused=paused)
        if outcome != "ok":  # skipped: nothing was learned
            return state
        share = fresh_share(stats)
        factor = FASTER if share > MOSTLY_NEW else SLOWER if share < MOSTLY_SEEN else 1.0
        http_floor = max(float(hints.get("max_age_s") or 0), float(hints.get("expires_s") or 0))
        feed_floor = (
            max(float(hints.get("ttl_s") or 0), float(hints.get("update_period_s") or 0))
            if hints.get("feeds_read")
            else state.feed_floor
        )
        return SourceState(
            self.clamp(state.every * factor), 0, http_floor, feed_floor, retry_after, None
        )
