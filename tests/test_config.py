"""The config file: validated once, errors name the file, the key and the expectation."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from crawler.config import DEFAULT_CONFIG, ConfigError, load_config

VALID = """
topics:
  - name: dprk
    query: '"North Korea" AND Russia'
sources:
  - name: outlet-a
    feeds: [http://127.0.0.2/feed.xml]
    every: 15m
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newswatch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_default_config_is_valid() -> None:
    config = load_config()
    assert config.index.backend == "embedded"
    assert config.topics[0].name == "dprk-russia-war"
    assert len(config.sources) >= 5
    assert all(source.feeds for source in config.sources)


def test_durations_and_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID), environ={})
    source = config.source("outlet-a")
    assert source.every == timedelta(minutes=15)
    assert source.max_age == timedelta(days=7)
    assert config.index.elasticsearch.url == ["http://localhost:9200"]


def test_environment_overrides_server_settings(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, VALID),
        environ={
            "NEWSWATCH_ELASTICSEARCH_URL": "https://a:9200,https://b:9200",
            "NEWSWATCH_INDEX_BACKEND": "elasticsearch",
            "NEWSWATCH_ELASTICSEARCH_PASSWORD": "s3cret",
        },
    )
    assert config.index.backend == "elasticsearch"
    assert config.index.elasticsearch.url == ["https://a:9200", "https://b:9200"]
    assert config.index.elasticsearch.password == "s3cret"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (VALID.replace("every: 15m", "every: soon"), "sources[outlet-a].every"),
        (VALID.replace("every: 15m", "evry: 15m"), "sources[outlet-a].evry"),
        (VALID.replace('"North Korea" AND Russia', "(Korea"), "topics[dprk].query"),
        (VALID + "index:\n  backend: mongo\n", "index.backend"),
        (VALID.replace("    feeds: [http://127.0.0.2/feed.xml]\n", ""), "sources[outlet-a]"),
        ("sources: []\n", "topics"),
    ],
)
def test_errors_name_file_key_and_expectation(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert str(path) in message
    assert expected in message


def test_bad_value_is_quoted_with_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("every: 15m", "every: soon"))
    with pytest.raises(ConfigError, match=r"expected a duration .* \(got 'soon'\)"):
        load_config(path, environ={})


def test_missing_and_unparseable_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the config file"):
        load_config(tmp_path / "absent.yaml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "topics: [\n"))


def test_cli_exits_non_zero_before_crawling_on_bad_config(tmp_path: Path) -> None:
    path = write(tmp_path, VALID.replace("every: 15m", "every: soon"))
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "search", "--config", str(path), "korea"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "sources[outlet-a].every" in result.stderr
    assert "Traceback" not in result.stderr


def test_default_config_path_is_inside_the_package() -> None:
    assert DEFAULT_CONFIG.is_file()
