"""The scheduler honours what the mock news web's feeds say about polling them again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import yaml

from tests.fixtures.newsweb import world_config
from tests.harness.newsweb import polite
from tests.test_scheduler_support import Service, status

if TYPE_CHECKING:
    from pathlib import Path

    from tests.harness.newsweb.client import NewsWeb

pytestmark = pytest.mark.timeout(300)

FEEDS = {
    "wire-ttl": polite.TTL,
    "wire-cached": polite.CACHED,
    "wire-expires": polite.EXPIRES,
    "wire-throttled": polite.THROTTLED,
}


def test_ttl_cache_control_expires_and_retry_after_set_the_next_poll(
    newsweb_fresh: NewsWeb, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file = world_config(newsweb_fresh, tmp_path, sources=["wire"], entry_points=("feeds",))
    raw = yaml.safe_load(config_file.read_text())
    template = raw["sources"][0]
    raw["sources"] = [
        {**template, "name": name, "feeds": [newsweb_fresh.url("wire", path)]}
        for name, path in FEEDS.items()
    ]
    raw["scheduler"] = {"default_every": "10m", "jitter": 0, "max_every": "24h"}
    raw["log_level"] = "DEBUG"  # polls that find nothing log "run finished" at DEBUG
    config_file.write_text(yaml.safe_dump(raw))

    service = Service(config_file)
    try:
        for _ in FEEDS:
            service.wait_for("run finished")
    except Exception:
        print("".join(service.log[-80:]))
        raise
    finally:
        assert service.stop() == 0, "".join(service.log[-50:])

    rows = {row["source"]: row for row in status(capsys, config_file)["sources"]}
    # <ttl>90</ttl> beats sy:updatePeriod hourly/2 (30 min); max-age=7200; Expires in 3 h.
    assert rows["wire-ttl"]["every_s"] == polite.TTL_MINUTES * 60
    assert rows["wire-cached"]["every_s"] == polite.MAX_AGE_S
    assert polite.EXPIRES_S - 120 <= rows["wire-expires"]["every_s"] <= polite.EXPIRES_S
    assert rows["wire-ttl"]["hints"]["ttl_s"] == 5400
    assert rows["wire-ttl"]["hints"]["update_period_s"] == 1800
    # 429 with Retry-After: one request, no retries now, the next poll an hour away.
    throttled = rows["wire-throttled"]
    assert newsweb_fresh.hit_count("wire", polite.THROTTLED) == 1
    assert throttled["failures"] == 1
    assert throttled["every_s"] == polite.RETRY_AFTER_S
    assert throttled["hints"]["retry_after_s"] == polite.RETRY_AFTER_S
    assert throttled["state"] == "failing"
