"""The narrow port where learned furniture lives, and an in-memory implementation.

Both index backends implement `FurnitureStore` (crawler/index/sqlite/furniture.py,
crawler/index/elasticsearch/furniture.py), so the learned state survives restarts and is
shared by concurrent crawls of the same index.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

V = TypeVar("V")

# Bounds per outlet. An outlet's furniture is tens of lines; what is tracked beyond
# that is story text seen once, which is evicted first (fewest pages, then oldest).
MAX_LINES_PER_OUTLET = 5000
MAX_PAGES_PER_OUTLET = 2000
# Line shapes tracked per outlet (crawler/furniture/shapes.py); the oldest go first.
MAX_SHAPES_PER_OUTLET = 5000


@dataclass(frozen=True)
class LearnedShape:
    """A line shape and the evidence for it: how many outlets, in how many wordings."""

    shape: str
    text: str  # the shape as a person reads it ("follow N on N")
    outlets: int
    variants: int


class FurnitureStore(Protocol):
    """Per outlet: how many distinct pages carried each line (by its key)."""

    def record_page(self, outlet: str, page: str, line_keys: Collection[str]) -> bool:
        """Count `line_keys` once for the page `page` of `outlet`.

        False (and nothing counted) when that page was recorded before: a page
        fetched again must not make its own lines look repeated.
        """
        ...

    def furniture(self, outlet: str, line_keys: Collection[str], min_pages: int) -> set[str]:
        """Those of `line_keys` that `outlet` carried on at least `min_pages` pages."""
        ...

    def record_shapes(self, outlet: str, shapes: Mapping[str, tuple[str, str]]) -> None:
        """Note that `outlet` printed each shape (key -> (variant key, shape text))."""
        ...

    def shared_shapes(
        self, shapes: Collection[str], min_outlets: int, min_variants: int
    ) -> set[str]:
        """Those of `shapes` printed by `min_outlets` outlets in `min_variants` wordings."""
        ...

    def learned_shapes(self, min_outlets: int, min_variants: int) -> list[LearnedShape]:
        """Every shape that is furniture now, the most widespread first."""
        ...


class MemoryFurnitureStore:
    """A FurnitureStore in one process's memory (benchmarks, tests), with the same bounds."""

    def __init__(
        self, max_lines: int = MAX_LINES_PER_OUTLET, max_pages: int = MAX_PAGES_PER_OUTLET
    ) -> None:
        self.max_lines = max_lines
        self.max_pages = max_pages
        self._pages: dict[str, dict[str, int]] = defaultdict(dict)  # outlet -> page -> tick
        self._lines: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)  # -> (n, tick)
        self._tick = 0
        # shape -> (text, {(outlet, variant)}); per outlet (shape, variant) -> tick
        self._shapes: dict[str, tuple[str, set[tuple[str, str]]]] = {}
        self._shapes_of: dict[str, dict[tuple[str, str], int]] = defaultdict(dict)

    def record_page(self, outlet: str, page: str, line_keys: Collection[str]) -> bool:
        pages = self._pages[outlet]
        if page in pages:
            return False
        self._tick += 1
        pages[page] = self._tick
        lines = self._lines[outlet]
        for key in set(line_keys):
            count, _ = lines.get(key, (0, 0))
            lines[key] = (count + 1, self._tick)
        _evict(pages, self.max_pages, lambda tick: (tick,))
        _evict(lines, self.max_lines, lambda value: value)
        return True

    def furniture(self, outlet: str, line_keys: Collection[str], min_pages: int) -> set[str]:
        lines = self._lines.get(outlet, {})
        return {key for key in line_keys if lines.get(key, (0, 0))[0] >= min_pages}

    def record_shapes(self, outlet: str, shapes: Mapping[str, tuple[str, str]]) -> None:
        self._tick += 1
        mine = self._shapes_of[outlet]
        for shape, (variant, text) in shapes.items():
            self._shapes.setdefault(shape, (text, set()))[1].add((outlet, variant))
            mine[(shape, variant)] = self._tick
        if len(mine) > MAX_SHAPES_PER_OUTLET:
            for key in sorted(mine, key=mine.__getitem__)[: len(mine) - MAX_SHAPES_PER_OUTLET]:
                del mine[key]
                self._shapes[key[0]][1].discard((outlet, key[1]))

    def shared_shapes(
        self, shapes: Collection[str], min_outlets: int, min_variants: int
    ) -> set[str]:
        return {
            found.shape
            for found in map(self._evidence, shapes)
            if found and found.outlets >= min_outlets and found.variants >= min_variants
        }

    def learned_shapes(self, min_outlets: int, min_variants: int) -> list[LearnedShape]:
        found = [self._evidence(shape) for shape in self._shapes]
        return sorted(
            (s for s in found if s and s.outlets >= min_outlets and s.variants >= min_variants),
            key=lambda s: (-s.outlets, -s.variants, s.text),
        )

    def _evidence(self, shape: str) -> LearnedShape | None:
        if shape not in self._shapes:
            return None
        text, pairs = self._shapes[shape]
        outlets, variants = {o for o, _ in pairs}, {v for _, v in pairs}
        return LearnedShape(shape, text, len(outlets), len(variants))


def _evict(table: dict[str, V], cap: int, rank: Callable[[V], tuple[int, ...]]) -> None:
    """Drop the lowest-ranked entries beyond `cap` (the rarest, then the oldest)."""
    if len(table) <= cap:
        return
    ordered = sorted(table, key=lambda key: rank(table[key]))
    for key in ordered[: len(table) - cap]:
        del table[key]
