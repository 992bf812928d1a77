"""What a spider yields: one fetched article page, extracted and normalised."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crawler.dedup.signature import DedupSignature


@dataclass
class Article:
    """One outlet's copy of a story, as extracted from its page.

    Times are timezone-aware UTC. `url` is the normalised URL the page was
    fetched from; `canonical_url` is the normalised `rel=canonical`/`og:url`
    when the page declares one on the same story, else `url`.
    """

    url: str
    canonical_url: str
    source: str  # the configured source name that led to the page
    outlet: str  # human-readable outlet name (site name, else source's outlet)
    title: str
    text: str
    description: str = ""
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    updated: datetime | None = None
    language: str | None = None
    top_image: str | None = None
    tags: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # filled by the topic pipeline
    fetched_at: datetime | None = None
    listed_updated: datetime | None = None  # lastmod/updated from the feed or sitemap
    # Made with the extraction (in a worker process); dedup checks it signs `text`.
    signature: DedupSignature | None = field(default=None, repr=False, compare=False)
