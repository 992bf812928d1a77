"""Stories: build one from its first copy, record further copies, merge two."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING, Any

from crawler.base.time import isoformat_utc
from crawler.story import Copy, Story

if TYPE_CHECKING:
    from crawler.items import Article
    from crawler.story import Story

# Fields the primary copy (the earliest published) gives the story.
PRIMARY_KEYS = (
    "url",
    "canonical_url",
    "outlet",
    "source",
    "title",
    "description",
    "text",
    "authors",
    "published",
    "updated",
    "language",
    "top_image",
    "tags",
)
# Band keys kept per story: about ten distinct copies' worth. Copies beyond that
# are near-identical to one already recorded, so their keys add little, and a
# bounded list keeps candidate look-ups and the document size flat.
MAX_BAND_KEYS = 640


def story_id(canonical_url: str) -> str:
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


def primary_fields(article: Article) -> dict[str, Any]:
    return {
        "url": article.url,
        "canonical_url": article.canonical_url,
        "outlet": article.outlet,
        "source": article.source,
        "title": article.title,
        "description": article.description,
        "text": article.text,
        "authors": list(article.authors),
        "published": isoformat_utc(article.published),
        "updated": isoformat_utc(article.updated),
        "language": article.language,
        "top_image": article.top_image,
        "tags": list(article.tags),
    }


def copy_record(article: Article, match: str, score: float | None, seen: str) -> Copy:
    """The copy of `article`. Its text is stored, not searched: the web app's story
    page diffs each copy against the primary one (what each outlet changed)."""
    return Copy(
        url=article.url,
        canonical_url=article.canonical_url,
        outlet=article.outlet,
        source=article.source,
        title=article.title,
        published=isoformat_utc(article.published),
        first_seen=seen,
        match=match,
        score=score,
        text=article.text,
        language=article.language,
    )


def _order(published: str | None, first_seen: str | None) -> tuple[int, str, str]:
    # Earliest published first; a copy without a date ranks after every dated one.
    return (0, published, first_seen or "") if published else (1, "", first_seen or "")


def _take_primary(story: Story, fields: dict[str, Any]) -> None:
    for key in PRIMARY_KEYS:
        setattr(story, key, fields[key])


def new_story(article: Article, content_hash: str, bands: list[str], seen: str) -> Story:
    story = Story(
        id=story_id(article.canonical_url),
        **primary_fields(article),
        topics=sorted(set(article.topics)),
        first_seen=seen,
        last_seen=seen,
        copies=[copy_record(article, "original", None, seen)],
        content_hashes=[content_hash],
        dedup_bands=list(dict.fromkeys(bands))[:MAX_BAND_KEYS],
        dedup_text=article.text,
    )
    refresh(story)
    return story


def _absorb(story: Story, article: Article, content_hash: str, bands: list[str]) -> None:
    """Fold a copy's topics, hash, band keys and body into the story's dedup state."""
    story.topics = sorted(set(story.topics) | set(article.topics))
    if content_hash not in story.content_hashes:
        story.content_hashes.append(content_hash)
    known = dict.fromkeys(story.dedup_bands)
    known.update(dict.fromkeys(bands))
    story.dedup_bands = list(known)[:MAX_BAND_KEYS]
    if len(article.text) > len(story.dedup_text):
        story.dedup_text = article.text


def add_copy(
    story: Story,
    article: Article,
    match: str,
    score: float | None,
    content_hash: str,
    bands: list[str],
    seen: str,
) -> None:
    """Record another outlet's copy; an earlier-published copy becomes primary."""
    record = copy_record(article, match, score, seen)
    story.copies.append(record)
    _absorb(story, article, content_hash, bands)
    if _order(record.published, seen) < _order(story.published, story.first_seen):
        _take_primary(story, primary_fields(article))
    story.last_seen = max(story.last_seen, seen)
    refresh(story)


def update_copy(
    story: Story, article: Article, content_hash: str, bands: list[str], seen: str
) -> bool:
    """Update the copy fetched again from the same URL; False when nothing changed."""
    index = next(i for i, c in enumerate(story.copies) if c.url == article.url)
    old = story.copies[index]
    changed = content_hash not in story.content_hashes or article.title != old.title
    story.last_seen = max(story.last_seen, seen)
    if not changed:
        return False
    story.copies[index] = copy_record(article, old.match, old.score, old.first_seen)
    _absorb(story, article, content_hash, bands)
    if story.url == article.url:
        _take_primary(story, primary_fields(article))
    refresh(story)
    return True


def merge(keep: Story, other: Story, match: str, score: float | None) -> Story:
    """`keep` with every copy of `other` added (reconciling two stories of one story)."""
    known = {c.url for c in keep.copies}
    extra = [dataclasses.replace(c) for c in other.copies if c.url not in known]
    for record in extra:
        if record.match == "original":
            record.match, record.score = match, score
    merged = dataclasses.replace(
        keep,
        copies=[*keep.copies, *extra],
        topics=sorted(set(keep.topics) | set(other.topics)),
        content_hashes=list(dict.fromkeys([*keep.content_hashes, *other.content_hashes])),
        dedup_bands=list(dict.fromkeys([*keep.dedup_bands, *other.dedup_bands]))[:MAX_BAND_KEYS],
        last_seen=max(keep.last_seen, other.last_seen),
    )
    if len(other.dedup_text) > len(keep.dedup_text):
        merged.dedup_text = other.dedup_text
    if _order(other.published, other.first_seen) < _order(keep.published, keep.first_seen):
        _take_primary(merged, {key: getattr(other, key) for key in PRIMARY_KEYS})
    refresh(merged)
    return merged


def refresh(story: Story) -> None:
    """Recompute the fields derived from the copies."""
    copies = story.copies
    urls = [u for c in copies for u in (c.url, c.canonical_url) if u]
    story.copy_urls = list(dict.fromkeys(urls))
    story.outlets = sorted({c.outlet for c in copies if c.outlet})
    story.outlet_count = len(story.outlets)
    story.first_seen = min(c.first_seen for c in copies)
