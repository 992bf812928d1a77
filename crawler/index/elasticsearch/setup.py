"""Apply index_mappings/ to a cluster: templates, the story write alias, the other indices, ILM."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from crawler.index.mappings import index_definition, policy_definition

if TYPE_CHECKING:
    from elasticsearch import Elasticsearch

    from crawler.index.elasticsearch.client import IndexNames

logger = logging.getLogger(__name__)

# Indices other than the stories, created once under their plain name.
SINGLE_INDICES = ("runs", "seen", "locks", "alerts", "searches", "held", "furniture")


def ilm_available(client: Elasticsearch) -> bool:
    """Whether every node has index lifecycle management (the x-pack-ilm module)."""
    # Asking the modules list, not `_ilm`: a failing probe would mark the node dead.
    nodes = client.nodes.info(metric="plugins", filter_path="nodes.*.modules.name")
    available = all(
        any(module["name"] == "x-pack-ilm" for module in node.get("modules", []))
        for node in nodes.get("nodes", {}).values()
    )
    if not available:
        logger.info(
            "index lifecycle management not available on this cluster: "
            "roll story indices over with `newswatch index rollover`"
        )
    return available


def story_settings(ilm: bool, names: IndexNames) -> dict[str, Any]:
    settings = dict(index_definition("stories").settings)
    if ilm:
        settings["index.lifecycle.name"] = names.policy
        settings["index.lifecycle.rollover_alias"] = names.stories
    return settings


def init(client: Elasticsearch, names: IndexNames) -> dict[str, Any]:
    """Create or update everything newswatch needs; safe to run any number of times."""
    report: dict[str, Any] = {"ilm": ilm_available(client), "created": []}
    stories = index_definition("stories")
    if report["ilm"]:
        policy = policy_definition()
        client.ilm.put_lifecycle(name=names.policy, policy=policy.policy)
    # The template makes rollover's new indices identical to the first one.
    client.indices.put_index_template(
        name=names.stories_template,
        index_patterns=[names.stories_pattern],
        template={"settings": story_settings(report["ilm"], names), "mappings": stories.mappings},
        priority=500,
        meta={"version": stories.version, "managed_by": "newswatch"},
    )
    if not client.indices.exists_alias(name=names.stories):
        first = names.stories_index(1)
        if client.indices.exists(index=names.stories):
            raise RuntimeError(
                f"{names.stories} is an index, not an alias: it was created "
                "outside newswatch; delete or rename it, then run init again"
            )
        _create(
            client,
            first,
            stories.settings | story_settings(report["ilm"], names),
            stories.mappings,
            aliases={names.stories: {"is_write_index": True}},
        )
        report["created"].append(first)
    for kind in SINGLE_INDICES:
        definition = index_definition(kind)
        name = getattr(names, kind)
        if _create(client, name, definition.settings, definition.mappings):
            report["created"].append(name)
        else:
            # Additive mapping changes apply in place; incompatible ones raise here.
            mappings = definition.mappings
            client.indices.put_mapping(
                index=name,
                properties=mappings["properties"],
                dynamic=mappings["dynamic"],
                meta=mappings["_meta"],
            )
    return report


def _create(
    client: Elasticsearch,
    name: str,
    settings: dict[str, Any],
    mappings: dict[str, Any],
    aliases: dict[str, Any] | None = None,
) -> bool:
    """Create an index unless it exists; True when this call created it."""
    response = client.options(ignore_status=400).indices.create(
        index=name, settings=settings, mappings=mappings, aliases=aliases
    )
    if response.meta.status == 400:
        error = response.body.get("error", {})
        if error.get("type") == "resource_already_exists_exception":
            return False
        raise RuntimeError(f"cannot create index {name}: {error.get('reason', error)}")
    logger.info("created index %s", name)
    return True


def story_indices(client: Elasticsearch, names: IndexNames) -> dict[str, bool]:
    """The indices behind the story alias, each with whether it is the write index."""
    response = client.options(ignore_status=404).indices.get_alias(name=names.stories)
    if response.meta.status == 404:
        return {}
    return {
        index: bool(aliases["aliases"][names.stories].get("is_write_index", False))
        for index, aliases in response.body.items()
    }


def status(client: Elasticsearch, names: IndexNames) -> dict[str, Any]:
    """Alias, indices, document counts and mapping versions, as plain data."""
    behind_alias = story_indices(client, names)
    expected = index_definition("stories").version
    indices = []
    patterns = ",".join(
        (names.stories_pattern, names.runs, names.seen, names.locks, names.held, names.furniture)
    )
    response = client.options(ignore_status=404).indices.get_mapping(index=patterns)
    counts = {}
    if response.meta.status != 404 and response.body:
        stats = client.indices.stats(index=patterns, metric="docs")
        counts = {name: s["primaries"]["docs"]["count"] for name, s in stats["indices"].items()}
    for name in sorted(response.body if response.meta.status != 404 else {}):
        meta = response.body[name]["mappings"].get("_meta", {})
        indices.append(
            {
                "index": name,
                "kind": meta.get("kind", "?"),
                "docs": counts.get(name, 0),
                "mapping_version": meta.get("version"),
                "alias": names.stories if name in behind_alias else None,
                "is_write_index": behind_alias.get(name, False),
            }
        )
    write = [name for name, is_write in behind_alias.items() if is_write]
    write_version = next((i["mapping_version"] for i in indices if i["index"] in write), None)
    return {
        "alias": names.stories,
        "write_index": write[0] if write else None,
        "mapping_version": write_version,
        "expected_mapping_version": expected,
        "needs_migration": write_version is not None and write_version != expected,
        "indices": indices,
    }
