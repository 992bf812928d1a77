"""Alert rules in the config: refused with file, rule and problem; secrets from the
environment, never printed; the term pre-filter picks the same rules as trying them all."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import pytest
import yaml

from crawler.alerts.delivery import Sender
from crawler.alerts.match import RuleIndex, story_document
from crawler.alerts.message import Message
from crawler.cli import main as newswatch
from crawler.config import ConfigError, load_config
from crawler.config.alerts import AlertRule
from tests.fixtures.backends import make_story

if TYPE_CHECKING:
    from pathlib import Path

TOPIC = {"name": "dprk", "query": '"North Korea" OR Pyongyang'}
SOURCE = {"name": "kyiv", "feeds": ["http://127.0.0.1:9/feed.xml"]}


def write(tmp_path: Path, *rules: dict) -> Path:
    path = tmp_path / "newswatch.yaml"
    config = {"topics": [TOPIC], "sources": [SOURCE], "alerts": {"rules": list(rules)}}
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


def rule(**fields: object) -> dict:
    return {
        "name": "troops",
        "kind": "new",
        "query": "troops",
        "notify": ["json://127.0.0.1/x"],
    } | (fields)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"query": "troops AND (kursk"}, "alerts.rules[troops].query"),
        ({"query": "troop~2"}, "fuzzy"),
        ({"notify": ["nosuchservice://token"]}, "apprise cannot use this nosuchservice:// URL"),
        ({"notify": ["not a url"]}, "expected an apprise URL"),
        ({"notify": ["slack://${NO_SUCH_SECRET}"]}, "NO_SUCH_SECRET is not set"),
        ({"kind": "spread", "min_outlets": 1}, "min_outlets"),
        ({"mode": "digest"}, "needs either 'every' or 'cron'"),
        ({"mode": "digest", "cron": "61 * * * *"}, "cron"),
        ({"query": "", "topics": []}, "needs a 'query' or 'topics'"),
        ({"topics": ["no-such-topic"]}, "alerts.rules[troops].topics: unknown topic"),
        ({"kind": "often"}, "alerts.rules[troops].kind"),
        ({"languages": ["en", "english please"]}, "'english please' is no language code"),
    ],
)
def test_an_invalid_rule_is_refused_naming_file_rule_and_problem(tmp_path, fields, problem):
    path = write(tmp_path, rule(**fields))
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ={})
    message = str(raised.value)
    assert str(path) in message
    assert "troops" in message
    assert problem in message


def test_secrets_come_from_the_environment_and_are_never_printed(tmp_path, capsys):
    secret = "xoxb-very-secret-token-1234"
    path = write(tmp_path, rule(notify=["json://127.0.0.1:9/${HOOK_TOKEN}"]))
    config = load_config(path, environ={"HOOK_TOKEN": secret})
    assert config.alerts.rules[0].notify == [f"json://127.0.0.1:9/{secret}"]

    # a failing delivery's log names the service, never the token
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        outcome = Sender(retries=1, backoff=0, sleep=lambda s: None).send(
            "troops", config.alerts.rules[0].notify, Message("t", "b")
        )
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    assert not outcome.ok and outcome.attempts == 2
    logged = "\n".join(r.getMessage() for r in records)
    assert "json://" in logged
    assert secret not in logged and secret not in (outcome.error or "")

    os.environ["HOOK_TOKEN"] = secret
    try:
        assert newswatch(["alerts", "list", "--config", str(path)]) == 0
    finally:
        del os.environ["HOOK_TOKEN"]
    out = capsys.readouterr().out
    assert "troops" in out and "json://" in out and secret not in out


STORIES = [
    make_story("https://a.example/1", title="Kursk offensive stalls", text="Troops dig in."),
    make_story("https://a.example/2", title="Pyongyang ships shells", text="Rail to Russia."),
    make_story("https://a.example/3", title="Seoul summit", text="Talks on trade and tariffs."),
    make_story("https://a.example/4", title="Kim visits Moscow", text="North Korea's leader."),
]
QUERIES = [
    "kursk",
    "troops AND kursk",
    '"north korea" OR pyongyang',
    "shell*",
    "-kursk",
    "NOT seoul AND (trade OR troops)",
    "outlet:independent",
    "title:summit",
    "moscow AND NOT kim",
    "(rail OR talks) AND (russia OR tariffs)",
]


def test_the_term_prefilter_picks_the_rules_trying_every_rule_picks():
    rules = [
        AlertRule(name=f"r{i}", kind="new", query=q, notify=["json://127.0.0.1/x"])
        for i, q in enumerate(QUERIES)
    ]
    fast, naive = RuleIndex(rules), RuleIndex(rules, prefilter=False)
    seen = set()
    for story in STORIES:
        picked = [c.rule.name for c, _ in fast.matching(story)]
        assert picked == [c.rule.name for c, _ in naive.matching(story)]
        seen.update(picked)
        # the pre-filter skips most rules for a story that shares no words with them
        assert len(fast.candidates(story_document(story))) < len(rules)
    assert len(seen) >= 7  # the cases above really match something
