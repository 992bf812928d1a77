"""Move the story alias to a new index (mapping migration) or roll it over, losing nothing."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from elasticsearch.helpers import scan, streaming_bulk

from crawler.index.elasticsearch.setup import init, story_indices, story_settings
from crawler.index.elasticsearch.tokens import with_tokens
from crawler.index.mappings import index_definition

if TYPE_CHECKING:
    from collections.abc import Iterator

    from elasticsearch import Elasticsearch

    from crawler.index.elasticsearch.client import IndexNames

logger = logging.getLogger(__name__)


def next_index(client: Elasticsearch, names: IndexNames) -> str:
    """The story index after the highest-numbered one that exists."""
    existing = client.options(ignore_status=404).indices.get(
        index=names.stories_pattern, expand_wildcards="all"
    )
    pattern = re.compile(re.escape(names.stories) + r"-(\d{6})$")
    numbers = [int(m[1]) for name in existing.body if (m := pattern.match(name))]
    return names.stories_index(max(numbers, default=0) + 1)


def copy_documents(client: Elasticsearch, sources: list[str], target: str) -> dict[str, int]:
    """Copy every document client-side (the cluster may lack `_reindex`), keeping versions.

    Versions are external (see es_writer), so with `external_gte` a second pass only
    overwrites documents that did not change since, and never a newer write.
    """
    counts = {"copied": 0, "newer_in_target": 0}
    if not sources:
        return counts

    def actions() -> Iterator[dict[str, Any]]:
        for hit in scan(
            client,
            index=",".join(sources),
            query={"query": {"match_all": {}}},
            version=True,
            size=500,
        ):
            yield {
                "_index": target,
                "_id": hit["_id"],
                # tokens are not kept in _source: computed again from the story
                "_source": with_tokens(hit["_source"]),
                "version": hit["_version"],
                "version_type": "external_gte",
            }

    for ok, item in streaming_bulk(
        client, actions(), chunk_size=500, max_retries=5, raise_on_error=False
    ):
        if ok:
            counts["copied"] += 1
        elif item["index"].get("status") == 409:
            counts["newer_in_target"] += 1
        else:
            raise RuntimeError(
                f"copying {item['index'].get('_id')} into {target} failed: "
                f"{item['index'].get('error')}"
            )
    return counts


def migrate(client: Elasticsearch, names: IndexNames, delete_old: bool = False) -> dict[str, Any]:
    """Create the next story index with the current mapping, copy, swap the alias atomically."""
    init(client, names)
    old = sorted(story_indices(client, names))
    target = next_index(client, names)
    stories = index_definition("stories")
    client.indices.create(
        index=target,
        settings=stories.settings | story_settings(False, names),
        mappings=stories.mappings,
    )
    logger.info("migrating %s from %s to %s", names.stories, ", ".join(old), target)
    first = copy_documents(client, old, target)
    # Searchable before the alias points at it: searches must not see a half-empty index.
    client.indices.refresh(index=target)
    actions: list[dict[str, Any]] = [{"remove": {"index": i, "alias": names.stories}} for i in old]
    actions.append({"add": {"index": target, "alias": names.stories, "is_write_index": True}})
    client.indices.update_aliases(actions=actions)
    # Writes that reached the old indices while the first pass ran are copied now.
    client.indices.refresh(index=",".join(old))
    second = copy_documents(client, old, target)
    client.indices.refresh(index=target)
    report: dict[str, Any] = {
        "from": old,
        "to": target,
        "copied": first["copied"],
        "caught_up": second["copied"] - first["copied"],
        "docs_before": _count(client, old),
        "docs_after": _count(client, [target]),
        "deleted_old": False,
    }
    if delete_old and old and report["docs_after"] >= report["docs_before"]:
        client.indices.delete(index=",".join(old))
        report["deleted_old"] = True
    return report


def _count(client: Elasticsearch, indices: list[str]) -> int:
    if not indices:
        return 0
    return int(client.count(index=",".join(indices))["count"])


def rollover(
    client: Elasticsearch, names: IndexNames, conditions: dict[str, Any], dry_run: bool = False
) -> dict[str, Any]:
    """Start a new write index when a condition is met (all of them empty: unconditionally)."""
    response = client.indices.rollover(
        alias=names.stories, conditions=conditions or None, dry_run=dry_run
    )
    return {
        "rolled_over": response["rolled_over"],
        "dry_run": response["dry_run"],
        "old_index": response["old_index"],
        "new_index": response["new_index"],
        "conditions": response.get("conditions", {}),
    }
