"""A local mock news web: outlets, stories and syndicated copies generated from one description.

`build_world(seed)` gives the ground truth; `python -m crawler.testing.newsweb` serves it.
"""

from __future__ import annotations

from crawler.testing.newsweb.model import (
    VARIATIONS,
    Copy,
    HardNegative,
    Outlet,
    SpecialPage,
    Story,
    World,
)
from crawler.testing.newsweb.world import build_world, default_now

__all__ = [
    "VARIATIONS",
    "Copy",
    "HardNegative",
    "Outlet",
    "SpecialPage",
    "Story",
    "World",
    "build_world",
    "default_now",
]
