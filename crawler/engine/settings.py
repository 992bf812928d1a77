"""Scrapy settings for the engine's polls: built once, copied cheaply for each crawler.

Scrapy deep-copies a crawler's settings (`Settings.copy`): some 2,500 objects,
several milliseconds a poll, and a deep copy of anything the settings carry,
such as the engine's warm extraction pool (which would then start its workers
anew for every poll). `PollSettings.copy` copies the settings' own structure
(every setting, every component dict, every list) and shares the values inside,
which Scrapy's components read and never change.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from scrapy.settings import BaseSettings, Settings, SettingsAttribute

if TYPE_CHECKING:
    from typing import Self


class PollSettings(Settings):
    """Settings whose `copy()` is structural, not deep."""

    def copy(self) -> Self:
        return _copy(self)


def _copy(settings: Any) -> Any:
    new = copy.copy(settings)
    new.frozen = False
    attributes = {}
    for name, attribute in settings.attributes.items():
        value = attribute.value
        if isinstance(value, BaseSettings):
            value = _copy(value)
        elif isinstance(value, dict | list | set):
            value = value.copy()
        copied = object.__new__(SettingsAttribute)  # its __init__ would recompute the priority
        copied.value, copied.priority = value, attribute.priority
        attributes[name] = copied
    new.attributes = attributes
    return new
