"""Alerts end to end on both backends: stories arrive through dedup, alerts go out through
apprise to real receivers on loopback (HTTP JSON, SMTP), each exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from crawler.alerts.service import AlertService
from crawler.cli import main as newswatch
from crawler.config.alerts import AlertsConfig
from crawler.dedup import Deduplicator
from crawler.items import Article
from tests.fixtures.backends import index_settings
from tests.fixtures.receivers import closed_port_url
from tests.test_dedup_corpus import SEED_PARAGRAPHS, SHELLS_STORY, body, light_edit

if TYPE_CHECKING:
    from crawler.index.backend import IndexBackend
    from tests.fixtures.backends import BackendStore
    from tests.fixtures.receivers import SmtpReceiver

REPO = Path(__file__).resolve().parents[1]
OUTLETS = ["Kyiv Independent", "Notes from Poland", "NK News"]
STORY_URL = "https://newswatch.example.org/stories/{id}"


def copy(outlet: str, paragraphs: list[str] = SEED_PARAGRAPHS, n: int = 0) -> Article:
    """One outlet's copy of a story, fetched now (as a crawl stores it)."""
    slug = outlet.lower().replace(" ", "-")
    url = f"https://{slug}.example/story-{n}"
    return Article(
        url=url,
        canonical_url=url,
        source=slug,
        outlet=outlet,
        title=f"North Korean troops still fight for Russia ({n})",
        text=body(paragraphs) if outlet == OUTLETS[0] else light_edit(paragraphs),
        published=datetime(2026, 12, 1, 8, n, tzinfo=UTC),
        fetched_at=datetime.now(UTC),
        topics=["dprk"],
    )


def alerts(*rules: dict[str, Any], **settings: Any) -> AlertsConfig:
    """Delivery settings for tests: quick retries, the web app's story links."""
    options = {"retries": 2, "backoff": "0.05s", "story_url": STORY_URL} | settings
    return AlertsConfig.model_validate({"rules": list(rules), **options})


def rules_for(url: str) -> list[dict[str, Any]]:
    return [
        {"name": "dprk-new", "kind": "new", "query": '"north korean" troops', "notify": [url]},
        {"name": "dprk-spread", "kind": "spread", "query": "kursk OR artillery", "notify": [url]},
    ]


def add(backend: IndexBackend, *articles: Article) -> None:
    dedup = Deduplicator(backend)
    for article in articles:
        dedup.add(article)
    backend.flush()  # what the end of a crawl does


def test_new_fires_once_and_spread_once_at_the_third_outlet(backend, http_receiver):
    service = AlertService(alerts(*rules_for(http_receiver.url)), backend)
    try:
        service.arm()
        add(backend, copy(OUTLETS[0]))
        assert service.run().sent == 1
        add(backend, copy(OUTLETS[1]))
        assert service.run().sent == 0  # two outlets: below min_outlets (3)
        add(backend, copy(OUTLETS[2]))
        assert service.run().sent == 1
        # a re-run and a re-crawl of the same pages fire nothing
        assert service.run().sent == 0
        add(backend, *(copy(outlet) for outlet in OUTLETS))
        assert service.run().sent == 0
        status = service.status()
    finally:
        service.close()

    titles = http_receiver.titles()
    assert len(titles) == 2
    assert titles[0].startswith("[newswatch] dprk-new: new story: North Korean troops")
    assert titles[1].startswith("[newswatch] dprk-spread: spread to 3 outlets: North Korean")
    spread = http_receiver.received[1]["message"]
    story = backend.find_by_url("https://kyiv-independent.example/story-0")
    assert story is not None
    for outlet in OUTLETS:
        assert outlet in spread
    assert STORY_URL.format(id=story.id) in spread
    assert f"First seen: {story.first_seen}" in spread
    assert "Matched: kursk, artillery" in spread
    assert "Matched: north korean, troops" in http_receiver.received[0]["message"]
    sent = {row["rule"]: row["sent"] for row in status["rules"]}
    assert sent == {"dprk-new": 1, "dprk-spread": 1}


def test_stories_older_than_the_arming_do_not_fire(backend, http_receiver):
    add(backend, copy(OUTLETS[0], SHELLS_STORY, 1))
    service = AlertService(alerts(*rules_for(http_receiver.url), overlap="0s"), backend)
    try:
        later = datetime.now(UTC) + timedelta(minutes=5)
        service.clock = lambda: later
        assert service.arm() and not service.arm()  # armed once
        assert service.run().stories_scanned == 0
    finally:
        service.close()
    assert http_receiver.received == []


