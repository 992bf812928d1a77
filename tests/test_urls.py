"""URL normalisation: the same page always gets the same spelling."""

from __future__ import annotations

import pytest

from crawler.base.urls import host_of, is_tracking_param, normalize_url, on_domains


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # tracking parameters of every family go, real ones stay (sorted)
        (
            "https://news.example/a?utm_source=tw&utm_medium=social&id=7",
            "https://news.example/a?id=7",
        ),
        ("https://news.example/a?fbclid=IwAR0&gclid=x&mc_cid=1&mc_eid=2", "https://news.example/a"),
        ("https://news.example/a?igshid=abc&page=2", "https://news.example/a?page=2"),
        ("https://news.example/a?UTM_Campaign=x", "https://news.example/a"),
        ("https://news.example/a?b=2&a=1", "https://news.example/a?a=1&b=2"),
        # fragments, case of scheme and host, default ports
        ("https://news.example/a#comments", "https://news.example/a"),
        ("HTTPS://News.Example/Story", "https://news.example/Story"),
        ("http://news.example:80/a", "http://news.example/a"),
        ("https://news.example:443/a", "https://news.example/a"),
        ("http://news.example:8080/a", "http://news.example:8080/a"),
        # the path keeps its case; percent-encoding is made uniform
        ("https://news.example/Caf%c3%a9", "https://news.example/Caf%C3%A9"),
        ("https://news.example/Café", "https://news.example/Caf%C3%A9"),
        ("https://news.example", "https://news.example/"),
        ("https://user:secret@news.example/a", "https://news.example/a"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_tracking_variants_collapse_onto_one_url() -> None:
    variants = [
        "https://Outlet.example/world/kim-troops?utm_source=rss&utm_medium=feed",
        "https://outlet.example:443/world/kim-troops?fbclid=abc#top",
        "https://outlet.example/world/kim-troops",
    ]
    assert len({normalize_url(v) for v in variants}) == 1


def test_relative_url_resolved_against_base() -> None:
    assert normalize_url("../b?utm_id=1", "https://x.example/a/c/d") == "https://x.example/a/b"


def test_tracking_param_names() -> None:
    assert is_tracking_param("utm_content")
    assert is_tracking_param("fbclid")
    assert not is_tracking_param("id")
    assert not is_tracking_param("utmost")


def test_domains() -> None:
    assert host_of("http://127.0.0.3:8123/a") == "127.0.0.3"
    assert on_domains("https://www.outlet.example/a", {"outlet.example"})
    assert not on_domains("https://evil-outlet.example/a", {"outlet.example"})
