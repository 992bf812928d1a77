"""The newswatch configuration: one YAML file, validated once at the edge."""

from crawler.config.load import DEFAULT_CONFIG, ConfigError, load_config
from crawler.config.schema import (
    Config,
    CrawlConfig,
    ElasticsearchIndex,
    EmbeddedIndex,
    IndexConfig,
    Source,
    Topic,
    parse_duration,
)

__all__ = [
    "DEFAULT_CONFIG",
    "Config",
    "ConfigError",
    "CrawlConfig",
    "ElasticsearchIndex",
    "EmbeddedIndex",
    "IndexConfig",
    "Source",
    "Topic",
    "load_config",
    "parse_duration",
]
