"""The mock news web serves what its ground truth says, including every bad case."""

from __future__ import annotations

import html
import http.client
import itertools
import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from crawler.config import load_config
from crawler.query import matches, parse_query
from tests.fixtures.newsweb import world_config
from tests.harness.newsweb import VARIATIONS, build_world
from tests.harness.newsweb.client import start_newsweb
from tests.harness.newsweb.config import default_topics
from tests.harness.newsweb.seed import SEED_FURNITURE, load_seed

if TYPE_CHECKING:
    from tests.harness.newsweb.client import NewsWeb

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rss1": "http://purl.org/rss/1.0/",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def fetch(
    url: str, headers: dict[str, str] | None = None, timeout: float = 10.0, limit: int | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One GET without following redirects; reads at most `limit` bytes of the body."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    try:
        conn.request(
            "GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {}
        )
        response = conn.getresponse()
        body = response.read(limit) if limit else response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def text_of(page: bytes, charset: str = "utf-8") -> str:
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.decode(charset)))
    return " ".join(text.split())


# -- the server and its documents ------------------------------------------------------


def test_every_outlet_answers_on_its_own_address(newsweb: NewsWeb) -> None:
    hosts = {urlsplit(base).hostname for base in newsweb.bases.values()}
    assert len(hosts) == len(newsweb.world.outlets) >= 5
    assert len({urlsplit(base).port for base in newsweb.bases.values()}) == 1
    for outlet in newsweb.world.outlets:
        status, _, body = fetch(newsweb.homepage_url(outlet.key))
        assert status == 200
        assert outlet.name.encode() in body


def test_a_second_web_runs_beside_the_session_one(newsweb: NewsWeb) -> None:
    with start_newsweb(seed=5) as other:
        assert other.port != newsweb.port
        copy = other.world.copies[1]
        status, _, body = fetch(other.copy_url(copy))
        assert status == 200 and copy.title in text_of(body)
        assert other.world.story("troops-kursk").text != newsweb.world.story("troops-kursk").text
    assert other.process.poll() is not None


def test_feeds_parse_in_their_declared_format(newsweb: NewsWeb) -> None:
    formats = set()
    for outlet in newsweb.world.outlets:
        status, headers, body = fetch(newsweb.feed_url(outlet.key))
        assert status == 200
        assert headers["content-type"].startswith(outlet.feed_mime)
        root = ET.fromstring(body)
        if outlet.feed_format == "rss":
            assert root.tag == "rss" and root.get("version") == "2.0"
            links = [item.findtext("link") for item in root.iter("item")]
        elif outlet.feed_format == "atom":
            assert root.tag == f"{{{NS['atom']}}}feed"
            links = [e.get("href") for e in root.iterfind("atom:entry/atom:link", NS)]
        else:
            assert root.tag == f"{{{NS['rdf']}}}RDF"
            links = [
                item.findtext("rss1:link", namespaces=NS) for item in root.iterfind("rss1:item", NS)
            ]
        formats.add(outlet.feed_format)
        listed = {
            newsweb.copy_url(c, listed=True)
            for c in newsweb.world.copies_on(outlet.key)
            if c.in_feed
        }
        assert listed <= set(links)
    assert formats == {"rss", "atom", "rdf"}


def test_homepage_advertises_its_feed(newsweb: NewsWeb) -> None:
    for outlet in newsweb.world.outlets:
        _, _, body = fetch(newsweb.homepage_url(outlet.key))
        match = re.search(rb'<link rel="alternate" type="([^"]+)"[^>]*href="([^"]+)"', body)
        assert match is not None
        assert match[1].decode() == outlet.feed_mime
        assert match[2].decode() == newsweb.feed_url(outlet.key)


def test_robots_txt_disallows_a_path_and_names_the_sitemap(newsweb: NewsWeb) -> None:
    for outlet in newsweb.world.outlets:
        _, _, body = fetch(newsweb.robots_url(outlet.key))
        lines = body.decode().splitlines()
        assert "Disallow: /private/" in lines
        assert f"Sitemap: {newsweb.sitemap_url(outlet.key)}" in lines


