"""The unseen-outlet story web (bench/storyweb) is well-formed and its ground truth consistent.

These tests check the measuring stick, not the pipeline: nothing here crawls or
extracts with newswatch.
"""

from __future__ import annotations

import urllib.request
from collections import Counter
from html import unescape

import lxml.etree
import lxml.html
import pytest
from rouge_score.rouge_scorer import RougeScorer

from bench.storyweb import build_web, decide_topics, load_originals, plan_outlets
from bench.storyweb.metrics import (
    Result,
    copies_apart,
    dedup_pairs,
    merged_negatives,
    rouge,
    topics_by_story,
    topics_by_url,
)
from bench.storyweb.rouge import rouge_lsum
from bench.storyweb.server import StoryWebServer
from bench.storyweb.specials import MAX_SPLICE_SHARE
from crawler.base.urls import normalize_url


@pytest.fixture(scope="module")
def originals():
    return load_originals()


@pytest.fixture(scope="module")
def web(originals):
    return build_web(seed=0, originals=originals)


def _text(html: bytes) -> str:
    tree = lxml.html.document_fromstring(html)
    return " ".join(" ".join(tree.xpath("//body//text()")).split())


def test_every_copy_maps_to_a_story_and_every_page_shows_its_body(web):
    assert len([p for p in web.pages.values() if p.kind == "original"]) == 80
    for url, page in web.pages.items():
        story = web.stories[page.story]
        text = _text(web.page_html(url))
        if page.kind != "original":
            for paragraph in page.paragraphs:
                assert " ".join(paragraph.split()) in text, (url, paragraph[:60])
            for line in page.furniture:
                assert " ".join(line.split()) in text, (url, line)
                assert line not in page.paragraphs
        if story.origin == "original":
            wanted = [p for p in story.body if not (p.startswith("[") and p.endswith("]"))]
            assert page.paragraphs == wanted[: len(page.paragraphs)], url
            assert (page.kind == "truncated") == (len(page.paragraphs) < len(wanted)), url


def test_topic_truth_does_not_hinge_on_a_headline_or_an_optional_paragraph(originals, web):
    """Copies change headlines and drop optional paragraphs: the truth must not depend on them."""
    for original in originals:
        truth = web.stories[original.key].topics
        assert decide_topics("", original.paragraphs) == truth, original.key
        assert decide_topics(original.title, original.body) == truth, original.key


def test_on_topic_stories_are_copied_truncated_with_and_without_canonical(web):
    on = [k for k, s in web.stories.items() if s.topics and s.origin == "original"]
    assert len(on) >= 10
    assert {t for k in on for t in web.stories[k].topics} == set(web.topics)
    canonical = Counter()
    for key in on:
        copies = web.copies_of(key)
        assert len(copies) >= 4, key  # the original and three syndicated copies
        assert any(p.kind == "truncated" for p in copies), key
        canonical.update(p.canonical is not None for p in copies if p.kind == "truncated")
    assert canonical[True] and canonical[False]
    # Truncated copies whose own text lacks the topic words: a page-level decision drops them.
    assert any(
        not decide_topics("", p.paragraphs)
        for key in on
        for p in web.copies_of(key)
        if p.kind == "truncated"
    )


def test_furniture_makes_page_level_topic_decisions_wrong(web):
    """Teasers and follow/newsletter lines carry topic words onto off-topic pages."""
    fooled = Counter()
    for page in web.pages.values():
        truth = web.stories[page.story].topics
        seen = decide_topics(page.title, page.paragraphs + page.furniture)
        if seen - truth:
            fooled[page.kind] += 1
    assert fooled["teasers"] >= 5
    assert sum(fooled.values()) >= 20


def test_hard_negatives_are_stories_of_their_own(web):
    kinds = {s.origin for s in web.hard_negatives}
    assert kinds == {"splice", "roundup"}
    splice = next(p for p in web.pages.values() if p.kind == "splice")
    words = len(" ".join(splice.paragraphs).split())
    sources = [s for s in web.stories.values() if s.origin == "original"]
    for story in sources:
        shared = [p for p in splice.paragraphs if p in story.body]
        assert len(" ".join(shared).split()) <= MAX_SPLICE_SHARE * words
    assert sum(any(p in s.body for p in splice.paragraphs) for s in sources) == 2
    roundup = next(p for p in web.pages.values() if p.kind == "roundup")
    assert len(roundup.paragraphs) == 5 and web.stories["roundup"].topics
    for story in (web.stories["splice"], web.stories["roundup"]):
        assert story.topics == decide_topics(story.title, story.body)


