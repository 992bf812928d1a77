"""The baseline a newcomer would wire up: plain trafilatura per page, the same topic queries
page by page, and syndicated copies grouped by canonical link or MinHashLSH(0.5); each
group's earliest listed page gives the story its text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import trafilatura
from datasketch import MinHash, MinHashLSH
from trafilatura.settings import Document

from bench.dedup_metrics import UnionFind
from bench.storyweb.metrics import Result
from bench.storyweb.model import topic_matchers
from crawler.base.urls import normalize_url

if TYPE_CHECKING:
    from bench.storyweb.model import StoryWeb

SHINGLE_WORDS = 5


def _shingles(text: str) -> set[bytes]:
    words = text.casefold().split()
    size = SHINGLE_WORDS
    return {" ".join(words[i : i + size]).encode() for i in range(max(1, len(words) - size + 1))}


def extract(web: StoryWeb) -> dict[str, tuple[str, str, str]]:
    """Page URL -> (title, text, declared canonical URL) by trafilatura.bare_extraction."""
    pages = {}
    for url in web.pages:
        document = trafilatura.bare_extraction(
            web.page_html(url).decode("utf-8"), url=url, with_metadata=True
        )
        if not isinstance(document, Document):
            pages[url] = ("", "", "")
            continue
        title, text = document.title or "", document.text or ""
        canonical = normalize_url(document.url, base=url) if document.url else ""
        pages[url] = (title, text, canonical)
    return pages


def run_baseline(web: StoryWeb) -> Result:
    pages = extract(web)
    matchers = topic_matchers()
    topics = {
        url: frozenset(
            name for name, match in matchers.items() if match({"title": title, "text": text})
        )
        for url, (title, text, _) in pages.items()
    }
    kept = sorted(url for url, found in topics.items() if found)
    groups = UnionFind(kept)
    by_url = {url: url for url in kept} | {pages[url][2]: url for url in kept if pages[url][2]}
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for url in kept:
        if pages[url][2] in by_url:
            groups.union(url, by_url[pages[url][2]])
        sketch = MinHash(num_perm=128)
        sketch.update_batch(list(_shingles(pages[url][1])))
        for other in lsh.query(sketch):
            groups.union(url, other)
        lsh.insert(url, sketch)
    result = Result()
    # The earliest copy its feed or sitemap dates stands for the story, as in newswatch.
    order = sorted(kept, key=lambda url: (web.pages[url].published, -len(pages[url][1])))
    for url, label in zip(order, groups.labels(order), strict=True):
        result.story_of[url] = label
        result.topics[label] = result.topics.get(label, frozenset()) | topics[url]
        result.texts.setdefault(label, pages[url][1])
    return result