def test_sitemap_index_leads_to_every_copy(newsweb: NewsWeb) -> None:
    for outlet in newsweb.world.outlets:
        _, _, body = fetch(newsweb.sitemap_url(outlet.key))
        index = ET.fromstring(body)
        assert index.tag == f"{{{NS['sm']}}}sitemapindex"
        locs: set[str] = set()
        for child in index.iterfind("sm:sitemap/sm:loc", NS):
            status, _, sub = fetch(child.text or "")
            assert status == 200
            if child.text and child.text.endswith("archive.xml"):
                with pytest.raises(ET.ParseError):
                    ET.fromstring(sub)
                continue
            locs |= {loc.text or "" for loc in ET.fromstring(sub).iterfind("sm:url/sm:loc", NS)}
        expected = {newsweb.copy_url(c, listed=True) for c in newsweb.world.copies_on(outlet.key)}
        assert expected <= locs


def test_news_sitemap_lists_the_last_two_days_with_news_tags(newsweb: NewsWeb) -> None:
    world = newsweb.world
    _, _, body = fetch(newsweb.news_sitemap_url("frontline"))
    root = ET.fromstring(body)
    titles = [t.text or "" for t in root.iterfind("sm:url/news:news/news:title", NS)]
    recent = [
        c.title
        for c in world.copies_on("frontline")
        if world.now - c.published <= timedelta(days=2)
    ]
    assert sorted(titles) == sorted(
        recent + [p.title for p in world.special_pages if p.outlet == "frontline" and p.listed]
    )


@pytest.mark.parametrize("validator", ["etag", "last-modified"])
def test_feeds_and_sitemaps_answer_conditional_get_with_304(
    newsweb: NewsWeb, validator: str
) -> None:
    for url in (newsweb.feed_url("observer"), newsweb.sitemap_url("ledger")):
        status, headers, body = fetch(url)
        assert status == 200 and body
        ask = (
            {"If-None-Match": headers["etag"]}
            if validator == "etag"
            else {"If-Modified-Since": headers["last-modified"]}
        )
        status, _, body = fetch(url, ask)
        assert status == 304 and body == b""
        assert fetch(url, {"If-None-Match": '"stale"'})[0] == 200


# -- ground truth --------------------------------------------------------------------


def test_every_copy_is_served_with_its_title_and_paragraphs(newsweb: NewsWeb) -> None:
    for copy in newsweb.world.copies:
        status, headers, body = fetch(newsweb.copy_url(copy, listed=True))
        assert status == 200, copy.path
        text = text_of(body, copy.charset)
        assert copy.title in text
        for paragraph in copy.paragraphs:
            assert paragraph in text, (copy.path, paragraph)
        if copy.canonical_path:
            canonical = newsweb.url(copy.canonical_outlet or copy.outlet, copy.canonical_path)
            assert f'<link rel="canonical" href="{canonical}">'.encode() in body
        else:
            assert b'rel="canonical"' not in body and b"og:url" not in body


def test_seed_page_reproduces_the_seed_furniture(newsweb: NewsWeb) -> None:
    seed = load_seed()
    original = newsweb.world.original("seed")
    assert original.outlet == "newsmix" and original.variation == "original"
    _, _, body = fetch(newsweb.copy_url(original))
    page = body.decode()
    assert page.count(seed.title) >= 3
    assert seed.image_credit in page
    assert page.count(">Also read<") == 2
    for line in SEED_FURNITURE:
        assert line in text_of(body)
    assert seed.sources_line in page
    kinds = {c.variation for c in newsweb.world.copies_of("seed")}
    assert {"new_headline", "truncated", "canonical_to_original"} <= kinds


def test_truncated_copies_are_a_prefix_plus_read_more(newsweb: NewsWeb) -> None:
    world = newsweb.world
    truncated = [c for c in world.copies if c.variation == "truncated"]
    assert truncated
    for copy in truncated:
        story = world.story(copy.story_id)
        assert copy.paragraphs == story.paragraphs[: len(copy.paragraphs)]
        assert len(copy.paragraphs) < len(story.paragraphs)
        text = text_of(fetch(newsweb.copy_url(copy))[2])
        origin = world.original(story.id)
        assert copy.read_more == f"Read more at {world.outlet(origin.outlet).name}"
        assert copy.read_more in text
        for missing in story.paragraphs[len(copy.paragraphs) :]:
            assert missing not in text


