"""Saved searches as alert rules: the analysts' alerts, evaluated like the config's."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from crawler.config.alerts import AlertRule
from crawler.index.saved_searches import DIGEST_PERIODS

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from crawler.index.saved_searches import SavedSearch

DEFAULT_SPREAD = 3  # outlets, as a config rule's min_outlets


def saved_rule(search: SavedSearch, channels: Mapping[str, list[str]]) -> AlertRule | None:
    """The rule of a saved search that alerts, or None (no alert, or a channel the
    operator has since removed from the config: nothing is sent anywhere else)."""
    if not search.alert or search.channel not in channels:
        return None
    digest = search.mode == "digest" and search.alert != "surge"
    # Built without validation: the web app checked the fields and the config the
    # channel's URLs; a saved rule's name ("saved.ID") is one a config rule cannot have.
    return AlertRule.model_construct(
        name=search.rule_name,
        label=search.name,
        kind=search.alert,
        query=search.query,
        topics=list(search.topics),
        outlets=list(search.outlets),
        languages=list(search.languages),
        notify=list(channels[search.channel]),
        mode="digest" if digest else "immediate",
        every=timedelta(seconds=DIGEST_PERIODS.get(search.period, 86400)) if digest else None,
        cron=None,
        min_outlets=max(search.min_outlets, DEFAULT_SPREAD if search.min_outlets < 2 else 2),
        steps=[],
        window=timedelta(hours=6),
        baseline=timedelta(days=7),
        factor=3.0,
        min_stories=5,
    )


def saved_rules(
    searches: Iterable[SavedSearch], channels: Mapping[str, list[str]]
) -> list[AlertRule]:
    rules = (saved_rule(search, channels) for search in searches)
    return [rule for rule in rules if rule is not None]
