"""Kibana's data view on the story alias and one saved search per topic."""

from __future__ import annotations

import base64
import json
import logging
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from crawler.stack.objects import load_object

if TYPE_CHECKING:
    from crawler.config import Topic

logger = logging.getLogger(__name__)


class KibanaError(Exception):
    """Kibana refused a request; the message carries its status and answer."""


class KibanaClient:
    """The two saved-object calls the set-up needs, over Kibana's HTTP API."""

    def __init__(self, url: str, username: str, password: str, timeout: float = 30) -> None:
        self.url = url.rstrip("/")
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        self._headers = {
            "Authorization": f"Basic {token}",
            "Content-Type": "application/json",
            "kbn-xsrf": "newswatch",  # Kibana refuses writes without it
        }
        self.timeout = timeout

    def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url + path, data=json.dumps(payload).encode(), headers=self._headers
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer: dict[str, Any] = json.loads(response.read() or b"{}")
                return answer
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")[:500]
            raise KibanaError(f"POST {path}: HTTP {exc.code}: {detail}") from None


def saved_search(
    topic: Topic, data_view_id: str, columns: list[str], sort: list[list[str]]
) -> dict[str, Any]:
    """A Discover saved search for the stories tagged with `topic` at crawl time.

    It filters on the `topics` field rather than re-running the topic query, so
    Kibana shows exactly the stories the crawler matched.
    """
    search_source = {
        "query": {"language": "kuery", "query": f'topics : "{topic.name}"'},
        "filter": [],
        "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index",
    }
    return {
        "attributes": {
            "title": f"newswatch: {topic.description or topic.name}",
            "description": f"Stories matching the topic {topic.name}: {topic.query}",
            "columns": columns,
            "sort": sort,
            "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(search_source)},
        },
        "references": [
            {
                "name": "kibanaSavedObjectMeta.searchSourceJSON.index",
                "type": "index-pattern",
                "id": data_view_id,
            }
        ],
    }


def apply_kibana_objects(kibana: KibanaClient, prefix: str, topics: list[Topic]) -> list[str]:
    """Create or overwrite the data view and saved searches; returns their ids."""
    spec = load_object("data_view.json", prefix)
    data_view = spec["data_view"]
    ids = []
    for view in (data_view, spec["runs_data_view"]):
        kibana.post("/api/data_views/data_view", {"data_view": view, "override": True})
        logger.info("data view %s applied", view["id"])
        ids.append(view["id"])
    for topic in topics:
        search_id = f"{prefix}-topic-{topic.name}"
        body = saved_search(topic, data_view["id"], **spec["saved_search"])
        kibana.post(f"/api/saved_objects/search/{search_id}?overwrite=true", body)
        logger.info("saved search %s applied", search_id)
        ids.append(search_id)
    return ids
