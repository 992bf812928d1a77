"""Digests: the alerts a digest rule queued, taken by one process and said in one message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.alerts import message

if TYPE_CHECKING:
    from crawler.config.alerts import AlertRule
    from crawler.index.alert_state import AlertItem, AlertState

MAX_ITEMS = 500  # one message; what is left waits for the next turn


def take(state: AlertState, rule: AlertRule) -> list[AlertItem]:
    """Move the rule's queued alerts to `sending`, keeping only those this call moved:
    whichever process moves an alert is the one that sends it."""
    queued = state.items(rule=rule.name, status="queued", limit=MAX_ITEMS)
    mine = set(state.move([item.key for item in queued], "queued", "sending"))
    return [item for item in queued if item.key in mine]


def compose(rule: AlertRule, items: list[AlertItem]) -> message.Message:
    """One message listing each story once with its outlets (message.digest)."""
    return message.digest(rule, items)
