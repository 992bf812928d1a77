"""Page furniture: one concept for extraction, topic matching and dedup normalisation.

`prior` holds the hand-written cold-start rules, `learned` the per-outlet learner,
`store` the port where the learned state lives (both index backends implement it).
"""

from crawler.furniture.learned import MIN_PAGES, FurnitureLearner, line_key, outlet_of
from crawler.furniture.prior import is_furniture, strip_furniture
from crawler.furniture.store import FurnitureStore, MemoryFurnitureStore

__all__ = [
    "MIN_PAGES",
    "FurnitureLearner",
    "FurnitureStore",
    "MemoryFurnitureStore",
    "is_furniture",
    "line_key",
    "outlet_of",
    "strip_furniture",
]