def test_hard_negative_pairs_share_exactly_their_paragraph(newsweb: NewsWeb) -> None:
    world = newsweb.world
    assert world.hard_negative_pairs
    for pair in world.hard_negative_pairs:
        a, b = world.story(pair.a), world.story(pair.b)
        assert a.on_topic and b.on_topic
        common = set(a.paragraphs) & set(b.paragraphs)
        if pair.kind == "rewrite":
            assert common == set()
        else:
            assert common == {pair.shared}


def test_world_is_deterministic_and_scales() -> None:
    now = build_world(0).now
    one, two = build_world(7, now=now), build_world(7, now=now)
    assert [s.paragraphs for s in one.stories] == [s.paragraphs for s in two.stories]
    assert [c.path for c in one.copies] == [c.path for c in two.copies]
    big = build_world(3, extra_stories=100, now=now)
    assert len(big.stories) >= 50
    assert len([c for c in big.copies if c.variation != "original"]) >= 200
    assert len(big.hard_negative_pairs) >= 50
    assert set(VARIATIONS) == {c.variation for c in big.copies}


def test_world_config_is_a_valid_newswatch_config(newsweb: NewsWeb, tmp_path: Path) -> None:
    config = load_config(world_config(newsweb, tmp_path))
    assert [s.name for s in config.sources] == [o.key for o in newsweb.world.outlets]
    metro = config.source("metro")
    assert metro.allowed_domains == ["127.0.0.7"]
    assert newsweb.url("metro", "/feeds/culture.xml") in metro.feeds
    assert config.crawl.download_timeout.total_seconds() <= 2
    assert config.index.embedded.path.parent == tmp_path
    assert config.topics[0].name == "dprk-russia-war"


def test_on_topic_flags_agree_with_the_default_topic_query() -> None:
    query = parse_query(default_topics()[0]["query"])
    world = build_world(1, extra_stories=40)
    for story in world.stories:
        fields = {"title": story.title, "text": story.text, "outlet": "", "author": ""}
        assert matches(query, fields) is story.on_topic, story.id
    # The near misses mention one side of the query: Koreatown's Pyongyang noodles, Moscow's gas.
    assert "Pyongyang" in world.story("koreatown").text
    assert "Russia" in world.story("energy").text


