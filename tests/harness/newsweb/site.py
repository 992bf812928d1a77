"""Request routing for every outlet: path -> reply, including bad cases and conditional GET."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime

from tests.harness.newsweb import badcases, damaged, feeds, polite, sitemaps
from tests.harness.newsweb.feeds import Entry
from tests.harness.newsweb.model import Copy, SpecialPage, World
from tests.harness.newsweb.pages import PageMaker

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
LISTINGS = ("home", "section", "tag")
EPOCH = "Thu, 01 Jan 2026 00:00:00 GMT"  # Last-Modified of an empty listing


@dataclass
class Reply:
    status: int
    content_type: str = HTML
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None  # a streamed body instead of `body`
    length: int | None = None  # Content-Length of a streamed body; None = chunked
    delay: float = 0.0  # seconds to wait before answering


class Site:
    """Everything the mock web answers, for the world's current version."""

    def __init__(
        self,
        world: World,
        bases: dict[str, str],
        slow_delay: float = 5.0,
        huge_bytes: int = badcases.HUGE_BYTES,
        feed_limit: int = 100,
    ) -> None:
        self.world = world
        self.bases = bases
        self.slow_delay = slow_delay
        self.huge_bytes = huge_bytes
        self.feed_limit = feed_limit
        self.pages = PageMaker(world, bases)
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str, int], Reply] = {}
        self._copies = {(c.outlet, c.path): c for c in world.copies}
        self._specials = {(p.outlet, p.path): p for p in world.special_pages}

    def handle(self, outlet: str, path: str, headers: Mapping[str, str]) -> Reply:
        """Answer a GET for `path` (query ignored: tracking parameters change nothing).

        `headers` are the request headers with lower-case names.
        """
        path = path.split("?", 1)[0].split("#", 1)[0] or "/"
        # One lock for lookups, renders and version switches: a reply is never cached
        # under a version other than the one it was rendered for. Renders are cached,
        # so the lock is held for long only once per page.
        with self._lock:
            key = (outlet, path, self.world.version)
            reply = self._cache.get(key)
            if reply is None:
                reply = self._route(outlet, path)
                if reply.chunks is None:
                    self._cache[key] = reply
        if reply.status == 200 and "ETag" in reply.headers and _not_modified(reply, headers):
            return Reply(304, reply.content_type, headers=dict(reply.headers))
        return reply

    def set_version(self, version: int) -> None:
        """Switch the world to `version` (0: first, 1: after advance) and drop cached pages."""
        with self._lock:
            if version:
                self.world.advance()
            else:
                self.world.reset()
            self._cache.clear()

    # -- routing ---------------------------------------------------------------
    def _route(self, outlet_key: str, path: str) -> Reply:
        copy = self._copies.get((outlet_key, path))
        if copy is not None:
            return self._article(copy)
        special = self._specials.get((outlet_key, path))
        if special is not None:
            return self._special(special)
        if outlet_key == self.world.offsite.key:
            return _not_found()
        outlet = self.world.outlet(outlet_key)
        base = self.bases[outlet_key]
        if path == "/robots.txt":
            return Reply(200, "text/plain; charset=utf-8", sitemaps.robots(outlet, base).encode())
        if path == outlet.feed_path:
            entries = self.feed_entries(outlet_key)[: self.feed_limit]
            text = feeds.render(outlet, base, entries)
            return _conditional(text, f"{outlet.feed_mime}; charset=utf-8", entries)
        if path.startswith(polite.PREFIX):
            return self._polite(outlet_key, path)
        return self._sitemap(outlet_key, path) or _not_found()

    def _polite(self, outlet_key: str, path: str) -> Reply:
        """The feeds with polling hints (tests/harness/newsweb/polite.py)."""
        if path == polite.THROTTLED:
            headers = {"Retry-After": str(polite.RETRY_AFTER_S)}
            return Reply(429, "text/plain; charset=utf-8", b"slow down\n", headers)
        if path not in (polite.TTL, polite.CACHED, polite.EXPIRES):
            return _not_found()
        outlet = self.world.outlet(outlet_key)
        entries = self.feed_entries(outlet_key)[: self.feed_limit]
        text = polite.with_channel_hints(feeds.rss(outlet, self.bases[outlet_key], entries), path)
        reply = _conditional(text, XML, entries)
        reply.headers.update(polite.headers_for(path))
        return reply

    def _sitemap(self, outlet_key: str, path: str) -> Reply | None:
        outlet = self.world.outlet(outlet_key)
        entries = self.sitemap_entries(outlet_key)
        text: str | None = None
        if path == sitemaps.SITEMAP_INDEX:
            has_truncated = (outlet_key, sitemaps.TRUNCATED_SITEMAP) in self._specials
            text = sitemaps.index(self.bases[outlet_key], entries, has_truncated)
        elif path == sitemaps.NEWS_SITEMAP:
            text = sitemaps.news(outlet, entries, self.world.now)
        elif path.startswith("/sitemaps/articles-") and path.endswith(".xml"):
            number = path.removeprefix("/sitemaps/articles-").removesuffix(".xml")
            text = sitemaps.articles(entries, int(number)) if number.isdigit() else None
        return _conditional(text, XML, entries) if text is not None else None

    def _article(self, copy: Copy) -> Reply:
        html = self.pages.copy_html(copy, self.world.version)
        ctype = f"text/html; charset={copy.charset}" if copy.charset_header else "text/html"
        body = html.encode(copy.charset, errors="xmlcharrefreplace")
        modified = copy.updated if self.world.version and copy.updated else copy.published
        # Article pages carry validators too, as on most news sites.
        headers = {"ETag": _etag(body), "Last-Modified": format_datetime(modified, usegmt=True)}
        if self.world.outlet(copy.outlet).content_language:
            headers["Content-Language"] = self.world.story(copy.story_id).language
        return Reply(200, ctype, body, headers)

    def _special(self, page: SpecialPage) -> Reply:
        kind = page.kind
        if kind in LISTINGS:
            return Reply(200, HTML, self.pages.listing_html(page).encode())
        if kind in ("video", "paywall"):
            return Reply(200, HTML, self.pages.special_html(page).encode())
        if kind == "malformed_feed":
            outlet = self.world.outlet(page.outlet)
            text = feeds.malformed(outlet, self.bases[page.outlet], self.feed_entries(page.outlet))
            return Reply(200, "application/rss+xml; charset=utf-8", text.encode())
        if kind == "truncated_sitemap":
            return Reply(200, XML, sitemaps.truncated(self.sitemap_entries(page.outlet)).encode())
        if kind in damaged.KINDS:
            return self._damaged(page)
        return bad_case(self, page)

    def _damaged(self, page: SpecialPage) -> Reply:
        base = self.bases[page.outlet]
        if page.kind != "damaged_feed":
            return Reply(200, *damaged.render_page(page, base))
        copies = [self._copy_entry(c) for c in self.world.copies_on(page.outlet) if c.crawlable]
        entries = damaged.feed_entries(self.world.special_pages, copies, base)
        text = damaged.damaged_feed(self.world.outlet(page.outlet), base, entries)
        return Reply(200, "application/rss+xml; charset=utf-8", text.encode())

    # -- listings ----------------------------------------------------------------
    def feed_entries(self, outlet_key: str) -> list[Entry]:
        entries = [self._copy_entry(c) for c in self.world.copies_on(outlet_key) if c.in_feed]
        entries += self._special_entries(outlet_key)
        return sorted(entries, key=lambda e: e.published, reverse=True)

    def sitemap_entries(self, outlet_key: str) -> list[Entry]:
        entries = [self._copy_entry(c) for c in self.world.copies_on(outlet_key)]
        entries += self._special_entries(outlet_key)
        return sorted(entries, key=lambda e: e.published, reverse=True)

    def _copy_entry(self, copy: Copy) -> Entry:
        story = self.world.story(copy.story_id)
        updated = copy.updated if self.world.version and copy.update_paragraph else None
        return Entry(
            url=self.bases[copy.outlet] + copy.listed_path,
            title=copy.title,
            summary=story.description,
            published=copy.published,
            updated=updated,
            authors=copy.authors,
        )

    def _special_entries(self, outlet_key: str) -> list[Entry]:
        return [
            Entry(self.bases[outlet_key] + p.path, p.title, p.title, p.published)
            for p in self.world.special_pages
            if p.outlet == outlet_key and p.listed and p.title and p.published
        ]