def test_a_receiver_down_then_up_gets_the_alert_once(backend, http_receiver):
    http_receiver.refuse_first = 2  # 503 twice, then accepted: within retries=2
    service = AlertService(alerts(rules_for(http_receiver.url)[0]), backend)
    try:
        service.arm()
        add(backend, copy(OUTLETS[0]))
        report = service.run()
        assert service.run().sent == 0
        status = service.status()
    finally:
        service.close()
    assert (report.sent, report.dead) == (1, 0)
    assert service.stats["alerts/retries"] == 2 and service.stats["alerts/delivered"] == 1
    assert http_receiver.attempts == 3
    assert len(http_receiver.received) == 1
    assert status["rules"][0]["sent"] == 1 and status["dead_total"] == 0


def test_a_receiver_down_for_good_leaves_a_dead_letter_shown_by_status(
    backend_store, http_receiver, tmp_path, capsys
):
    backend = backend_store.current
    assert backend is not None
    # one rule's channel is down: the other rule still delivers
    down = {"name": "down", "kind": "new", "query": "troops", "notify": [closed_port_url()]}
    up = rules_for(http_receiver.url)[0]
    service = AlertService(alerts(down, up), backend)
    try:
        service.arm()
        add(backend, copy(OUTLETS[0]))
        report = service.run()  # does not raise
    finally:
        service.close()
    assert (report.sent, report.dead) == (1, 1)
    assert service.stats["alerts/dead_letters"] == 1
    assert len(http_receiver.received) == 1

    config = write_config(tmp_path, backend_store, [down, up])
    backend_store.close()  # the CLI opens the store itself
    assert newswatch(["alerts", "status", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "down/new/" in out and "after 3 tries" in out and "Connection error" in out
    assert newswatch(["status", "--config", str(config)]) == 0
    assert "1 DEAD LETTERS" in capsys.readouterr().out


def test_a_digest_sends_one_email_listing_each_story_with_its_outlets(
    backend, smtp_receiver: SmtpReceiver
):
    rule = {
        "name": "morning-brief",
        "kind": "new",
        "topics": ["dprk"],
        "mode": "digest",
        "cron": "0 7 * * *",
        "notify": [smtp_receiver.url()],
    }
    service = AlertService(alerts(rule), backend)
    try:
        service.arm()
        add(backend, copy(OUTLETS[0]), copy(OUTLETS[1]), copy(OUTLETS[0], SHELLS_STORY, 1))
        assert service.run().queued == 2  # two stories, nothing sent yet
        assert smtp_receiver.mailbox.messages == []
        assert service.digest("morning-brief").sent == 2
        assert service.digest("morning-brief").sent == 0  # nothing left to send
    finally:
        service.close()
    [mail] = smtp_receiver.mailbox.messages
    assert smtp_receiver.mailbox.recipients == [["analyst@example.org"]]
    assert mail["Subject"] == "[newswatch] morning-brief: 2 stories"
    text = mail.get_body(preferencelist=("plain", "html")).get_content()
    assert text.count("North Korean troops still fight for Russia") == 2
    assert f"Outlets (2): {OUTLETS[0]}, {OUTLETS[1]}" in text
    assert f"Outlets (1): {OUTLETS[0]}" in text


def test_a_surge_fires_once_per_window(backend, http_receiver):
    now = datetime.now(UTC)
    rule = {
        "name": "surge",
        "kind": "surge",
        "topics": ["dprk"],
        "window": "6h",
        "baseline": "7d",
        "factor": 3,
        "min_stories": 3,
        "notify": [http_receiver.url],
    }
    articles = [copy(OUTLETS[0], p, i) for i, p in enumerate([SEED_PARAGRAPHS, SHELLS_STORY])]
    # a quiet baseline: one story 3 days ago; then three within the last hours
    articles[0].published = now - timedelta(days=3)
    articles[1].published = now - timedelta(hours=1)
    add(backend, *articles)
    service = AlertService(alerts(rule), backend)
    try:
        assert service.run().sent == 0  # one story in the window: under min_stories
        third = copy(OUTLETS[1], [p[::-1] for p in SHELLS_STORY], 2)
        fourth = copy(OUTLETS[2], [p.upper()[::-1] for p in SEED_PARAGRAPHS], 3)
        for article in (third, fourth):
            article.published = now - timedelta(hours=2)
        add(backend, third, fourth)
        assert service.evaluator.surge_counts(service.config.rules[0], now)[0] == 3
        assert service.run().sent == 1
        assert service.run().sent == 0  # same window: once
    finally:
        service.close()
    assert "surge, 3 stories in 6h (baseline 0.0)" in http_receiver.titles()[0]


def write_config(tmp_path: Path, store: BackendStore, rules: list[dict[str, Any]]) -> Path:
    spec = store.spec
    index = index_settings(spec)
    config = {
        "state_dir": spec.get("state_dir", str(tmp_path / "state")),
        "index": index,
        "topics": [{"name": "dprk", "query": '"North Korea" OR "North Korean"'}],
        "sources": [{"name": "kyiv", "feeds": ["http://127.0.0.1:9/feed.xml"]}],
        "alerts": {"rules": rules, "retries": 1, "backoff": "0.05s"},
    }
    path = tmp_path / "newswatch.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def test_two_processes_running_at_once_send_each_alert_once(backend_store, http_receiver, tmp_path):
    backend = backend_store.current
    assert backend is not None
    rules = rules_for(http_receiver.url)
    config = write_config(tmp_path, backend_store, rules)
    service = AlertService(alerts(*rules), backend)
    service.arm()
    service.close()
    add(backend, *(copy(outlet, SEED_PARAGRAPHS, 0) for outlet in OUTLETS))
    add(backend, *(copy(outlet, SHELLS_STORY, 1) for outlet in OUTLETS))
    backend_store.close()
    command = [sys.executable, "-m", "crawler", "alerts", "run", "--json", "--config", str(config)]
    processes = [
        subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        reports.append(json.loads(out))
    # 2 stories x (new + spread): 4 alerts, each sent by exactly one of the two
    assert sum(report["sent"] for report in reports) == 4
    titles = http_receiver.titles()
    assert len(titles) == 4 and len(set(titles)) == 4


def test_the_scheduler_scans_after_crawls_that_stored_stories_and_plans_digests(
    tmp_path, http_receiver
):
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger

    from crawler.alerts.schedule import SchedulerAlerts
    from crawler.config import load_config
    from crawler.index.sqlite import SqliteBackend

    digest = {
        "name": "brief",
        "kind": "new",
        "query": "troops",
        "mode": "digest",
        "cron": "0 7 * * 1-5",
        "notify": [http_receiver.url],
    }
    path = tmp_path / "newswatch.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "topics": [{"name": "dprk", "query": "korea"}],
                "sources": [{"name": "kyiv", "feeds": ["http://127.0.0.1:9/feed.xml"]}],
                "alerts": {"rules": [rules_for(http_receiver.url)[0], digest]},
            }
        ),
        encoding="utf-8",
    )
    config = load_config(path, environ={})
    scheduler = BackgroundScheduler(timezone=UTC)
    with SqliteBackend(tmp_path / "index.sqlite3") as backend:
        hook = SchedulerAlerts.create(config, backend)
        assert hook is not None
        hook.install(scheduler)  # arms: stories from now on
        [job] = scheduler.get_jobs()
        assert job.id == "alerts:digest:brief" and isinstance(job.trigger, CronTrigger)
        add(backend, copy(OUTLETS[0]))
        hook.after_crawl({"stories_new": 0, "stories_updated": 0, "copies_merged": 0})
        assert http_receiver.received == []  # a crawl that stored nothing: no scan
        hook.after_crawl({"stories_new": 1})
        assert len(http_receiver.received) == 1
        hook.digest("brief")
        assert len(http_receiver.received) == 2
        hook.close()
    assert http_receiver.titles()[1] == "[newswatch] brief: 1 story"


