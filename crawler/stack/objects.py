"""Load the stack's security and Kibana objects from index_mappings/kibana/."""

from __future__ import annotations

import json
from typing import Any

from crawler.index.mappings import read_mapping


def load_object(name: str, prefix: str) -> dict[str, Any]:
    """A JSON file of index_mappings/kibana/ with `{prefix}` filled in."""
    text = read_mapping(f"kibana/{name}")
    data: dict[str, Any] = json.loads(text.replace("{prefix}", prefix))
    data.pop("_comment", None)
    return data
