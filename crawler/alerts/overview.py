"""What each alert rule is and what it has sent: one view for the CLI and the web app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.index.alert_state import STATUSES

if TYPE_CHECKING:
    from crawler.config.alerts import AlertRule
    from crawler.index.alert_state import AlertState


def rule_rows(rules: list[AlertRule]) -> list[dict[str, Any]]:
    """Each rule as shown to people: never its notify URLs, which may hold tokens."""
    rows = []
    for rule in rules:
        when = "immediate" if rule.mode == "immediate" else f"digest {rule.cron or rule.every}"
        rows.append(
            {
                "name": rule.name,
                "kind": rule.kind,
                "when": when,
                "query": rule.query,
                "topics": rule.topics,
                "notify": [url.split("://", 1)[0] + "://" for url in rule.notify],
            }
        )
    return rows


def rule_overview(
    rules: list[AlertRule], state: AlertState, recent: int = 5
) -> list[dict[str, Any]]:
    """`rule_rows` plus each rule's counts by status and its latest deliveries, newest first."""
    counts = state.counts()
    rows = rule_rows(rules)
    for row in rows:
        row["counts"] = {status: counts.get((row["name"], status), 0) for status in STATUSES}
        sent = state.items(rule=row["name"], status="sent")[-recent:]
        row["recent"] = [
            {"title": item.payload.get("title") or item.subject, "sent": item.updated}
            for item in reversed(sent)
        ]
    return rows