def test_the_web_is_deterministic_per_seed(originals, web):
    again = build_web(seed=0, originals=originals)
    assert again.files == web.files and again.pages == web.pages
    other = build_web(seed=1, originals=originals)
    assert set(other.pages) != set(web.pages)


def test_served_listings_list_every_page(originals):
    server = StoryWebServer(plan_outlets(originals))
    with server:
        web = build_web(server.bases, seed=0, originals=originals)
        server.publish(web.files)
        listed = set()
        for key in web.outlets:
            for kind, urls in web.entry_points(key).items():
                for url in urls:
                    body = urllib.request.urlopen(url, timeout=10).read()
                    if kind == "homepages":  # feed discovery: the feed the page advertises
                        tree = lxml.html.document_fromstring(body)
                        (href,) = tree.xpath('//link[@rel="alternate"]/@href')
                        body = urllib.request.urlopen(href, timeout=10).read()
                    root = lxml.etree.fromstring(body)
                    found = root.xpath("//item/link/text() | //*[local-name()='loc']/text()")
                    found += root.xpath("//*[local-name()='entry']/*[local-name()='link']/@href")
                    listed.update(normalize_url(unescape(u)) for u in found)
        assert listed == {normalize_url(url) for url in web.pages}
        assert any("utm_" in p.listed_url for p in web.pages.values())
        page = next(p for p in web.pages.values() if p.listed_url != p.url)
        with urllib.request.urlopen(page.listed_url, timeout=10) as reply:
            assert reply.status == 200 and reply.read() == web.page_html(page.url)
        robots = urllib.request.urlopen(web.bases["lefil"] + "/robots.txt", timeout=10).read()
        assert b"Sitemap: " + web.entry_points("lefil")["sitemaps"][0].encode() in robots


def test_rouge_lsum_equals_rouge_score(originals):
    scorer = RougeScorer(["rougeLsum"], split_summaries=False)
    for original in originals[:12]:
        target = "\n".join(original.body)
        prediction = "\n".join([*original.paragraphs[1:], "Follow us on X.", original.title])
        expected = scorer.score(target, prediction)["rougeLsum"]
        got = rouge_lsum(target, prediction)
        assert got.fmeasure == pytest.approx(expected.fmeasure, abs=1e-12)
        assert got.precision == pytest.approx(expected.precision, abs=1e-12)


def _perfect(web) -> Result:
    """What an ideal pipeline keeps: every page of an on-topic story, on that story."""
    result = Result()
    for url, page in web.pages.items():
        story = web.stories[page.story]
        if story.topics:
            result.story_of[url] = page.story
            result.topics[page.story] = story.topics
            result.texts[page.story] = "\n".join(story.body)
    return result


def test_the_scores_reward_the_ideal_result_and_punish_each_mistake(web):
    ideal = _perfect(web)
    for score in (topics_by_story(web, ideal), topics_by_url(web, ideal), dedup_pairs(web, ideal)):
        assert (score.precision, score.recall) == (1.0, 1.0)
    assert not copies_apart(web, ideal) and not merged_negatives(web, ideal)
    assert rouge("\n".join(web.stories["APNews_0"].body), web.stories["APNews_0"].body).f1 == 1.0

    dropped = _perfect(web)
    truncated = next(
        p for p in web.pages.values() if p.kind == "truncated" and p.story in dropped.topics
    )
    del dropped.story_of[truncated.url]
    assert dedup_pairs(web, dropped).recall < 1.0 and topics_by_url(web, dropped).recall < 1.0
    assert copies_apart(web, dropped) == Counter({"truncated": 1})

    merged = _perfect(web)
    splice = next(p for p in web.pages.values() if p.kind == "splice")
    source = next(
        k
        for k, s in web.stories.items()
        if s.origin == "original" and splice.paragraphs[0] in s.body
    )
    merged.story_of[splice.url] = source
    assert dedup_pairs(web, merged).precision < 1.0
    assert merged_negatives(web, merged) == ["splice"]

    furnished = _perfect(web)
    off = next(
        k for k, s in web.stories.items() if not s.topics and web.copies_of(k)[0].kind == "original"
    )
    furnished.story_of[web.copies_of(off)[0].url] = off
    furnished.topics[off] = frozenset({"gaza-war"})
    assert topics_by_story(web, furnished).precision < 1.0
    assert topics_by_url(web, furnished).precision < 1.0
