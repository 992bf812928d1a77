"""Load the stack's security and Kibana objects from index_mappings/kibana/."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

_REPO_MAPPINGS = Path(__file__).resolve().parents[2] / "index_mappings"


def mappings_dir() -> Path:
    """index_mappings/ beside the source tree, else the copy an image installs."""
    for candidate in (
        _REPO_MAPPINGS,
        Path.cwd() / "index_mappings",
        Path(sys.prefix) / "app" / "index_mappings",
    ):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"index_mappings/ not found (looked in {_REPO_MAPPINGS})")


def load_object(name: str, prefix: str) -> dict[str, Any]:
    """A JSON file of index_mappings/kibana/ with `{prefix}` filled in."""
    text = (mappings_dir() / "kibana" / name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text.replace("{prefix}", prefix))
    data.pop("_comment", None)
    return data
