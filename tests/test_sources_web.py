"""The web app's /sources page: counts by state, filters, pages, a paused source's why, escaped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from crawler.api.app import create_app
from crawler.config.alerts import AlertsConfig
from crawler.config.schema import ApiConfig
from scheduler.jobstore import jobstore_url, make_engine
from scheduler.status import StatusFilter, collect
from tests.test_scheduler_pause import harness_fixture  # noqa: F401 (a fixture)
from tests.test_scheduler_support import clock_fixture, fake_fixture  # noqa: F401 (fixtures)

if TYPE_CHECKING:
    from tests.test_scheduler_support import Harness

pytestmark = pytest.mark.timeout(120)

HOSTILE = '<script>alert("x")</script>'


def test_the_sources_page_shows_states_pages_and_why_a_source_is_paused(
    harness: Harness,
) -> None:
    harness.fake.plan("down", exit=1, message=HOSTILE)
    sources = {f"outlet-{n:02}": {"every": "10m"} for n in range(60)}
    step = harness.start({**sources, "down": {"every": "10m"}}, pause_after=1)
    step.tick()
    step.wait_jobs(61)
    engine = make_engine(jobstore_url(harness.config))

    def source_status(
        states: frozenset[str], source: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        where = StatusFilter(states, source, limit, offset)
        return collect(harness.config, harness.backend, engine, where, now=harness.clock.now())

    app = create_app(ApiConfig(), lambda: harness.backend, AlertsConfig())
    with TestClient(app) as client:
        assert "not available" in client.get("/sources").text  # serve gives it the status
        app.state.source_status = source_status
        first = client.get("/sources").text
        second = client.get("/sources?page_number=2").text
        paused = client.get("/sources?state=paused").text
        named = client.get("/sources?source=outlet-0*").text

    assert "61 sources:" in first and "60 ok" in first and "1 paused" in first
    assert "1-50 of 61" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert "51-61 of 61" in second and 'rel="prev"' in second and 'rel="next"' not in second
    assert "<td>down</td>" in paused and "<td>outlet-00</td>" not in paused
    assert "1 consecutive failures; last: exit code 1" in paused
    assert HOSTILE not in paused and "&lt;script&gt;" in paused  # crawl output is escaped
    assert "newswatch sources resume down" in paused
    assert "1-10 of 10" in named
