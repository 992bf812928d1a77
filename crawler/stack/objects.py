"""Load the stack's security and Kibana objects from index_mappings/kibana/."""

from __future__ import annotations

import json
from typing import Any

from crawler.index.mappings import mappings_dir


def load_object(name: str, prefix: str) -> dict[str, Any]:
    """A JSON file of index_mappings/kibana/ with `{prefix}` filled in."""
    text = (mappings_dir() / "kibana" / name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text.replace("{prefix}", prefix))
    data.pop("_comment", None)
    return data
