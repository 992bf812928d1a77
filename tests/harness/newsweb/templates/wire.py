"""Baltic Wire Service: bare wire copy, no OpenGraph or JSON-LD, byline and date as text."""

# HTML lines are kept whole so that the markup reads like the page it renders.
# ruff: noqa: E501

from __future__ import annotations

from tests.harness.newsweb.templates.base import (
    ArticlePage,
    ListingPage,
    body,
    byline,
    e,
    feed_link,
    head_meta,
    human_date,
    special_body,
)

FURNITURE = (
    "Our Standards: The Trust Principles.",
    "All quotes delayed a minimum of 15 minutes.",
    "Licensing and reprints",
)


def article(page: ArticlePage) -> str:
    content = (
        body(
            page,
            insert='<p class="xref">Also read: <a href="{}">{}</a></p>',
            read_more='<p class="tail"><a href="{0}">{1}</a></p>',
            paragraph='<p class="para">{}</p>',
        )
        if page.kind == "article"
        else special_body(page)
    )
    by = f'<p class="byline">By {e(byline(page.authors))}</p>' if page.authors else ""
    return f"""<html><head>
<title>{e(page.title)} | Baltic Wire Service</title>
{head_meta(page)}
</head><body>
<table width="100%"><tr><td><a href="{page.base}/">BWS</a> | <a href="{page.base}/section/world">World</a> | <a href="{page.base}/section/markets">Markets</a></td></tr></table>
<div id="story">
<h2 class="story-title">{e(page.title)}</h2>
{by}
<p class="timestamp">{human_date(page.published)}</p>
{content}
<p class="credits">Licensing and reprints: sales@bws.example</p>
</div>
<div class="legal">Our Standards: The Trust Principles. All quotes delayed a minimum of 15 minutes.</div>
</body></html>
"""


def listing(page: ListingPage) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{e(url)}">{e(title)}</a></td></tr>' for title, url, _ in page.links
    )
    return f"""<html><head><meta charset="utf-8"><title>{e(page.heading)} | Baltic Wire Service</title>
{feed_link(page.outlet, page.feed_url)}
</head><body><h1>{e(page.heading)}</h1><table class="wirelist">{rows}</table></body></html>
"""
