"""Furniture learned across outlets: an outlet seen once is cleaned with what others taught.

The learner in memory, the shape evidence in both index backends, and the
`newswatch furniture list` command an operator reads to see why a line went.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from crawler.cli import main as newswatch
from crawler.furniture import FurnitureLearner, MemoryFurnitureStore, line_shape, shape_text
from crawler.furniture.shapes import variant_key
from tests.fixtures.backends import index_settings

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

    from crawler.furniture import FurnitureStore
    from tests.fixtures.backends import BackendStore

NAMES = ["Newsbeat", "Relay Sport", "The Courier", "Nordpost", "Daily Ledger"]
AUTHORS = [("Dana Reyes", "danar"), ("Li Wei", "liwei"), ("Ola Berg", "olab"), ("Ann Ko", "ako")]
# A true paragraph that merely names Facebook: kept wherever it runs.
FACEBOOK = "Facebook said on Tuesday it had removed 2,000 accounts run from the border region."
# A syndicated story's paragraph: on every outlet, in one wording.
SYNDICATED = "The ministry said 1,200 troops had crossed the border on Tuesday night."


def furniture(k: int) -> list[str]:
    """Outlet k's social-follow, newsletter and author-box lines: its own names in them."""
    name, (author, handle) = NAMES[k], AUTHORS[k % len(AUTHORS)]
    return [
        f"Follow {name} on Instagram, Facebook and X",
        f"Sign up to the {name} newsletter for the day's top stories",
        f"{author} is a correspondent for {name}. Follow her on X @{handle} or email "
        f"{handle}@{name.split()[-1].lower()}.example",
    ]


def page(k: int, n: int) -> str:
    body = [
        f"Story {n} of outlet {k}: officials in the capital met on day {n} of the talks.",
        SYNDICATED,
        FACEBOOK,
    ]
    return "\n".join([*body, *furniture(k)])


def url(k: int, n: int = 0) -> str:
    return f"https://www.outlet{k}.example/news/{n}"


def test_shapes_mask_names_handles_addresses_and_numbers() -> None:
    assert shape_text("Follow Newsbeat on Instagram, Facebook, Twitter and YouTube") == (
        "follow N on N"
    )
    assert line_shape("Follow Relay Sport on Facebook and X") == line_shape(
        "Follow Newsbeat on Instagram, Facebook, Twitter and YouTube"
    )
    assert line_shape(furniture(0)[2]) == line_shape(furniture(1)[2])
    assert variant_key(furniture(0)[0]) != variant_key(furniture(1)[0])
    assert line_shape(FACEBOOK) != line_shape(furniture(0)[0])
    assert line_shape("Pressure on Kyiv") == line_shape("Pressure on Moscow")
    assert line_shape("x" * 300) == ""


def test_an_outlet_seen_once_is_cleaned_with_what_others_taught() -> None:
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    for k in range(3):  # three outlets, one page each: no outlet learned anything alone
        learner.learn(url(k), page(k, k), f"T{k}")
    text, removed = learner.learn(url(4), page(4, 9), "T9")
    assert removed == 3
    assert text.splitlines() == page(4, 9).splitlines()[:3]
    assert FACEBOOK in text and SYNDICATED in text


def test_two_outlets_teach_nothing_across_outlets() -> None:
    learner = FurnitureLearner(MemoryFurnitureStore(), min_pages=3)
    for k in range(2):
        learner.learn(url(k), page(k, k), f"T{k}")
    assert learner.strip(url(4), page(4, 9))[1] == 0
    learner.record(url(2), page(2, 2), "T2")
    assert learner.strip(url(4), page(4, 9))[1] == 3


def record_outlets(store: FurnitureStore, outlets: range) -> None:
    learner = FurnitureLearner(store)
    for k in outlets:
        learner.record(url(k), page(k, k), f"T{k}")


def test_shape_evidence_in_both_backends_survives_a_restart(
    backend_store: BackendStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert backend_store.current is not None
    record_outlets(backend_store.current.furniture_store(), range(3))
    shapes = {line_shape(line) for line in page(4, 9).splitlines()}
    follow = line_shape(furniture(4)[0])
    store = backend_store.reopen().furniture_store()
    deadline = time.monotonic() + 10  # Elasticsearch: the aggregation sees the next refresh
    while not (found := store.shared_shapes(shapes, 3, 3)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found == {line_shape(line) for line in furniture(4)}
    assert follow in found and line_shape(FACEBOOK) not in found
    assert store.shared_shapes(shapes, 4, 3) == set()
    listed = {s.text: (s.outlets, s.variants) for s in store.learned_shapes(3, 3)}
    assert listed["follow N on N"] == (3, 3)

    config = {
        "state_dir": backend_store.spec.get("state_dir", str(tmp_path / "state")),
        "topics": [{"name": "dprk", "query": '"North Korea"'}],
        "sources": [{"name": "alpha", "outlet": "Alpha", "feeds": ["https://alpha.example/feed"]}],
        "index": index_settings(backend_store.spec),
    }
    path = tmp_path / "newswatch.yaml"
    path.write_text(json.dumps(config))  # JSON is YAML
    backend_store.close()
    assert newswatch(["furniture", "list", "--config", str(path), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {"shape": "follow N on N", "outlets": 3, "wordings": 3} in rows
    assert all("danar" not in row["shape"] for row in rows)  # handles are masked
