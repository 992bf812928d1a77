"""Letter folding the embedded full-text index applies on top of its unicode61 tokenizer."""

from __future__ import annotations

import re

from crawler.base.fold import ASCII_FOLDS

# SQL name of index_fold on every connection (sqlite_schema.connect): the FTS rows
# are written from SQL, so that what is indexed and what is deleted always agree.
SQL_NAME = "newswatch_fold"

# Letters that unicode61's remove_diacritics leaves alone because Unicode does not
# decompose them, folded as Elasticsearch's asciifolding does (the query matcher's
# table), so that "polnocna" finds "Północna" on both backends.
_FOLD = ASCII_FOLDS
# A search finds the rare text that needs folding far quicker than str.translate reads all.
_FOLD_CHARS = re.compile("[" + "".join(_FOLD) + "]")


def index_fold(text: str | None) -> str | None:
    """The text as story_fts indexes it; MATCH expressions get the same treatment."""
    if text is None or text.isascii() or not _FOLD_CHARS.search(text):
        return text
    return _FOLD_CHARS.sub(lambda m: _FOLD[m.group()], text)
