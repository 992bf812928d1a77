"""The versioned Elasticsearch index definitions in index_mappings/, read as data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# index_mappings/ sits at the top of a source checkout; an installed package (the
# container image) finds it in the working directory instead.
_CANDIDATES = (Path(__file__).resolve().parents[2] / "index_mappings", Path("index_mappings"))


def mappings_dir() -> Path:
    for candidate in _CANDIDATES:
        if (candidate / "stories.json").is_file():
            return candidate
    raise FileNotFoundError(
        "index_mappings/ not found next to the newswatch sources or in the working directory "
        f"({', '.join(str(c.resolve()) for c in _CANDIDATES)})"
    )


@dataclass(frozen=True)
class IndexDefinition:
    """One index kind (stories, runs, seen, locks): its settings, mappings and version."""

    name: str
    version: int
    settings: dict[str, Any]
    mappings: dict[str, Any]


@dataclass(frozen=True)
class PolicyDefinition:
    name: str
    version: int
    policy: dict[str, Any]


def _load(name: str, directory: Path) -> dict[str, Any]:
    path = directory / f"{name}.json"
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    meta_version = data.get("mappings", data.get("policy", {})).get("_meta", {}).get("version")
    if meta_version != data["version"]:
        raise ValueError(f"{path}: version {data['version']} but _meta.version {meta_version}")
    return data


@cache
def index_definition(name: str, directory: Path | None = None) -> IndexDefinition:
    """The definition in `index_mappings/<name>.json`."""
    data = _load(name, directory or mappings_dir())
    return IndexDefinition(data["name"], data["version"], data["settings"], data["mappings"])


@cache
def policy_definition(name: str = "ilm-policy", directory: Path | None = None) -> PolicyDefinition:
    data = _load(name, directory or mappings_dir())
    return PolicyDefinition(data["name"], data["version"], data["policy"])
