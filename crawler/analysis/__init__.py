"""Language-aware analysis: which language a text is in (`detect.py`), and the one way
text becomes tokens for topics, alerts and search.

`analyze(text, language)` gives a document's tokens; `query_alternatives(term)` the token
sequences a query term may stand for. Both backends index the tokens Python computes,
and queries compile to the same tokens, so every place that matches text agrees.
"""

from __future__ import annotations

from crawler.analysis.analyze import (
    PLAIN,
    analyze,
    fingerprint,
    prepare,
    query_alternatives,
    surface_words,
    word_tokens,
)
from crawler.analysis.languages import LANGUAGES, SCRIPT_DEFAULT, Language, language_code
from crawler.analysis.scripts import guess_language, script_of

__all__ = [
    "LANGUAGES",
    "PLAIN",
    "SCRIPT_DEFAULT",
    "Language",
    "analyze",
    "fingerprint",
    "guess_language",
    "language_code",
    "prepare",
    "query_alternatives",
    "script_of",
    "surface_words",
    "word_tokens",
]
