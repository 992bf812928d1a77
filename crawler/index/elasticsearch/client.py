"""An Elasticsearch client built from the `index.elasticsearch` config, and names of its indices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import Elasticsearch

if TYPE_CHECKING:
    from crawler.config.schema import ElasticsearchIndex


def make_client(config: ElasticsearchIndex, **overrides: Any) -> Elasticsearch:
    """A client with the configured URLs, credentials, CA and timeouts."""
    options: dict[str, Any] = {
        "request_timeout": config.request_timeout.total_seconds(),
        "max_retries": config.max_retries,
        "retry_on_timeout": True,
        "verify_certs": config.verify_certs,
    }
    if config.api_key:
        options["api_key"] = config.api_key
    elif config.username:
        options["basic_auth"] = (config.username, config.password or "")
    if config.ca_certs:
        options["ca_certs"] = str(config.ca_certs)
    options.update(overrides)
    return Elasticsearch(config.url, **options)


def redact_url(url: str) -> str:
    """The URL with any user:password@ removed, for logs and messages."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def describe(config: ElasticsearchIndex) -> str:
    """Where the index lives, safe to log: URLs without credentials, and how it authenticates."""
    in_url = any(urlsplit(url).password or urlsplit(url).username for url in config.url)
    auth = "api key" if config.api_key else "basic auth" if config.username or in_url else "no auth"
    urls = ", ".join(redact_url(url) for url in config.url)
    return f"{urls} ({auth}, prefix {config.index_prefix})"


@dataclass(frozen=True)
class IndexNames:
    """The names derived from `index_prefix`."""

    prefix: str

    @property
    def stories(self) -> str:
        """The write alias every story read and write goes through."""
        return f"{self.prefix}-stories"

    def stories_index(self, number: int) -> str:
        return f"{self.prefix}-stories-{number:06d}"

    @property
    def stories_pattern(self) -> str:
        return f"{self.prefix}-stories-*"

    @property
    def stories_template(self) -> str:
        return f"{self.prefix}-stories"

    @property
    def policy(self) -> str:
        return f"{self.prefix}-stories-policy"

    @property
    def runs(self) -> str:
        return f"{self.prefix}-runs"

    @property
    def seen(self) -> str:
        return f"{self.prefix}-seen"

    @property
    def locks(self) -> str:
        return f"{self.prefix}-locks"

    @property
    def alerts(self) -> str:
        return f"{self.prefix}-alerts"

    @property
    def searches(self) -> str:
        return f"{self.prefix}-searches"

    @property
    def held(self) -> str:
        return f"{self.prefix}-held"

    @property
    def furniture(self) -> str:
        return f"{self.prefix}-furniture"


def delete_indices(client: Elasticsearch, pattern: str) -> list[str]:
    """Delete the indices `pattern` matches, by name: clusters refuse wildcard deletes
    by default (action.destructive_requires_name)."""
    names = list(
        client.options(ignore_status=404).indices.get(index=pattern, expand_wildcards="all")
    )
    if names:
        client.indices.delete(index=names)
    return names
