"""The outlets of the mock news web, as data: name, template, feed format, metadata."""

from __future__ import annotations

from tests.harness.newsweb.model import Outlet

# Each outlet gets its own loopback address so that outlets are distinct hosts
# (Linux routes the whole 127.0.0.0/8 to lo) while sharing one port.
OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        key="newsmix",
        name="Newsmix",
        ip="127.0.0.2",
        template="aggregator",
        feed_format="rss",
        feed_path="/feed",
        article_path="/news/{slug}",
        json_ld=False,
        open_graph=True,
        sections=("news", "world", "business"),
        reporters=("Newsmix Staff",),
    ),
    Outlet(
        key="frontline",
        name="Korea Frontline",
        ip="127.0.0.3",
        template="frontline",
        feed_format="atom",
        feed_path="/feed/atom.xml",
        article_path="/{yyyy}/{mm}/{slug}/",
        json_ld=True,
        open_graph=True,
        sections=("north-korea", "military", "diplomacy"),
        reporters=("Hana Seo", "Daniel Whitcombe", "Min-ji Kwon", "Arthur Lindqvist"),
        disallow=("/private/", "/members/"),
    ),
    Outlet(
        key="ledger",
        name="Kyiv Ledger",
        ip="127.0.0.4",
        template="ledger",
        feed_format="rdf",
        feed_path="/rss.rdf",
        article_path="/news/{yyyy}{mm}{dd}-{slug}.html",
        json_ld=False,
        open_graph=True,
        sections=("war", "politics", "economy"),
        reporters=("Olena Hrytsenko", "Taras Melnyk", "Iryna Bondar", "Mark Pellegrini"),
    ),
    Outlet(
        key="wire",
        name="Baltic Wire Service",
        ip="127.0.0.5",
        template="wire",
        feed_format="rss",
        feed_path="/rss/world.xml",
        article_path="/article/{yyyy}-{mm}-{dd}/{slug}",
        json_ld=False,
        open_graph=False,
        sections=("world", "markets"),
        reporters=("Jonas Petraitis", "Liga Ozola", "Peter Saar"),
    ),
    Outlet(
        key="observer",
        name="The Atlantic Observer",
        ip="127.0.0.6",
        template="observer",
        feed_format="rss",
        feed_path="/world/rss",
        article_path="/world/{yyyy}/{mm}/{dd}/{slug}",
        json_ld=True,
        open_graph=True,
        sections=("world", "europe", "asia", "energy"),
        reporters=("Catherine Moreau", "James O'Hara", "Sofia Reyes", "Thomas Becker"),
    ),
    Outlet(
        key="metro",
        name="Metro Evening Post",
        ip="127.0.0.7",
        template="metro",
        feed_format="atom",
        feed_path="/atom.xml",
        article_path="/stories/{slug}",
        json_ld=False,
        open_graph=False,
        sections=("city", "food", "world"),
        reporters=("Dana Whitfield", "Luis Ortega", "Grace Kim"),
        extra_feeds=("/feeds/culture.xml",),
    ),
)

# A host that no generated config allows: the off-site redirect points here, and
# it serves a plausible on-topic page so that following it would be noticed.
OFFSITE = Outlet(
    key="elsewhere",
    name="Elsewhere Daily",
    ip="127.0.0.9",
    template="wire",
    feed_format="rss",
    feed_path="/rss",
    article_path="/a/{slug}",
    json_ld=False,
    open_graph=False,
    sections=("world",),
    reporters=("Nobody",),
)