def bad_case(site: Site, page: SpecialPage) -> Reply:
    """The replies of the bad-case kinds listed in special.py."""
    kind = page.kind
    base = site.bases[page.outlet]
    if kind == "not_found":
        return _not_found()
    if kind == "server_error":
        return Reply(500, HTML, b"<html><body><h1>500 Internal Server Error</h1></body></html>")
    if kind == "slow":
        body = b"<html><body><p>Sorry for the wait.</p></body></html>"
        return Reply(200, HTML, body, delay=site.slow_delay)
    if kind == "redirect_loop":
        other = "/stories/loop-b" if page.path.endswith("loop-a") else "/stories/loop-a"
        return _redirect(base + other)
    if kind == "offsite_redirect":
        target = next(p for p in site.world.special_pages if p.kind == "offsite_target")
        return _redirect(site.bases[target.outlet] + target.path)
    if kind == "offsite_target":
        html = f"<html><body><h1>{page.title}</h1><p>{page.expect}.</p></body></html>"
        return Reply(200, HTML, html.encode())
    if kind == "binary_png":
        return Reply(200, HTML, badcases.png_bytes())
    if kind == "binary_pdf":
        return Reply(200, "application/pdf", badcases.pdf_bytes())
    if kind == "oversized":
        return Reply(200, HTML, chunks=badcases.huge_page(site.huge_bytes), length=site.huge_bytes)
    if kind == "oversized_stream":
        return Reply(200, HTML, chunks=badcases.huge_page(site.huge_bytes))
    raise ValueError(f"unknown special page kind {kind!r}")


def _conditional(text: str, content_type: str, entries: list[Entry]) -> Reply:
    """A feed or sitemap with validators, so clients can revalidate with a 304."""
    body = text.encode()
    etag = _etag(body)
    newest = max((e.modified for e in entries), default=None)
    modified = format_datetime(newest, usegmt=True) if newest else EPOCH
    return Reply(200, content_type, body, {"ETag": etag, "Last-Modified": modified})


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'


def _not_modified(reply: Reply, headers: Mapping[str, str]) -> bool:
    etag = reply.headers.get("ETag")
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        return etag is not None and etag in [t.strip() for t in if_none_match.split(",")]
    since = headers.get("if-modified-since")
    modified = reply.headers.get("Last-Modified")
    if since and modified:
        try:
            return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _redirect(location: str) -> Reply:
    return Reply(302, HTML, b"<html><body>Moved</body></html>", {"Location": location})


def _not_found() -> Reply:
    return Reply(404, HTML, b"<html><body><h1>Page not found</h1></body></html>")
