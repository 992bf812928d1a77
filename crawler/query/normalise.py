"""Word tokenisation shared by the query parser and the matcher (folding: crawler/base/fold.py)."""

from __future__ import annotations

from crawler.analysis import surface_words


def words(text: str) -> list[str]:
    """Split ``text`` into folded words ("Kyïv's" -> ["kyiv", "s"]): a word is a run of
    letters and digits; everything else (spaces, punctuation, apostrophes, underscores)
    separates words. What exact terms, prefixes, outlets and authors compare."""
    return list(surface_words(text))
