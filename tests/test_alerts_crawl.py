"""Alerts driven by real crawls of the local news web: one outlet per crawl, so stories
spread in steps. `new` fires once per story, `spread` (3) once when the third outlet's
copy arrives, a re-crawl fires nothing; on both backends."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
import yaml

from crawler.cli import main as newswatch
from tests.fixtures.newsweb import world_config
from tests.harness.newsweb import teasers
from tests.test_crawl_e2e import crawl

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fixtures.receivers import HttpReceiver
    from tests.harness.newsweb.client import NewsWeb

# Three outlets that share three stories among them (seed 0), crawled one at a time.
OUTLETS = ("wire", "newsmix", "frontline")


@pytest.fixture(params=["embedded", "elasticsearch"])
def config(
    request: pytest.FixtureRequest, newsweb_fresh: NewsWeb, tmp_path: Path, http_receiver
) -> Path:
    options = {}
    if request.param == "elasticsearch":
        options = {
            "backend": "elasticsearch",
            "es_url": request.getfixturevalue("es_url"),
            "index_prefix": request.getfixturevalue("es_prefix"),
        }
    path = world_config(newsweb_fresh, tmp_path, sources=list(OUTLETS), **options)
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    topics = [topic["name"] for topic in settings["topics"]]
    settings["alerts"] = {
        "retries": 1,
        "backoff": "0.05s",
        "rules": [
            {"name": "new", "kind": "new", "topics": topics, "notify": [http_receiver.url]},
            {
                "name": "spread",
                "kind": "spread",
                "topics": topics,
                "min_outlets": 3,
                "notify": [http_receiver.url],
            },
        ],
    }
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def alerts_run(config: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert newswatch(["alerts", "run", "--json", "--config", str(config)]) == 0
    return json.loads(capsys.readouterr().out)


def test_crawls_spreading_a_story_fire_new_once_and_spread_once(
    config: Path, newsweb_fresh: NewsWeb, http_receiver: HttpReceiver, capsys
) -> None:
    world = newsweb_fresh.world
    # A teaser copy is off-topic on its own: it is held, not a story, until its
    # original (on an outlet not crawled here) arrives.
    outlets_of = {
        story.id: {
            c.outlet
            for c in world.copies_of(story.id)
            if c.crawlable and c.variation not in teasers.VARIATIONS
        }
        for story in world.on_topic_stories()
    }
    everywhere = [sid for sid, outlets in outlets_of.items() if set(OUTLETS) <= outlets]
    assert everywhere, "the news web no longer has a story on all three outlets"

    assert alerts_run(config, capsys)["sent"] == 0  # starts watching: no backlog alerts
    sent = 0
    for step, outlet in enumerate(OUTLETS, start=1):
        assert crawl(config, "--source", outlet).returncode == 0
        report = alerts_run(config, capsys)
        stories_so_far = [s for s, o in outlets_of.items() if o & set(OUTLETS[:step])]
        new_before = [s for s, o in outlets_of.items() if o & set(OUTLETS[: step - 1])]
        spread = len(everywhere) if step == 3 else 0
        assert report["sent"] == len(stories_so_far) - len(new_before) + spread, step
        sent += report["sent"]

    titles = http_receiver.titles()
    assert len(titles) == sent
    spread_titles = [t for t in titles if t.startswith("[newswatch] spread: spread to 3 outlets")]
    assert sorted(spread_titles) == sorted(
        f"[newswatch] spread: spread to 3 outlets: {world.original(sid).title}"
        for sid in everywhere
    )
    new_titles = [t for t in titles if t.startswith("[newswatch] new: new story: ")]
    assert (
        len(new_titles)
        == len(set(new_titles))
        == len([s for s, o in outlets_of.items() if o & set(OUTLETS)])
    )

    # a re-crawl of every outlet and a re-run fire nothing
    assert crawl(config, *(arg for o in OUTLETS for arg in ("--source", o))).returncode == 0
    assert alerts_run(config, capsys)["sent"] == 0
    assert len(http_receiver.titles()) == sent