def shingles(text: str, size: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_different_stories_differ_and_copies_resemble_their_story() -> None:
    world = build_world(2, extra_stories=60)
    pairs = {frozenset((p.a, p.b)) for p in world.hard_negative_pairs}
    sets = {s.id: shingles(s.text) for s in world.stories}
    for a, b in itertools.combinations(world.stories, 2):
        if frozenset((a.id, b.id)) in pairs:
            continue
        x, y = sets[a.id], sets[b.id]
        assert len(x & y) / len(x | y) < 0.35, (a.id, b.id)
    for copy in world.copies:
        mine = shingles("\n\n".join(copy.paragraphs))
        assert len(mine & sets[copy.story_id]) / len(mine) >= 0.7, (copy.story_id, copy.variation)


def test_variations_change_what_they_say(newsweb: NewsWeb) -> None:
    world = newsweb.world
    for copy in world.copies:
        story = world.story(copy.story_id)
        original = world.original(copy.story_id)
        kind = copy.variation
        if kind == "new_headline":
            assert copy.title != story.title
        elif kind == "light_edit":
            changed = [
                (a, b) for a, b in zip(copy.paragraphs, story.paragraphs, strict=True) if a != b
            ]
            words = sum(len(set(a.split()) ^ set(b.split())) for a, b in changed)
            assert changed and words <= 12  # one to three swaps of at most two words
        elif kind == "different_byline_date":
            assert copy.authors != story.authors and copy.published > original.published
        elif kind == "tracking_params":
            assert re.search(r"(utm_\w+|fbclid|gclid)=", copy.listed_query)
            assert newsweb.copy_url(copy, listed=True) in html.unescape(
                fetch(newsweb.feed_url(copy.outlet))[2].decode()
            )
        elif kind == "also_read_inserts":
            text = text_of(fetch(newsweb.copy_url(copy))[2])
            assert len(copy.inserts) == 2 and all(line in text for line in copy.inserts)
        elif kind == "canonical_to_original":
            body = fetch(newsweb.copy_url(copy))[2].decode()
            target = newsweb.copy_url(original)
            assert f'<link rel="canonical" href="{target}">' in body
            if world.outlet(copy.outlet).open_graph:
                assert f'<meta property="og:url" content="{target}">' in body
        if kind != "original" and kind != "updated_in_place":
            assert copy.published > original.published


def test_metadata_only_where_the_outlet_has_it(newsweb: NewsWeb) -> None:
    for outlet in newsweb.world.outlets:
        copy = newsweb.world.copies_on(outlet.key)[0]
        body = fetch(newsweb.copy_url(copy))[2]
        assert (b"application/ld+json" in body) is outlet.json_ld, outlet.key
        assert (b'property="og:title"' in body) is outlet.open_graph, outlet.key
        if outlet.json_ld:
            found = re.search(rb"application/ld\+json\">(.*?)</script>", body)
            assert found is not None
            data = json.loads(found[1])
            assert data["headline"] == copy.title
            assert datetime.fromisoformat(data["datePublished"]) == copy.published
            assert [a["name"] for a in data["author"]] == copy.authors


def test_pages_a_polite_crawler_skips(newsweb: NewsWeb) -> None:
    world = newsweb.world
    blocked = next(c for c in world.copies if c.skip_reason == "robots")
    assert blocked.path.startswith("/private/")
    stale = next(c for c in world.copies if c.skip_reason == "too_old")
    assert world.now - stale.published > timedelta(days=7)
    assert (
        newsweb.copy_url(stale)
        in fetch(newsweb.sitemap_url(stale.outlet).replace("sitemap_index", "sitemaps/articles-1"))[
            2
        ].decode()
    )
    assert newsweb.copy_url(stale) not in fetch(newsweb.feed_url(stale.outlet))[2].decode()
    assert {s.id for s in world.on_topic_stories()}.isdisjoint({blocked.story_id, stale.story_id})


@pytest.mark.parametrize("kind", ["video", "paywall"])
def test_video_and_paywall_pages_are_short_and_listed(newsweb: NewsWeb, kind: str) -> None:
    pages = [p for p in newsweb.world.special_pages if p.kind == kind]
    assert pages
    for page in pages:
        status, _, body = fetch(newsweb.url(page.outlet, page.path))
        assert status == 200
        marker = b"<video" if kind == "video" else b"Subscribe to continue reading"
        assert marker in body
        paragraphs = re.findall(rb"<p[ >].*?</p>", body)
        assert max(len(text_of(p)) for p in paragraphs) < 200, page.path
        feed = html.unescape(fetch(newsweb.feed_url(page.outlet))[2].decode())
        assert newsweb.url(page.outlet, page.path) in feed


@pytest.mark.parametrize("kind", ["home", "section", "tag"])
def test_listing_pages_link_stories_without_their_bodies(newsweb: NewsWeb, kind: str) -> None:
    world = newsweb.world
    for page in (p for p in world.special_pages if p.kind == kind):
        status, _, body = fetch(newsweb.url(page.outlet, page.path))
        assert status == 200
        text = text_of(body)
        linked = [
            c
            for c in world.copies_on(page.outlet)
            if newsweb.copy_url(c, listed=True) in html.unescape(body.decode())
        ]
        assert linked or kind == "tag", page.path
        for copy in linked:
            assert not any(p in text for p in copy.paragraphs[1:]), page.path


def test_missing_seed_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSWEB_SEED_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="syndicated-article.txt"):
        build_world(0)


# -- bad cases ---------------------------------------------------------------------------


def special(newsweb: NewsWeb, kind: str) -> str:
    page = next(p for p in newsweb.world.special_pages if p.kind == kind)
    return newsweb.url(page.outlet, page.path)


def test_not_found_and_server_error(newsweb: NewsWeb) -> None:
    assert fetch(special(newsweb, "not_found"))[0] == 404
    assert fetch(special(newsweb, "server_error"))[0] == 500


def test_slow_page_times_out_a_short_timeout(newsweb: NewsWeb) -> None:
    with pytest.raises(TimeoutError):
        fetch(special(newsweb, "slow"), timeout=1.0)


