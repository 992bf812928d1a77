"""Verification of a candidate pair: is one text a copy of the other, or only related?"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.dedup.shingles import SHINGLE_WORDS

# A copy: most of the shorter text's shingles appear in the longer one
# (containment, so a truncated copy or one with inserts still counts), the shared
# part is long in absolute terms, and it spans at least two paragraphs of the
# shorter text, so two stories sharing one quote or one background paragraph -
# however long - stay apart. Chosen on bench/dedup_quality.py; the measurements
# are in crawler/dedup/README.md.
MIN_CONTAINMENT = 0.6
MIN_SHARED_SHINGLES = 20
MIN_SHARED_PARAGRAPHS = 2
# A paragraph counts as shared when this share of its shingles is in the other text.
PARAGRAPH_SHARED = 0.5


@dataclass(frozen=True)
class Verdict:
    is_copy: bool
    containment: float  # shared shingles / shingles of the shorter text
    jaccard: float
    shared: int  # shingles in common
    paragraphs: int  # paragraphs of the shorter text mostly found in the longer


def _shingled(paragraphs: list[list[str]], size: int) -> list[set[str]]:
    """Each paragraph's shingles (those starting in it; they run on across breaks)."""
    words = [word for paragraph in paragraphs for word in paragraph]
    if len(words) <= size:
        return [{" ".join(words)}] if words else []
    result, start = [], 0
    for paragraph in paragraphs:
        end = min(start + len(paragraph), len(words) - size + 1)
        result.append({" ".join(words[i : i + size]) for i in range(start, end)})
        start += len(paragraph)
    return [s for s in result if s]


def compare(
    paragraphs_a: list[list[str]], paragraphs_b: list[list[str]], size: int = SHINGLE_WORDS
) -> Verdict:
    """Compare two normalised bodies (paragraphs of words) in time linear in their length."""
    parts_a, parts_b = _shingled(paragraphs_a, size), _shingled(paragraphs_b, size)
    set_a, set_b = set().union(*parts_a), set().union(*parts_b)
    if not set_a or not set_b:
        return Verdict(False, 0.0, 0.0, 0, 0)
    if (len(set_a), len(parts_a)) > (len(set_b), len(parts_b)):
        parts_a, set_a, set_b = parts_b, set_b, set_a  # a: the shorter text
    shared = len(set_a & set_b)
    containment = shared / len(set_a)
    jaccard = shared / (len(set_a) + len(set_b) - shared)
    paragraphs = sum(len(part & set_b) >= PARAGRAPH_SHARED * len(part) for part in parts_a)
    is_copy = (
        containment >= MIN_CONTAINMENT
        and shared >= MIN_SHARED_SHINGLES
        and paragraphs >= min(MIN_SHARED_PARAGRAPHS, len(parts_a))
    )
    return Verdict(is_copy, round(containment, 4), round(jaccard, 4), shared, paragraphs)
