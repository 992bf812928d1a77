"""ROUGE-LSum exactly as rouge-score computes it, with its LCS tables filled by numpy.

`RougeScorer(["rougeLsum"], split_summaries=False)` fills each LCS table cell by
cell in Python: one long article (6,700 words) takes over half a minute. This is
the same computation (rouge-score's tokenizer, one LCS per reference line and
candidate line read out by its backtracking, the union per reference line, the
ROUGE 1.5.5 guard against double counting), with each table row computed as a
running maximum: equal scores (tests/test_storyweb.py checks them), ~50x faster.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from rouge_score import scoring, tokenizers

_TOKENIZER = tokenizers.DefaultTokenizer(use_stemmer=False)


def _lines(text: str) -> list[list[str]]:
    return [_TOKENIZER.tokenize(line) for line in text.split("\n") if line]


def _tables(ref: list[int], candidates: np.ndarray) -> np.ndarray:
    """LCS tables of `ref` against every candidate line at once (rows padded with -1).

    Row i is the running maximum over j of max(t[i-1][j], t[i-1][j-1] + 1 where the
    tokens match): the textbook recurrence, since a match never scores below its
    neighbours.
    """
    count, width = candidates.shape
    tables = np.zeros((count, len(ref) + 1, width + 1), dtype=np.int32)
    for i, token in enumerate(ref, start=1):
        above = tables[:, i - 1, :]
        step = np.where(candidates == token, above[:, :-1] + 1, 0)
        tables[:, i, 1:] = np.maximum.accumulate(np.maximum(above[:, 1:], step), axis=1)
    return tables


def _union(tables: np.ndarray, ref: list[int], padded: np.ndarray, lengths: np.ndarray) -> set[int]:
    """rouge-score's `_backtrack_norec` run for every candidate line at once (which LCS it
    reads out decides the union): the reference positions its LCSs use."""
    tokens = np.asarray(ref)
    rows = np.arange(len(lengths))
    i, j = np.full(len(lengths), len(ref)), lengths.copy()
    found: set[int] = set()
    active = (i > 0) & (j > 0)
    while active.any():
        row, ii, jj = rows[active], i[active], j[active]
        match = tokens[ii - 1] == padded[row, jj - 1]
        found.update((ii[match] - 1).tolist())
        left = ~match & (tables[row, ii, jj - 1] > tables[row, ii - 1, jj])
        i[active] = ii - ~left
        j[active] = jj - (match | left)
        active = (i > 0) & (j > 0)
    return found


def rouge_lsum(target: str, prediction: str) -> scoring.Score:
    """Summary-level LCS of newline-separated lines, as RougeScorer(["rougeLsum"]) scores it."""
    refs, cans = _lines(target), _lines(prediction)
    m, n = sum(map(len, refs)), sum(map(len, cans))
    if not m or not n:
        return scoring.Score(precision=0, recall=0, fmeasure=0)
    vocabulary: dict[str, int] = {}
    ref_ids = [[vocabulary.setdefault(t, len(vocabulary)) for t in line] for line in refs]
    can_ids = [[vocabulary.setdefault(t, len(vocabulary)) for t in line] for line in cans]
    padded = np.full((len(can_ids), max(map(len, can_ids))), -1, dtype=np.int64)
    for row, line in enumerate(can_ids):
        padded[row, : len(line)] = line
    lengths = np.array([len(line) for line in can_ids])
    counts_r = Counter(t for line in refs for t in line)
    counts_c = Counter(t for line in cans for t in line)
    hits = 0
    for ref, tokens in zip(ref_ids, refs, strict=True):
        if not ref:
            continue
        union = _union(_tables(ref, padded), ref, padded, lengths)
        for index in sorted(union):
            token = tokens[index]
            if counts_c[token] > 0 and counts_r[token] > 0:
                hits += 1
                counts_c[token] -= 1
                counts_r[token] -= 1
    precision, recall = hits / n, hits / m
    return scoring.Score(precision, recall, scoring.fmeasure(precision, recall))
