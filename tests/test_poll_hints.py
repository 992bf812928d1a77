"""Polling hints: read from HTTP and the feed, reported in the summary, honoured by the policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.config.schema import SchedulerConfig, Source
from crawler.crawl import hints
from crawler.crawl.summary import summarize
from crawler.listings.feeds import read_feed
from crawler.middlewares.backoff import BackoffRetryMiddleware
from crawler.middlewares.hints import PollHintsMiddleware
from scheduler.adaptive import IntervalPolicy
from tests.harness.newsweb import polite

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
BOUNDS = SchedulerConfig(min_every=timedelta(minutes=5), max_every=timedelta(hours=24))
QUIET = {"stories_new": 1, "seen_skipped": 3}  # a mixed run: `every` stays


def crawler_for(settings: dict[str, object] | None = None) -> Crawler:
    crawler = get_crawler(Spider, settings)
    crawler.spider = crawler._create_spider("test")
    return crawler


def respond(middleware: PollHintsMiddleware, kind: str, status: int, **headers: str) -> None:
    request = Request("https://outlet.example/feed.xml", meta={"page_kind": kind})
    headers = {k.replace("_", "-"): v for k, v in headers.items()}
    middleware.process_response(request, Response(request.url, status=status, headers=headers))


# -- reading the hints ---------------------------------------------------------------
def test_header_values_are_read_as_seconds() -> None:
    assert hints.max_age("public, max-age=600") == 600
    assert hints.max_age('max-age="60", must-revalidate') == 60
    assert hints.max_age("no-cache, max-age=600") is None  # no-cache: revalidate every time
    assert hints.max_age("s-maxage=600") is None
    date = "Sat, 05 Dec 2026 12:00:00 GMT"
    assert hints.expires_in("Sat, 05 Dec 2026 14:00:00 GMT", date) == 7200
    assert hints.expires_in("Sat, 05 Dec 2026 11:00:00 GMT", date) is None  # already past
    assert hints.expires_in("0", date) is None  # "already expired", as servers write it
    assert hints.retry_after("120") == 120
    assert hints.retry_after("Sat, 05 Dec 2026 13:00:00 GMT", now=NOW) == 3600
    assert hints.retry_after("soon") is None
    assert hints.retry_after("99999999") == hints.MAX_HINT  # a bad header cannot stop a source
    assert hints.ttl_seconds("90") == 5400
    assert hints.ttl_seconds("0") is hints.ttl_seconds("x") is None
    assert hints.update_period_seconds("hourly", "2") == 1800
    assert hints.update_period_seconds("daily", "") == 86400
    assert hints.update_period_seconds("fortnightly", "1") is None


def test_the_middleware_records_listing_lifetimes_and_throttling_as_stats() -> None:
    crawler = crawler_for()
    middleware = PollHintsMiddleware.from_crawler(crawler)
    respond(middleware, "feed", 200, cache_control="max-age=600")
    respond(middleware, "sitemap", 304, cache_control="max-age=1200")  # largest wins
    respond(middleware, "article", 200, cache_control="max-age=99999")  # not the source's
    respond(middleware, "feed", 200, expires="Sat, 05 Dec 2026 14:00:00 GMT",
            date="Sat, 05 Dec 2026 12:00:00 GMT")  # fmt: skip
    respond(middleware, "article", 429, retry_after="300")
    respond(middleware, "feed", 503, retry_after="60")
    stats = crawler.stats.get_stats()
    assert stats[hints.MAX_AGE] == 1200
    assert stats[hints.EXPIRES] == 7200
    assert stats[hints.RETRY_AFTER] == 300
    assert stats[hints.THROTTLED] == 2
    assert stats[hints.LISTINGS_ANSWERED] == 3
    summary = summarize(stats, ["a"])
    assert summary["hints"] == {
        "max_age_s": 1200.0,
        "expires_s": 7200.0,
        "retry_after_s": 300.0,
        "throttled": 2,
        "listings_answered": 3,
    }


def test_a_retry_after_longer_than_a_crawl_waits_is_left_to_the_scheduler() -> None:
    crawler = crawler_for({"RETRY_BACKOFF_MAX": 60})
    retry = BackoffRetryMiddleware.from_crawler(crawler)
    request = Request("https://outlet.example/feed.xml")
    far = Response(request.url, status=429, headers={"Retry-After": "3600"}, request=request)
    assert retry.process_response(request, far) is far  # no retry now
    assert crawler.stats.get_value("crawl/retry_after_deferred") == 1
    near = Response(request.url, status=429, headers={"Retry-After": "5"}, request=request)
    assert isinstance(retry.process_response(request, near), Request)  # retried, as before


def test_the_feed_says_its_ttl_and_update_period() -> None:
    body = polite.with_channel_hints(
        '<rss version="2.0"><channel><title>t</title>'
        "<item><link>https://outlet.example/a</link></item></channel></rss>",
        polite.TTL,
    )
    feed = read_feed(body.encode())
    assert [e.url for e in feed.entries] == ["https://outlet.example/a"]
    assert (feed.hints.ttl, feed.hints.update_period, feed.hints.update_frequency) == (
        "90", "hourly", "2",
    )  # fmt: skip
    item_ttl = b'<rss version="2.0"><channel><item><ttl>5</ttl></item></channel></rss>'
    assert read_feed(item_ttl).hints.ttl == ""  # only the channel's counts


# -- honouring them ------------------------------------------------------------------
def policy(source: Source | None = None, **config: object) -> IntervalPolicy:
    bounds = BOUNDS.model_copy(update=config) if config else BOUNDS
    return IntervalPolicy.for_source(timedelta(minutes=10), bounds, source)


def test_cache_lifetimes_and_feed_periods_floor_the_interval_up_to_the_upper_bound() -> None:
    p = policy()
    state = p.after_run(p.initial(), "ok", {**QUIET, "hints": {"max_age_s": 3600}})
    assert p.effective(state) == 3600
    # A 304 carries no feed: the last feed's <ttl> stands; new headers replace the old.
    state = p.after_run(state, "ok", {**QUIET, "hints": {"feeds_read": 1, "ttl_s": 5400}})
    assert p.effective(state) == 5400
    state = p.after_run(state, "ok", {**QUIET, "hints": {"listings_answered": 1}})
    assert p.effective(state) == 5400
    state = p.after_run(state, "ok", {**QUIET, "hints": {"feeds_read": 1}})  # ttl dropped
    assert p.effective(state) == 600
    week = {**QUIET, "hints": {"feeds_read": 1, "update_period_s": 7 * 86400}}
    assert p.effective(p.after_run(state, "ok", week)) == 86400  # capped at max_every


def test_retry_after_is_honoured_in_full_and_counts_as_a_failure() -> None:
    p = policy()
    refused = {"pages_fetched": 2, "errors": {"http_429": 1},
               "hints": {"throttled": 1, "retry_after_s": 2 * 86400}}  # fmt: skip
    state = p.after_run(p.initial(), "ok", refused)
    assert state.failures == 1
    assert p.effective(state) == 2 * 86400  # beyond max_every: the server said so
    state = p.after_run(state, "ok", {**QUIET, "hints": {"listings_answered": 1}})
    assert (state.failures, p.effective(state)) == (0, 600)


def test_per_source_bounds_override_the_schedulers() -> None:
    source = Source(name="s", feeds=["https://outlet.example/feed"], max_every="1h")
    p = policy(source)
    state = p.after_run(p.initial(), "ok", {**QUIET, "hints": {"max_age_s": 86400}})
    assert p.effective(state) == 3600
    with pytest.raises(ValueError, match="longer than max_every"):
        Source(name="s", feeds=["https://x.example/f"], min_every="2h", max_every="1h")
    with pytest.raises(ValueError, match="longer than max_every"):
        SchedulerConfig(min_every="2d", max_every="1d")


def test_persistent_failures_back_off_then_pause_and_an_answer_resumes() -> None:
    p = policy(pause_after=3)
    state = p.initial()
    seen = []
    for _ in range(4):
        state = p.after_run(state, "failed", {}, "exit code 1: connection refused")
        seen.append((p.effective(state), state.paused is not None))
    assert seen == [(1200, False), (2400, False), (86400, True), (86400, True)]
    assert state.paused == "3 consecutive failures; last: exit code 1: connection refused"
    state = p.after_run(state, "ok", QUIET)  # the probe at max_every was answered
    assert (state.paused, state.failures, p.effective(state)) == (None, 0, 600)


def test_a_feed_that_is_gone_counts_as_a_failure_though_the_crawl_fetched_pages() -> None:
    p = policy(pause_after=1)
    gone = {"pages_fetched": 2, "errors": {"http_404": 1}, "hints": {}}
    state = p.after_run(p.initial(), "ok", gone)
    assert state.paused == "1 consecutive failures; last: no listing answered: http_404 1"
    old = {"pages_fetched": 2, "errors": {"http_404": 1}}  # a summary from before the hints
    assert p.after_run(p.initial(), "ok", old).failures == 0
