"""Verification of a candidate pair: is one text a copy of the other, or only related?"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.dedup.shingles import shingles

# A copy: most of the shorter text's shingles appear in the longer one
# (containment, so a truncated copy or one with inserts still counts), and the
# shared part is long in absolute terms (so two stories that share one quote or
# one background paragraph do not). Chosen on bench/dedup_quality.py; see
# crawler/dedup/README.md for the measurements.
MIN_CONTAINMENT = 0.6
MIN_SHARED_SHINGLES = 40


@dataclass(frozen=True)
class Verdict:
    is_copy: bool
    containment: float  # shared / shingles of the shorter text
    jaccard: float
    shared: int


def compare(words_a: list[str], words_b: list[str]) -> Verdict:
    """Compare two normalised bodies in time linear in their length."""
    set_a, set_b = shingles(words_a), shingles(words_b)
    if not set_a or not set_b:
        return Verdict(False, 0.0, 0.0, 0)
    shared = len(set_a & set_b)
    containment = shared / min(len(set_a), len(set_b))
    jaccard = shared / (len(set_a) + len(set_b) - shared)
    is_copy = containment >= MIN_CONTAINMENT and shared >= MIN_SHARED_SHINGLES
    return Verdict(is_copy, round(containment, 4), round(jaccard, 4), shared)
