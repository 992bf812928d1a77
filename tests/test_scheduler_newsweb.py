"""The scheduler service crawling the local mock news web: repeated runs, each story once."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import yaml

from crawler.config import load_config
from crawler.index import make_backend
from crawler.index.search_index import SearchRequest
from tests.fixtures.newsweb import world_config
from tests.test_scheduler_support import Service, cli, status

if TYPE_CHECKING:
    from pathlib import Path

    from tests.harness.newsweb.client import NewsWeb

pytestmark = pytest.mark.timeout(300)

OUTLETS = ["wire", "frontline"]


def test_the_service_crawls_each_source_again_and_indexes_each_story_once(
    newsweb_fresh: NewsWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file = world_config(newsweb_fresh, tmp_path, sources=OUTLETS)
    raw = yaml.safe_load(config_file.read_text())
    raw["scheduler"] = {"default_every": "1h", "jitter": 0}  # repeats come from run-now
    config_file.write_text(yaml.safe_dump(raw))

    service = Service(config_file)
    try:
        for _ in OUTLETS:  # new sources are crawled at once
            service.wait_for("run finished")
        for outlet in OUTLETS:
            code, out, _ = cli(capsys, "run-now", outlet, "--config", str(config_file))
            assert code == 0, out
            service.wait_for(f"source {outlet}: run finished")
    finally:
        assert service.stop() == 0, "".join(service.log[-50:])

    config = load_config(config_file)
    with make_backend(config) as backend:
        runs = {outlet: backend.list_runs(outlet) for outlet in OUTLETS}
        stories = list(backend.export(SearchRequest()))
    for outlet, (second, first) in runs.items():
        assert (first["outcome"], second["outcome"]) == ("ok", "ok"), (outlet, first, second)
        assert first["stats"]["pages_fetched"] > 0
        # The second pass finds every article already seen: nothing new, nothing extracted again.
        assert second["stats"]["pages_fetched"] > 0
        assert second["stats"]["stories_new"] == second["stats"]["articles_extracted"] == 0
    assert sum(runs[o][1]["stats"]["stories_new"] for o in OUTLETS) == len(stories)

    world = newsweb_fresh.world
    story_of_url = {newsweb_fresh.copy_url(c): c.story_id for c in world.copies}
    on_topic = {s.id for s in world.on_topic_stories()}
    wanted = {c.story_id for c in world.copies if c.outlet in OUTLETS and c.crawlable} & on_topic
    indexed: dict[str, list[str]] = {}
    for story in stories:
        for world_id in {story_of_url.get(url) for url in story.copy_urls} - {None}:
            indexed.setdefault(str(world_id), []).append(story.id)
    assert set(indexed) == wanted
    assert all(len(ids) == 1 for ids in indexed.values()), indexed  # each story once
    assert len(stories) == len(wanted)

    rows = {row["source"]: row for row in status(capsys, config_file)["sources"]}
    for outlet in OUTLETS:
        assert (rows[outlet]["runs"], rows[outlet]["ok"], rows[outlet]["outcome"]) == (2, 2, "ok")
