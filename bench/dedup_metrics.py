"""Clustering quality figures for the dedup benchmark: pairwise P/R/F1 and adjusted Rand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from math import comb


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    f1: float
    ari: float
    clusters: int


def quality(truth: list[str], predicted: list[str]) -> Quality:
    """Pairwise precision/recall/F1 and the adjusted Rand index of `predicted` vs `truth`.

    Both are cluster labels per item, in the same order. Pairwise: a pair of items
    is positive when both are in one cluster. ARI is Hubert and Arabie's formula.
    """
    cells = Counter(zip(truth, predicted, strict=True))
    same_both = sum(comb(n, 2) for n in cells.values())
    same_truth = sum(comb(n, 2) for n in Counter(truth).values())
    same_predicted = sum(comb(n, 2) for n in Counter(predicted).values())
    precision = same_both / same_predicted if same_predicted else 1.0
    recall = same_both / same_truth if same_truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    expected = same_truth * same_predicted / comb(len(truth), 2)
    maximum = (same_truth + same_predicted) / 2
    ari = (same_both - expected) / (maximum - expected) if maximum != expected else 1.0
    return Quality(precision, recall, f1, ari, len(set(predicted)))


class UnionFind:
    """Transitive closure of pairwise matches (how the baselines form clusters)."""

    def __init__(self, items: list[str]) -> None:
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)

    def labels(self, items: list[str]) -> list[str]:
        return [self.find(item) for item in items]
