"""The port of the scheduler's run history (status, adaptive intervals)."""

from __future__ import annotations

import abc
from typing import Any


class RunHistory(abc.ABC):
    """One record per scheduler run, newest first."""

    @abc.abstractmethod
    def record_run(self, run: dict[str, Any]) -> None:
        """Store one scheduler run: {id, source, started, ended, outcome, stats{}}."""

    @abc.abstractmethod
    def list_runs(self, source: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
        """Newest first."""
