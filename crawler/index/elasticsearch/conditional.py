"""Elasticsearch's optimistic concurrency in one place: create a document only if it is
absent, replace or delete it only if it is still the version read (`if_seq_no` and
`if_primary_term`). A lost race is a False, never an exception; no scripting needed.

Used by the alert state (alerts.py), the dedup lease (lock.py), the furniture counts
(furniture.py) and the saved searches (searches.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from elasticsearch import Elasticsearch


def read(client: Elasticsearch, index: str, doc_id: str) -> dict[str, Any] | None:
    """The document with its version (`_source`, `_seq_no`, `_primary_term`), or None."""
    found = client.options(ignore_status=404).get(index=index, id=doc_id)
    return None if found.meta.status == 404 else dict(found.body)


def version_of(found: Mapping[str, Any]) -> dict[str, int]:
    """The guard of a write conditional on `found` (a get, mget or search hit with
    seq_no_primary_term): also usable in a bulk action."""
    return {"if_seq_no": found["_seq_no"], "if_primary_term": found["_primary_term"]}


def create(client: Elasticsearch, index: str, doc_id: str, document: dict[str, Any]) -> bool:
    """Create the document unless its id exists; True when this call created it."""
    written = client.options(ignore_status=409).create(index=index, id=doc_id, document=document)
    return written.meta.status in (200, 201)


def replace(
    client: Elasticsearch,
    index: str,
    doc_id: str,
    document: dict[str, Any],
    found: Mapping[str, Any],
) -> bool:
    """Write `document` over the version `found`; False when another writer came first."""
    written = client.options(ignore_status=409).index(
        index=index,
        id=doc_id,
        document=document,
        if_seq_no=found["_seq_no"],
        if_primary_term=found["_primary_term"],
    )
    return written.meta.status in (200, 201)


def delete(client: Elasticsearch, index: str, doc_id: str, found: Mapping[str, Any]) -> bool:
    """Delete the version `found`; False when it changed or is gone."""
    deleted = client.options(ignore_status=(404, 409)).delete(
        index=index, id=doc_id, if_seq_no=found["_seq_no"], if_primary_term=found["_primary_term"]
    )
    return deleted.meta.status == 200
