"""Pages that are not story copies: non-article pages and the bad cases, as data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from tests.harness.newsweb import damaged
from tests.harness.newsweb.model import Outlet, SpecialPage

# (outlet, path, kind, listed in feed/sitemap, title, what a crawler should see)
_PAGES: tuple[tuple[str, str, str, bool, str, str], ...] = (
    (
        "frontline",
        "/video/kim-sees-off-troops-bound-for-russia/",
        "video",
        True,
        "Video: Kim Jong Un sees off troops bound for Russia",
        "a video player and a one-line caption: not an article",
    ),
    (
        "observer",
        "/world/video/2026/kursk-front-drone-footage",
        "video",
        True,
        "Drone footage shows North Korean positions near Kursk",
        "a video player and a one-line caption: not an article",
    ),
    (
        "observer",
        "/world/premium/inside-the-pyongyang-moscow-arms-pipeline",
        "paywall",
        True,
        "Inside the Pyongyang-Moscow arms pipeline",
        "one short paragraph and a subscribe box: below any minimum length",
    ),
    (
        "ledger",
        "/news/exclusive-north-korean-officers-in-donbas.html",
        "paywall",
        True,
        "Exclusive: North Korean officers seen in Donbas",
        "one short paragraph and a subscribe box: below any minimum length",
    ),
    (
        "metro",
        "/stories/north-korean-troops-story-removed",
        "not_found",
        True,
        "North Korean troops story (removed)",
        "HTTP 404",
    ),
    (
        "metro",
        "/stories/kursk-front-live-updates",
        "server_error",
        True,
        "Kursk front: live updates on North Korean units",
        "HTTP 500 on every attempt",
    ),
    (
        "metro",
        "/stories/slow-analysis-russia-north-korea-pact",
        "slow",
        True,
        "Analysis: what the Russia-North Korea pact means",
        "headers only after the configured delay (--slow-delay, default 5 s)",
    ),
    (
        "metro",
        "/stories/loop-a",
        "redirect_loop",
        True,
        "North Korea and Russia: a timeline",
        "302 to /stories/loop-b, which 302s back",
    ),
    ("metro", "/stories/loop-b", "redirect_loop", False, "", "302 to /stories/loop-a"),
    (
        "metro",
        "/stories/moved-to-partner-site",
        "offsite_redirect",
        True,
        "Pyongyang sends more troops to Russia, partner site reports",
        "302 to a page on the off-site host (not in any allowed_domains)",
    ),
    (
        "metro",
        "/stories/kim-putin-summit-photos.html",
        "binary_png",
        True,
        "Photos: Kim and Putin at the Vostochny summit",
        "PNG bytes served as text/html",
    ),
    (
        "metro",
        "/stories/un-report-north-korea-russia-arms.html",
        "binary_pdf",
        True,
        "UN report on North Korean arms for Russia",
        "PDF bytes served as application/pdf",
    ),
    (
        "metro",
        "/stories/live-blog-war-in-ukraine",
        "oversized",
        True,
        "Live blog: war in Ukraine, North Korean troops at the front",
        "12 MB of HTML with a Content-Length header",
    ),
    (
        "metro",
        "/stories/live-blog-endless",
        "oversized_stream",
        True,
        "Live blog: Russia, Ukraine and North Korea, all day",
        "12 MB of HTML, chunked, no Content-Length",
    ),
    (
        "metro",
        "/feeds/culture.xml",
        "malformed_feed",
        False,
        "",
        "an RSS document cut off mid-element with an undefined entity",
    ),
    (
        "observer",
        "/sitemaps/archive.xml",
        "truncated_sitemap",
        True,
        "",
        "a urlset cut off mid-<url>; listed in the sitemap index",
    ),
    (
        "elsewhere",
        "/a/pyongyang-sends-more-troops-to-russia",
        "offsite_target",
        False,
        "Pyongyang sends more troops to Russia",
        "an on-topic article on a host no source allows: must never be fetched",
    ),
)
TAGS = ("north-korea", "russia")


def special_pages(now: datetime, outlets: Iterable[Outlet]) -> list[SpecialPage]:
    """The table above plus each outlet's homepage, section and tag pages (all non-articles)."""
    published = now - timedelta(hours=20)
    pages = [
        SpecialPage(outlet, path, kind, listed, expect, title, published)
        for outlet, path, kind, listed, title, expect in _PAGES
    ]
    pages += damaged.special_pages(published)
    for outlet in outlets:
        pages.append(SpecialPage(outlet.key, "/", "home", False, "links to articles", outlet.name))
        for section in outlet.sections:
            pages.append(
                SpecialPage(
                    outlet.key,
                    f"/section/{section}",
                    "section",
                    False,
                    "a list of links: not an article",
                    section.replace("-", " ").title(),
                )
            )
        for tag in TAGS:
            pages.append(
                SpecialPage(
                    outlet.key,
                    f"/tag/{tag}",
                    "tag",
                    False,
                    "a list of links: not an article",
                    tag.replace("-", " ").title(),
                )
            )
    return pages
