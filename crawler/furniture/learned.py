"""Furniture learned per outlet: the lines an outlet repeats on many distinct pages.

An outlet prints its furniture (follow/newsletter/contact lines, section labels,
"Others are reading now", the copyright line) on every page; a story's sentences
appear on one story's pages only. So each page's lines are normalised (case,
accents, digits and month names folded away, so "Updated 3 May" and "Updated 14
June" are one line) and hashed, the hashes are counted per outlet over distinct
pages, and a line counted on at least `min_pages` pages is furniture from then on,
in any language, with no list to maintain.

An outlet seen once has no such count: what other outlets taught applies there,
through the shapes of their furniture lines (crawler/furniture/shapes.py).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from crawler.base.fold import fold
from crawler.furniture.shapes import MIN_OUTLETS, MIN_VARIANTS, line_shape, shape_text, variant_key

if TYPE_CHECKING:
    from crawler.furniture.store import FurnitureStore

# Three distinct pages: two could be one story published twice (a correction, a
# second URL) and share every sentence; a third with the same line is the
# template. Each further page of the outlet benefits, so the first two pages lean
# on the prior (crawler/furniture/prior.py) and on teaser detection only.
MIN_PAGES = 3

_MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b"
)
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[\W_]+")


def normalise_line(line: str) -> str:
    """The comparison form of a line: folded, digits and dates generalised, no punctuation."""
    text = fold(line)
    text = _DIGITS.sub("0", _MONTHS.sub("m", text))
    return " ".join(_NON_WORD.sub(" ", text).split())


def line_key(line: str) -> str:
    """A short stable hash of a line's comparison form ("" for a line with no words)."""
    normal = normalise_line(line)
    if not normal:
        return ""
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=8).hexdigest()


def outlet_of(url: str) -> str:
    """The outlet a page belongs to: its host, without a leading www."""
    host = (urlsplit(url).hostname or "").casefold()
    return host.removeprefix("www.")


def _page_id(page: str) -> str:
    # Not line_key: "Day 3 of the strike" and "Day 4 of the strike" are two pages.
    folded = " ".join(page.casefold().split())
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=8).hexdigest()


class FurnitureLearner:
    """Records each page's lines for its outlet and removes the outlet's learned furniture."""

    def __init__(
        self,
        store: FurnitureStore,
        min_pages: int = MIN_PAGES,
        min_outlets: int = MIN_OUTLETS,
        min_variants: int = MIN_VARIANTS,
    ) -> None:
        self.store = store
        self.min_pages = min_pages
        self.min_outlets = min_outlets
        self.min_variants = min_variants

    def record(self, url: str, text: str, page: str = "") -> bool:
        """Count the lines of `text` for the outlet of `url`, once per page, and note
        their shapes among every outlet's.

        `page` identifies the page among the outlet's (default: its URL). The
        crawl passes the story title, so that one story reached at several URLs
        counts once and its sentences never look like furniture.
        """
        lines = text.splitlines()
        keys = {key for key in map(line_key, lines) if key}
        outlet = outlet_of(url)
        recorded = self.store.record_page(outlet, _page_id(page or url), keys)
        if recorded:
            shapes = {}
            for line in lines:
                shape = line_shape(line)
                if shape:
                    shapes[shape] = (variant_key(line), shape_text(line))
            if shapes:
                self.store.record_shapes(outlet, shapes)
        return recorded

    def strip(self, url: str, text: str) -> tuple[str, int]:
        """`text` without the lines learned as furniture, and how many went: lines the
        outlet repeats, and lines of a shape many outlets print.

        If every line is furniture the text is returned as it was: an outlet
        republishing one text many times is no reason to lose it.
        """
        lines = text.splitlines()
        keys = [line_key(line) for line in lines]
        shapes = [line_shape(line) for line in lines]
        learned = self.store.furniture(outlet_of(url), {k for k in keys if k}, self.min_pages)
        learned |= self.store.shared_shapes(
            {s for s in shapes if s}, self.min_outlets, self.min_variants
        )
        if not learned:
            return text, 0
        kept = [
            line
            for line, key, shape in zip(lines, keys, shapes, strict=True)
            if key not in learned and shape not in learned
        ]
        if not any(line.strip() for line in kept):
            return text, 0
        return "\n".join(kept), len(lines) - len(kept)

    def learn(self, url: str, text: str, page: str = "") -> tuple[str, int]:
        """Record the page, then strip: the page that makes a line furniture loses it too."""
        self.record(url, text, page)
        return self.strip(url, text)
