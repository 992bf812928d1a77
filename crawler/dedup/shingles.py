"""Word shingles: the overlapping word k-grams that signatures and verification compare."""

from __future__ import annotations

# Five words: long enough that two different stories on one topic share few of
# them by chance (names and stock phrases are shorter), short enough that a
# light copy-edit every sentence or so leaves most intact (bench/dedup_quality.py).
SHINGLE_WORDS = 5


def shingles(words: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    """The set of `size`-word shingles of `words` (the whole text if it is shorter)."""
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}
