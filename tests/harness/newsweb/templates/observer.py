"""The Atlantic Observer: a big outlet with JSON-LD, ad slots, most-read and newsletter boxes."""

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
    link_list,
    special_body,
)

FURNITURE = (
    "Advertisement",
    "Most read",
    "Sign up to the Morning Briefing",
    "Our free newsletter, in your inbox before breakfast.",
    "More on this story",
    "Explore more on these topics",
    "Skip past newsletter promotion",
)


def _masthead(base: str) -> str:
    sections = ("World", "Europe", "Asia", "Energy", "Opinion", "Culture")
    links = " ".join(f'<a href="{base}/section/{s.lower()}">{s}</a>' for s in sections)
    return f"""<header><a class="brand" href="{base}/">The Atlantic Observer</a>
<nav class="sections">{links}</nav><a class="subscribe" href="{base}/subscribe">Subscribe</a></header>"""


def article(page: ArticlePage) -> str:
    content = (
        body(
            page,
            insert='<aside class="inline-link"><p>Also read: <a href="{}">{}</a></p></aside>',
            read_more='<p class="readmore"><a href="{0}">{1}</a></p>',
        )
        if page.kind == "article"
        else special_body(page)
    )
    # An ad slot after the third paragraph, as on real pages.
    paragraphs = page.paragraphs
    if page.kind == "article" and len(paragraphs) > 3:
        marker = f"<p>{e(paragraphs[2])}</p>"
        ad = '<div class="ad-slot"><span class="ad-label">Advertisement</span></div>'
        content = content.replace(marker, marker + "\n" + ad, 1)
    tags = link_list([(t, f"{page.base}/tag/{t}") for t in page.tags])
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<title>{e(page.title)} | {e(page.section.title())} | The Atlantic Observer</title>
{head_meta(page)}
</head><body>
{_masthead(page.base)}
<div class="content">
<div class="content__labels"><a href="{page.base}/section/{e(page.section)}">{e(page.section.title())}</a></div>
<h1 class="content__headline">{e(page.title)}</h1>
<div class="content__standfirst"><p>{e(page.description)}</p></div>
<figure class="media-primary"><img src="{page.image_url}" alt="">
<figcaption><span class="caption">Photograph: {e(page.image_credit)}</span></figcaption></figure>
<div class="meta"><address class="byline">{e(byline(page.authors))}</address>
<time datetime="{page.published.isoformat()}" class="content__dateline">{page.published:%a %d %b %Y %H.%M %Z}</time></div>
<div class="content__article-body" itemprop="articleBody">
{content}
<aside class="newsletter"><a href="#after-newsletter">Skip past newsletter promotion</a>
<p class="nl-title">Sign up to the Morning Briefing</p><p>Our free newsletter, in your inbox before breakfast.</p></aside>
</div>
<div class="submeta"><h4>Explore more on these topics</h4><ul>{tags}</ul></div>
<section class="onward"><h2>More on this story</h2><ul>{link_list(page.related[:3])}</ul></section>
<aside class="most-viewed"><h2>Most read</h2><ol>{link_list(page.related[3:])}</ol></aside>
</div>
<footer><p>© 2026 The Atlantic Observer. All rights reserved.</p></footer>
</body></html>
"""


def listing(page: ListingPage) -> str:
    items = "\n".join(
        f'<li class="fc-item"><a class="fc-link" href="{e(url)}"><span class="fc-headline">{e(title)}</span></a>'
        f'<div class="fc-standfirst">{e(summary)}</div></li>'
        for title, url, summary in page.links
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{e(page.heading)} | The Atlantic Observer</title>
{feed_link(page.outlet, page.feed_url)}
</head><body>
{_masthead(page.base)}
<section class="fc-container"><h1>{e(page.heading)}</h1><ul>{items}</ul></section>
</body></html>
"""
