"""What a configured source lets the crawler visit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.base.urls import host_of

if TYPE_CHECKING:
    from crawler.config import Source


def source_domains(source: Source) -> frozenset[str]:
    """The source's allowed domains, or the hosts of its entry points when none are set."""
    if source.allowed_domains:
        return frozenset(d.lower().strip(".") for d in source.allowed_domains)
    urls = [*source.feeds, *source.sitemaps, *source.homepages]
    # www.outlet.example lists links to outlet.example and m.outlet.example too.
    return frozenset(host.removeprefix("www.") for host in map(host_of, urls) if host)
