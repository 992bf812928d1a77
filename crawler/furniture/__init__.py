"""Page furniture: one concept for extraction, topic matching and dedup normalisation.

`prior` holds the hand-written cold-start rules, `learned` the per-outlet learner,
`shapes` the line shapes learned across outlets,
`store` the port where the learned state lives (both index backends implement it).
"""

from crawler.furniture.learned import MIN_PAGES, FurnitureLearner, line_key, outlet_of
from crawler.furniture.prior import is_furniture, strip_furniture
from crawler.furniture.shapes import MIN_OUTLETS, MIN_VARIANTS, line_shape, shape_text
from crawler.furniture.store import FurnitureStore, LearnedShape, MemoryFurnitureStore

__all__ = [
    "MIN_OUTLETS",
    "MIN_PAGES",
    "MIN_VARIANTS",
    "FurnitureLearner",
    "FurnitureStore",
    "LearnedShape",
    "MemoryFurnitureStore",
    "is_furniture",
    "line_shape",
    "line_key",
    "outlet_of",
    "shape_text",
    "strip_furniture",
]