def test_an_alert_whose_sender_died_is_sent_once_by_the_next_run(backend, http_receiver):
    from crawler.index.alert_state import AlertItem

    service = AlertService(alerts(rules_for(http_receiver.url)[0]), backend)
    try:
        # what a process killed between claiming and sending leaves behind
        orphan = AlertItem(
            "dprk-new/new/abc",
            "dprk-new",
            "new",
            "abc",
            "sending",
            created="2026-12-01T08:00:00Z",
            updated="2026-12-01T08:00:00Z",
        )
        orphan.payload = {
            "title": "Left behind",
            "outlets": ["NK News"],
            "outlet_count": 1,
            "first_seen": "2026-12-01T07:59:00Z",
            "link": "",
            "terms": [],
        }
        assert service.state.claim(orphan)
        assert service.run().sent == 1
        assert service.run().sent == 0
        assert service.status()["rules"][0]["sent"] == 1
    finally:
        service.close()
    assert http_receiver.titles() == ["[newswatch] dprk-new: new story: Left behind"]


def test_alerts_test_sends_a_sample_now(tmp_path, http_receiver, capsys):
    path = tmp_path / "newswatch.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "state_dir": str(tmp_path / "state"),
                "index": {"embedded": {"path": str(tmp_path / "index.sqlite3")}},
                "topics": [{"name": "dprk", "query": "korea"}],
                "sources": [{"name": "kyiv", "feeds": ["http://127.0.0.1:9/feed.xml"]}],
                "alerts": {"rules": rules_for(http_receiver.url)},
            }
        ),
        encoding="utf-8",
    )
    assert newswatch(["alerts", "test", "dprk-spread", "--config", str(path)]) == 0
    assert "dprk-spread: sent" in capsys.readouterr().out
    assert http_receiver.titles() == [
        "[newswatch] dprk-spread: spread to 3 outlets: Test alert of rule dprk-spread"
    ]
    assert newswatch(["alerts", "test", "nope", "--config", str(path)]) == 2
    assert "no rule 'nope'" in capsys.readouterr().err
