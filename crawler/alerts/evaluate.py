"""Decide what fires: `new` and `spread` over the stories seen since the last scan, `surge`
by counting a rule's stories through the backend's search. Each firing is claimed once."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from crawler.alerts.match import RuleIndex
from crawler.alerts.message import story_payload
from crawler.index.alert_state import AlertItem, now_iso
from crawler.index.search_index import SearchRequest

if TYPE_CHECKING:
    from crawler.alerts.match import CompiledRule
    from crawler.config.alerts import AlertRule, AlertsConfig
    from crawler.index.alert_state import AlertState
    from crawler.index.search_index import SearchIndex
    from crawler.query import TokenizedDocument
    from crawler.story import Story

logger = logging.getLogger(__name__)

CURSOR = "changes"
SURGE_SAMPLE = 5  # stories listed in a surge alert


@dataclass
class Fired:
    """What one scan claimed: items to send now, and how many went to digests."""

    immediate: list[AlertItem] = field(default_factory=list)
    queued: int = 0
    stories_scanned: int = 0


class Evaluator:
    def __init__(self, config: AlertsConfig, state: AlertState, backend: SearchIndex) -> None:
        self.config = config
        self.state = state
        self.backend = backend
        self.rules: list[AlertRule] = []
        self.index = RuleIndex([])
        self.surges: list[AlertRule] = []
        self.set_rules(config.rules)
        self.stats: Counter[str] = Counter()
        # story id -> version of the stories this process has evaluated, within the overlap
        self._done: dict[str, str] = {}

    def set_rules(self, rules: list[AlertRule]) -> None:
        """Evaluate `rules` from now on: the config's and the saved searches' of the moment."""
        if rules == self.rules:
            return  # compiled already
        self.rules = list(rules)
        self.index = RuleIndex(r for r in rules if r.kind in ("new", "spread"))
        self.surges = [r for r in rules if r.kind == "surge"]

    def arm(self, now: datetime) -> bool:
        """Start watching at `now` unless a scan happened before; True when this call did.

        Rules alert on what arrives from now on, not on the backlog of the index.
        """
        if self.state.get_cursor(CURSOR) is not None:
            return False
        self.state.set_cursor(CURSOR, now_iso(now))
        return True

    def scan(self, now: datetime) -> Fired:
        """Claim every alert the stories seen since the last scan (and surges) fire."""
        fired = Fired()
        self.arm(now)
        cursor = self.state.get_cursor(CURSOR)
        assert cursor is not None
        since = now_iso(datetime.fromisoformat(cursor) - self.config.overlap)
        found: list[tuple[AlertRule, AlertItem]] = []
        scanned: dict[str, str] = {}
        for story in self.state.recent_stories(since):
            scanned[story.id] = _version(story)
            if self._done.get(story.id) == scanned[story.id]:
                continue  # unchanged since this process evaluated it
            fired.stories_scanned += 1
            for compiled, doc in self.index.matching(story):
                for item in self._story_items(compiled, story, doc, since):
                    found.append((compiled.rule, item))
        # Stories re-read within the overlap mostly fired already: one read skips them.
        known = self.state.known(item.key for _, item in found) if found else set()
        for rule, item in found:
            if item.key not in known:
                self._claim(rule, item, fired)
        for rule in self.surges:
            surge = self._surge_item(rule, now)
            if surge is not None:
                self._claim(rule, surge, fired)
        self.state.set_cursor(CURSOR, now_iso(now))
        self._done = scanned  # only once every claim is written
        self.stats["alerts/stories_scanned"] += fired.stories_scanned
        return fired

    def _claim(self, rule: AlertRule, item: AlertItem, fired: Fired) -> None:
        if item.status == "skipped":
            self.state.claim(item)
            return
        item.status = "queued" if rule.mode == "digest" else "sending"
        if not self.state.claim(item):
            return  # fired before: by an earlier scan or another process
        self.stats[f"alerts/fired/{item.kind}"] += 1
        if rule.mode == "digest":
            fired.queued += 1
        else:
            fired.immediate.append(item)

    def _story_items(
        self, compiled: CompiledRule, story: Story, doc: TokenizedDocument, since: str
    ) -> list[AlertItem]:
        rule = compiled.rule
        payload = story_payload(story, compiled.matched_terms(doc), self.config.story_url)
        if rule.kind == "new":
            if story.first_seen < since:
                return []  # an old story that gained a copy is not new
            item = AlertItem(f"{rule.name}/new/{story.id}", rule.name, "new", story.id, "")
            item.payload = payload
            return [item]
        crossed = [step for step in rule.spread_steps if payload["outlet_count"] >= step]
        if not crossed:
            return []
        # Only the highest step reached is said; a lower one reached in the same scan
        # is claimed as skipped so that it never fires later.
        items = []
        for step in reversed(crossed):
            key = f"{rule.name}/spread{step}/{story.id}"
            item = AlertItem(key, rule.name, "spread", story.id, "")
            item.payload = dict(payload, step=step)
            items.append(item)
        for item in items[1:]:
            item.status = "skipped"
        return items

    def _surge_item(self, rule: AlertRule, now: datetime) -> AlertItem | None:
        current, baseline, sample = self.surge_counts(rule, now)
        if current < rule.min_stories or current < rule.factor * baseline:
            return None
        # One alert per window-long bucket of time at most.
        bucket = int(now.timestamp() // rule.window.total_seconds())
        item = AlertItem(f"{rule.name}/surge/{bucket}", rule.name, "surge", str(bucket), "")
        item.payload = {
            "current": current,
            "baseline": baseline,
            "window": _human(rule.window),
            "stories": [story_payload(s, [], self.config.story_url) for s in sample],
        }
        return item

    def surge_counts(self, rule: AlertRule, now: datetime) -> tuple[int, float, list[Story]]:
        """Stories published in the last window, the baseline's mean per window, a sample."""
        request = SearchRequest(
            query=rule.query,
            topics=tuple(rule.topics),
            outlets=tuple(rule.outlets),
            languages=tuple(rule.languages),
            since=now - rule.window,
            until=now,
            sort="date",
            limit=SURGE_SAMPLE,
            highlight=False,
        )
        page = self.backend.search(request)
        before = self.backend.search(
            replace(
                request, since=now - rule.window - rule.baseline, until=now - rule.window, limit=1
            )
        )
        windows = rule.baseline / rule.window
        return page.total, before.total / windows, [hit.story for hit in page.hits]


def _version(story: Story) -> str:
    """What changes when a story gains a copy or is re-crawled (last_seen has 1 s steps)."""
    return f"{story.last_seen}|{len(story.copies)}|{story.outlet_count}|{story.title}"


def _human(span: timedelta) -> str:
    seconds = int(span.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
