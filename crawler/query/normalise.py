"""Word tokenisation shared by the query parser and the matcher (folding: crawler/base/fold.py)."""

from __future__ import annotations

import re

from crawler.base.fold import fold

# A word is a run of letters and digits; everything else (spaces, punctuation, apostrophes,
# underscores) separates words, as SQLite's unicode61 tokenizer does.
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Split ``text`` into folded words ("Kyïv's" -> ["kyiv", "s"])."""
    return _WORD.findall(fold(text, ascii_letters=True))
