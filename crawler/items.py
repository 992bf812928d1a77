"""What a spider yields: one fetched article page, extracted and normalised."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from crawler.base.page import PageFields


@dataclass(kw_only=True)
class Article(PageFields):
    """One outlet's copy of a story, as extracted from its page: the page's fields
    (crawler/base/page.py) and what the crawl knows about it.

    Times are timezone-aware UTC. `url` is the normalised URL the page was
    fetched from; `canonical_url` is the normalised `rel=canonical`/`og:url`
    when the page declares one on the same story, else `url`.
    """

    url: str
    canonical_url: str
    source: str  # the configured source name that led to the page
    outlet: str  # human-readable outlet name (site name, else source's outlet)
    topics: list[str] = field(default_factory=list)  # filled by the topic pipeline
    fetched_at: datetime | None = None
    listed_updated: datetime | None = None  # lastmod/updated from the feed or sitemap
    # Made by the step that last changes `text` (crawler/pipelines/furniture.py, in a
    # worker process); dedup checks that it signs `text`.
    signature: DedupSignature | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class DedupSignature:
    """A body's normal form and signature: what dedup compares, computed once per text.

    Computing it is CPU-bound Python, so the crawl has it made once, in its worker
    processes (crawler/crawl/extraction.py), by the step that last changes the text;
    `text_digest` ties it to the text it was made from, so a text changed since is
    never judged by a stale signature.
    """

    text_digest: str
    paragraphs: list[list[str]]
    content_hash: str  # "" when no body word is left
    bands: list[str]

    def signs(self, text: str) -> bool:
        """Whether this is the signature of `text`."""
        return self.text_digest == text_digest(text)


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
