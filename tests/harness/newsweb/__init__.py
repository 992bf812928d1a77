"""A local mock news web: outlets, stories and syndicated copies generated from one description.

`build_world(seed)` gives the ground truth; `python -m tests.harness.newsweb` serves it.
"""

from __future__ import annotations

from tests.harness.newsweb.model import (
    VARIATIONS,
    Copy,
    HardNegative,
    Outlet,
    SpecialPage,
    Story,
    World,
)
from tests.harness.newsweb.world import build_world, default_now

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