def test_redirect_loop_and_offsite_redirect(newsweb: NewsWeb) -> None:
    status, headers, _ = fetch(special(newsweb, "redirect_loop"))
    assert status == 302
    status, back, _ = fetch(headers["location"])
    assert status == 302 and back["location"] == special(newsweb, "redirect_loop")
    status, headers, _ = fetch(special(newsweb, "offsite_redirect"))
    assert status == 302
    target = special(newsweb, "offsite_target")
    assert headers["location"] == target
    assert urlsplit(target).hostname == newsweb.world.offsite.ip
    assert urlsplit(target).hostname not in {o.ip for o in newsweb.world.outlets}
    assert fetch(target)[0] == 200  # following it would index a story no source allows


def test_binary_files_behind_article_urls(newsweb: NewsWeb) -> None:
    status, headers, body = fetch(special(newsweb, "binary_png"))
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    status, headers, body = fetch(special(newsweb, "binary_pdf"))
    assert headers["content-type"] == "application/pdf" and body.startswith(b"%PDF-")


def test_oversized_pages_are_far_past_the_limit(newsweb: NewsWeb) -> None:
    status, headers, body = fetch(special(newsweb, "oversized"), limit=1024)
    assert status == 200 and int(headers["content-length"]) >= 10 * 1024 * 1024
    status, headers, body = fetch(special(newsweb, "oversized_stream"), limit=1024)
    assert "content-length" not in headers and headers["transfer-encoding"] == "chunked"


def test_non_utf8_pages_with_and_without_a_charset_header(newsweb: NewsWeb) -> None:
    world = newsweb.world
    cp1251 = next(c for c in world.copies if c.charset == "windows-1251")
    _, headers, body = fetch(newsweb.copy_url(cp1251))
    assert headers["content-type"] == "text/html; charset=windows-1251"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert "північнокорейських" in body.decode("windows-1251")
    latin1 = next(c for c in world.copies if c.charset == "iso-8859-1")
    _, headers, body = fetch(newsweb.copy_url(latin1))
    assert headers["content-type"] == "text/html"
    assert b"charset" not in body.lower()
    assert "Jürgen Müller" in body.decode("iso-8859-1")


def test_malformed_feed_does_not_parse(newsweb: NewsWeb) -> None:
    status, _, body = fetch(special(newsweb, "malformed_feed"))
    assert status == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(body)


# -- counters and versions -----------------------------------------------------------


def test_hits_count_requests_per_path(newsweb_fresh: NewsWeb) -> None:
    web = newsweb_fresh
    copy = next(c for c in web.world.copies if c.variation == "tracking_params")
    fetch(web.copy_url(copy, listed=True))
    fetch(web.copy_url(copy))
    assert web.hit_count(web.copy_url(copy)) == 2
    assert web.hits(copy.outlet) == {copy.path: 2}
    web.reset()
    assert web.hits() == {}


def test_advance_updates_a_story_in_place(newsweb_fresh: NewsWeb) -> None:
    web = newsweb_fresh
    copy = next(c for c in web.world.copies if c.variation == "updated_in_place")
    assert copy.update_paragraph
    url = web.copy_url(copy)
    before = text_of(fetch(url)[2])
    _, feed_headers, _ = fetch(web.feed_url(copy.outlet))
    assert copy.update_paragraph not in before
    web.advance()
    after = text_of(fetch(url)[2])
    assert copy.update_paragraph in after
    assert all(p in after for p in copy.paragraphs)
    status, _, _ = fetch(web.feed_url(copy.outlet), {"If-None-Match": feed_headers["etag"]})
    assert status == 200  # the feed changed with the update
    assert web.world.version == 1 and web.stats()["version"] == 1


def test_article_pages_revalidate_until_they_change(newsweb_fresh: NewsWeb) -> None:
    web = newsweb_fresh
    copy = next(c for c in web.world.copies if c.variation == "updated_in_place")
    url = web.copy_url(copy)
    _, headers, _ = fetch(url)
    assert fetch(url, {"If-None-Match": headers["etag"]})[0] == 304
    assert web.stats()["not_modified"] == {copy.outlet: {copy.path: 1}}
    web.advance()
    status, after, _ = fetch(url, {"If-None-Match": headers["etag"]})
    assert status == 200 and after["etag"] != headers["etag"]
    assert after["last-modified"] != headers["last-modified"]
