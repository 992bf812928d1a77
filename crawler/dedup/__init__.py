"""Syndicated-copy de-duplication: one story document per story, every copy on it."""

from __future__ import annotations

from crawler.dedup.engine import DedupInputError, Deduplicator, DedupOutcome

__all__ = ["DedupInputError", "DedupOutcome", "Deduplicator"]
