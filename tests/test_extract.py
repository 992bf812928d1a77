"""Extraction on saved pages: the story text is there, the furniture is not.

In the style of trafilatura's realworld tests: each saved page under
tests/fixtures/pages/ is mapped to lines that must be in the text and lines
that must not.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.base import storytext
from crawler.extract import NotAnArticle, extract_article, is_furniture, strip_furniture
from tests.harness.newsweb.seed import seed_path

PAGES = Path(__file__).parent / "fixtures" / "pages"
SEED = seed_path()

# The furniture lines of the seed story (see ../shared/seed/README.md).
SEED_FURNITURE = [
    "Homepage News",
    "SFC KEITH J. GARDNER, Public domain, via Wikimedia Commons",
    "Others are reading now",
    "Also read",
    "Ads by MGDK",
]


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def seed_paragraphs() -> list[str]:
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    furniture = {"Others are reading now", "Also read", "Ads by MGDK"}
    # Skip the headline block on top: breadcrumb, two headlines, image credit.
    return [line for line in lines[6:] if line and line not in furniture]


@pytest.mark.parametrize("name", ["aggregator-seed.html", "plain-seed.html"])
def test_seed_story_extracts_to_its_paragraphs_only(name: str) -> None:
    article = extract_article(page(name), "https://outlet.example/news/nk", min_text_chars=400)
    lines = storytext.plain_lines(article.text)
    assert lines == seed_paragraphs()
    for furniture in SEED_FURNITURE:
        assert not any(furniture in line for line in lines), furniture
    assert article.title == "Ukraine warns of expanding North Korea role in war"


def test_metadata_from_jsonld_and_opengraph() -> None:
    article = extract_article(page("aggregator-seed.html"), "https://www.aggregator.example/x")
    assert article.authors == ["Aleksandra Nowak"]
    assert article.published == datetime(2026, 11, 20, 7, 15, tzinfo=UTC)
    assert article.updated == datetime(2026, 11, 20, 8, 40, tzinfo=UTC)
    assert article.site_name == "The Aggregator"
    assert article.language == "en"
    assert article.top_image == "https://cdn.aggregator.example/img/nk-soldiers.jpg"
    assert article.canonical_url.startswith(
        "https://www.aggregator.example/news/ukraine-warns-north-korea-role-war/"
    )
    assert "North Korea" in article.tags and "News" in article.tags
    assert article.description.startswith("Ukraine's intelligence services")


def test_metadata_from_the_page_when_nothing_is_declared() -> None:
    article = extract_article(page("plain-seed.html"), "https://digest.example/news/nk")
    assert article.authors == ["Daily Digest Desk"]
    # the byline's <time datetime>, not only the day
    assert article.published == datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
    assert article.site_name == ""  # not declared: the source's outlet name is used


def test_truncated_wire_copy_keeps_story_drops_inserts() -> None:
    article = extract_article(page("wire-copy-truncated.html"), "https://borderland.example/w")
    text = article.text
    assert text.startswith("Ukraine’s intelligence services say North Korea remains")
    assert "around 15,000 North Korean soldiers" in text
    for furniture in [
        "Also read",
        "Advertisement",
        "Read more at The Aggregator",
        "Photo: Ministry",
        "cookies",
        "Share this article",
        "Great reporting",
        "Borderland Post, 12 Frontier Street",
    ]:
        assert furniture not in text, furniture
    assert article.authors == ["Marta Kowalczyk"]
    assert article.language == "en"
    assert article.published == datetime(2026, 11, 21, 10, 5, tzinfo=UTC)
    assert article.canonical_url.startswith("https://borderland.example/world/2026/11/21/")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("tag-index.html", "not_article"),
        ("video-only.html", "not_article"),
        ("paywall-stub.html", "too_short"),
    ],
)
def test_pages_that_are_no_story_are_refused_with_a_reason(name: str, reason: str) -> None:
    with pytest.raises(NotAnArticle) as caught:
        extract_article(page(name), "https://borderland.example/x", min_text_chars=400)
    assert caught.value.reason == reason


def test_short_article_kept_when_minimum_allows_it() -> None:
    article = extract_article(
        page("paywall-stub.html"), "https://ledger.example/x", min_text_chars=50
    )
    assert "millions of shells" in article.text


@pytest.mark.parametrize(
    "line",
    [
        "Also read",
        "ALSO READ:",
        "Others are reading now",
        "Ads by MGDK",
        "Advertisement",
        "Homepage News",
        "Read more at Borderland Post",
        "Also read: Kim inspects artillery factory as exports grow",
        "SFC KEITH J. GARDNER, Public domain, via Wikimedia Commons",
        "Photo: Ministry of Defence of Ukraine",
        "Jane Smith/Reuters",
        "Comments (12)",
        "Licensing and reprints: sales@bws.example",
        "Reprints & permissions",
        "Posted by Dana Reyes on 11/23/2026 at 02:55 AM UTC",
        "Updated: 23 November 2026 14:05",
        "By Jane Doe and Li Wei",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Sources: Wiadomości, Ukrainian military intelligence (HUR), Fakt",
        "Troops still deployed",
        "He told Reuters that the troops had read more than one order.",
        "Also read by millions, the leaflets were dropped over the border towns at night.",
        "Read the full statement, officials said, before drawing conclusions about it.",
        "Published in 2024, the report found that 15,000 soldiers had died.",
        "Updated figures show 15,000 troops at the border",
        "By the end of the year the troops had rotated",
    ],
)
def test_prose_is_never_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_headline_repeated_on_top_is_dropped_once() -> None:
    text = "Homepage News Big story\nBig story\nFirst paragraph.\nBig story"
    assert strip_furniture(text, "Big story") == "First paragraph.\nBig story"


def test_visible_byline_and_timestamp_when_nothing_is_declared() -> None:
    article = extract_article(page("wire-bare.html"), "https://wire.example/a", min_text_chars=200)
    assert article.authors == ["Jonas Petraitis", "Peter Saar"]
    assert article.published == datetime(2026, 11, 25, 4, 38, tzinfo=UTC)
    assert article.title == "North Korean shells reach the front by rail, officials say"
    assert article.text.startswith("VILNIUS (BW) - Trains carrying North Korean artillery shells")
    for furniture in [
        "Also read",
        "Kremlin presses new pipeline deal",
        "Licensing and reprints",
        "Trust Principles",
        "reader_one",
    ]:
        assert furniture not in article.text, furniture


def test_visible_posted_line_gives_the_time_of_day() -> None:
    """A page with no metadata: its 'Posted by ... on' line must give the time, not
    just the day, or a later copy elsewhere would look older than this original."""
    body = "".join(
        f"<p>North Korean troops were seen near Kursk again on day {n}, officials said, "
        "as Russia and Ukraine traded artillery fire along the border region.</p>"
        for n in range(6)
    )
    html = (
        "<html><head><title>Troops seen near Kursk</title></head><body><div class='story'>"
        "<h1>Troops seen near Kursk</h1>"
        "<div class='posted'>Posted by Dana Reyes on 11/25/2026 at 03:56 PM UTC</div>"
        f"{body}</div></body></html>"
    )
    page = extract_article(html, "http://metro.test/stories/troops")
    assert page.published == datetime(2026, 11, 25, 15, 56, tzinfo=UTC)
    assert "Posted by" not in page.text
