"""A story document: one story and every copy of it, as the index stores it.

The keys are described in crawler/index/story_store.py.
"""

from __future__ import annotations

from typing import Any

Story = dict[str, Any]
