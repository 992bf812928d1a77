"""The versioned Elasticsearch index definitions in index_mappings/, read as package data."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

#: The package holding the JSON files (top-level `index_mappings/`, shipped in the wheel).
PACKAGE = "index_mappings"


def read_mapping(name: str) -> str:
    """The text of one file of the package by its name there, e.g. `kibana/roles.json`."""
    resource = files(PACKAGE)
    for part in name.split("/"):
        resource = resource / part
    return resource.read_text(encoding="utf-8")


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


def _load(name: str) -> dict[str, Any]:
    path = f"{PACKAGE}/{name}.json"
    data: dict[str, Any] = json.loads(read_mapping(f"{name}.json"))
    meta_version = data.get("mappings", data.get("policy", {})).get("_meta", {}).get("version")
    if meta_version != data["version"]:
        raise ValueError(f"{path}: version {data['version']} but _meta.version {meta_version}")
    return data


@cache
def index_definition(name: str) -> IndexDefinition:
    """The definition in `index_mappings/<name>.json`."""
    data = _load(name)
    return IndexDefinition(data["name"], data["version"], data["settings"], data["mappings"])


@cache
def policy_definition(name: str = "ilm-policy") -> PolicyDefinition:
    data = _load(name)
    return PolicyDefinition(data["name"], data["version"], data["policy"])
