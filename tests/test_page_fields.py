"""A page's fields are declared once (crawler/base/page.py) and reach every stage."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from crawler.base.page import PAGE_FIELDS, PageFields
from crawler.dedup.story import copy_record, new_story
from crawler.extract import ExtractedPage
from crawler.extract.metadata import PageMetadata
from crawler.items import Article
from crawler.story import Copy, Story


def test_every_stage_carries_every_page_field() -> None:
    for record in (PageMetadata, ExtractedPage, Article):
        assert issubclass(record, PageFields)
    stored = {f.name for f in fields(Story)}
    assert set(PAGE_FIELDS) <= stored


def test_an_article_reaches_its_story_and_copy_whole() -> None:
    published = datetime(2026, 11, 20, 7, 15, tzinfo=UTC)
    article = Article(
        url="https://a.example/1",
        canonical_url="https://a.example/1",
        source="a",
        outlet="A",
        title="Title",
        text="## Head\nA paragraph of the story.",
        description="Lede",
        authors=["Ann Ko"],
        published=published,
        language="en",
        top_image="https://a.example/1.jpg",
        tags=["war"],
    )
    story = new_story(article, "hash", ["0:aa"], "2026-11-20T08:00:00Z")
    for name in PAGE_FIELDS:
        expected = getattr(article, name)
        if isinstance(expected, datetime):
            expected = "2026-11-20T07:15:00Z"
        assert getattr(story, name) == expected, name
    assert Story.from_document(story.to_document()) == story
    copy = copy_record(article, "near", 0.9, "2026-11-20T08:00:00Z")
    assert Copy.from_document(copy.to_document()) == copy
    assert copy.text == article.text and copy.published == "2026-11-20T07:15:00Z"
