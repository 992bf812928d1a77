"""What the scheduler and the CLI call: scan and send, send digests, test a rule, report."""

from __future__ import annotations

import logging
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from crawler.alerts import digest, message
from crawler.alerts.delivery import Sender
from crawler.alerts.evaluate import Evaluator
from crawler.alerts.saved import saved_rules
from crawler.index.alert_state import AlertItem, now_iso

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.config.alerts import AlertRule, AlertsConfig
    from crawler.index.alert_state import AlertState
    from crawler.index.saved_searches import SavedSearches
    from crawler.index.search_index import SearchIndex

logger = logging.getLogger(__name__)

MAX_PARALLEL_RULES = 4  # a rule whose channel is down waits on its own thread
# An alert `sending` for this long lost its sender (every retry ends well before).
STALE_AFTER = timedelta(minutes=30)


@dataclass
class Report:
    stories_scanned: int = 0
    queued: int = 0
    sent: int = 0
    dead: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class AlertService:
    def __init__(
        self,
        config: AlertsConfig,
        backend: SearchIndex,
        *,
        state: AlertState | None = None,
        clock: Callable[[], datetime] | None = None,
        sender: Sender | None = None,
        saved: SavedSearches | None = None,
    ) -> None:
        self.config = config
        self.state = state or backend.alert_state()
        # Saved searches alert only to configured channels: without any, none is read.
        self.saved = saved or (backend.saved_searches() if config.channels else None)
        self.rules = {rule.name: rule for rule in config.rules}
        self.clock = clock or (lambda: datetime.now(UTC))
        self.sender = sender or Sender(
            retries=config.retries, backoff=config.backoff.total_seconds()
        )
        self.evaluator = Evaluator(config, self.state, backend)
        self.stats: Counter[str] = self.evaluator.stats  # one set of alerts/... counters

    def close(self) -> None:
        self.state.close()
        if self.saved is not None:
            self.saved.close()

    def refresh_rules(self) -> list[AlertRule]:
        """The config's rules and those of the saved searches as they are now."""
        rules = list(self.config.rules)
        if self.saved is not None:
            rules += saved_rules(self.saved.all(), self.config.channels)
        self.rules = {rule.name: rule for rule in rules}
        self.evaluator.set_rules(rules)
        return rules

    def rule(self, name: str) -> AlertRule:
        """A config rule or a saved search's; KeyError when neither has the name."""
        return self.rules[name]

    def arm(self) -> bool:
        return self.evaluator.arm(self.clock())

    def run(self) -> Report:
        """Scan what arrived, send immediate alerts, queue digest ones. Never raises for a
        failed delivery: it is retried, then kept as a dead letter."""
        now = self.clock()
        self.refresh_rules()
        fired = self.evaluator.scan(now)
        report = Report(fired.stories_scanned, fired.queued)
        by_rule: dict[str, list[AlertItem]] = {}
        for item in [*fired.immediate, *self._orphans(now)]:
            by_rule.setdefault(item.rule, []).append(item)
        if by_rule:
            with ThreadPoolExecutor(min(MAX_PARALLEL_RULES, len(by_rule))) as pool:
                for sent, dead in pool.map(self._send_items, by_rule.values()):
                    report.sent += sent
                    report.dead += dead
        if report.sent or report.dead or report.queued:
            logger.info("alerts: %s", report.as_dict())
        return report

    def _orphans(self, now: datetime) -> list[AlertItem]:
        """Alerts left `sending` by a process that died before it sent them."""
        stale = now_iso(now - STALE_AFTER)
        orphans = []
        for item in self.state.items(status="sending"):
            try:
                self.rule(item.rule)
            except KeyError:
                continue  # the rule is gone from the config
            if item.updated < stale and self.state.retake(item):
                logger.warning("alert %s: re-sending %s, left unsent", item.rule, item.key)
                orphans.append(item)
        return orphans

    def _send_items(self, items: list[AlertItem]) -> tuple[int, int]:
        sent = dead = 0
        rule = self.rule(items[0].rule)
        for item in items:
            if self._deliver(rule, [item.key], message.immediate(rule, item)):
                sent += 1
            else:
                dead += 1
        return sent, dead

    def _deliver(self, rule: AlertRule, keys: list[str], msg: message.Message) -> bool:
        outcome = self.sender.send(rule.name, rule.notify, msg)
        self.stats["alerts/retries"] += outcome.attempts - 1
        if outcome.ok:
            self.stats["alerts/delivered"] += 1
            self.state.move(keys, "sending", "sent", attempts=outcome.attempts)
            return True
        self.stats["alerts/dead_letters"] += 1
        logger.error(
            "alert %s: gave up after %d tries, kept as a dead letter: %s",
            rule.name,
            outcome.attempts,
            outcome.error,
        )
        self.state.move(keys, "sending", "dead", attempts=outcome.attempts, error=outcome.error)
        return False

    def digest(self, name: str) -> Report:
        """Send rule `name`'s queued alerts as one message; a concurrent digest sends each once."""
        if name not in self.rules:
            self.refresh_rules()
        rule = self.rule(name)
        report = Report()
        items = digest.take(self.state, rule)
        if not items:
            return report
        if self._deliver(rule, [item.key for item in items], digest.compose(rule, items)):
            report.sent = len(items)
        else:
            report.dead = len(items)
        return report

    def saved_digests(self) -> Report:
        """Send the digests of saved searches whose period has passed since their last."""
        report = Report()
        now = self.clock()
        for rule in self.refresh_rules():
            if not rule.name.startswith("saved.") or rule.mode != "digest" or not rule.every:
                continue
            cursor = f"digest:{rule.name}"
            last = self.state.get_cursor(cursor)
            if last is not None and last > now_iso(now - rule.every):
                continue
            self.state.set_cursor(cursor, now_iso(now))
            done = self.digest(rule.name)
            report.sent += done.sent
            report.dead += done.dead
        return report

    def test(self, name: str) -> bool:
        """Send a sample alert for rule `name` now; nothing is recorded."""
        rule = self.config.rule(name)
        sample = AlertItem(
            f"{name}/test", name, "new" if rule.kind == "surge" else rule.kind, "test", "sending"
        )
        sample.payload = {
            "title": f"Test alert of rule {name}",
            "outlets": ["newswatch"],
            "outlet_count": 1,
            "step": rule.min_outlets,
            "first_seen": now_iso(self.clock()),
            "link": "",
            "terms": [],
        }
        outcome = self.sender.send(name, rule.notify, message.immediate(rule, sample))
        return outcome.ok

    def status(self, dead_limit: int = 20) -> dict[str, Any]:
        counts = self.state.counts()
        rules = []
        for rule in self.refresh_rules():
            row: dict[str, Any] = {"rule": rule.name, "kind": rule.kind, "mode": rule.mode}
            for status in ("sent", "queued", "sending", "dead"):
                row[status] = counts.get((rule.name, status), 0)
            rules.append(row)
        dead = [
            {
                "key": i.key,
                "rule": i.rule,
                "updated": i.updated,
                "attempts": i.attempts,
                "error": i.error,
                "title": i.payload.get("title"),
            }
            for i in self.state.items(status="dead", limit=dead_limit)
        ]
        return {
            "rules": rules,
            "dead_letters": dead,
            "dead_total": sum(n for (_, s), n in counts.items() if s == "dead"),
        }
