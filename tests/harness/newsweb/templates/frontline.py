"""Korea Frontline: a specialist site with JSON-LD, OpenGraph, cookie banner and comments."""

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
    "We use cookies to improve your experience on Korea Frontline.",
    "Accept all cookies",
    "Related stories",
    "Join the discussion",
    "Finally someone is reporting on this properly.",
    "Any word on how many are still in the Kursk area?",
    "Korea Frontline is an independent newsroom covering the Korean peninsula.",
)


def _header(base: str) -> str:
    return f"""<div id="cookie-consent" class="cookie-banner"><p>We use cookies to improve your experience on Korea Frontline.</p>
<button>Accept all cookies</button> <a href="{base}/privacy">Manage preferences</a></div>
<header class="masthead"><a class="logo" href="{base}/">Korea Frontline</a>
<nav class="primary-nav"><ul>
<li><a href="{base}/section/north-korea">North Korea</a></li>
<li><a href="{base}/section/military">Military</a></li>
<li><a href="{base}/section/diplomacy">Diplomacy</a></li>
<li><a href="{base}/tag/russia">Russia</a></li>
<li><a href="{base}/members/">Members</a></li></ul></nav></header>"""


def _footer(base: str) -> str:
    return f"""<footer class="site-footer"><p>Korea Frontline is an independent newsroom covering the Korean peninsula.</p>
<ul><li><a href="{base}/about">About</a></li><li><a href="{base}/contact">Contact</a></li></ul></footer>"""


def article(page: ArticlePage) -> str:
    content = (
        body(
            page,
            insert='<p class="inline-related"><em>Also read:</em> <a href="{}">{}</a></p>',
            read_more='<p class="read-more"><a href="{0}">{1}</a></p>',
        )
        if page.kind == "article"
        else special_body(page)
    )
    tags = "".join(f'<a rel="tag" href="{page.base}/tag/{e(t)}">{e(t)}</a> ' for t in page.tags)
    updated = (
        f' · Updated <time class="updated" datetime="{page.updated.isoformat()}">'
        f"{page.updated:%b %d, %Y %H:%M}</time>"
        if page.updated
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<title>{e(page.title)} | Korea Frontline</title>
{head_meta(page)}
</head><body class="single-post">
{_header(page.base)}
<main id="main"><article class="post">
<header class="entry-header">
<span class="kicker">{e(page.section.replace("-", " ").title())}</span>
<h1 class="entry-title">{e(page.title)}</h1>
<p class="dek">{e(page.description)}</p>
<div class="entry-meta">By <span class="author vcard">{e(byline(page.authors))}</span> ·
<time class="published" datetime="{page.published.isoformat()}">{page.published:%b %d, %Y %H:%M}</time>{updated}</div>
</header>
<figure class="featured"><img src="{page.image_url}" alt=""><figcaption>{e(page.image_credit)}</figcaption></figure>
<div class="entry-content">
{content}
</div>
<footer class="entry-footer"><span class="tags">{tags}</span></footer>
</article>
<aside class="related"><h3>Related stories</h3><ul>{link_list(page.related)}</ul></aside>
<section id="comments"><h3>Join the discussion</h3>
<div class="comment"><b>pyongwatcher</b><p>Finally someone is reporting on this properly.</p></div>
<div class="comment"><b>M. Reyes</b><p>Any word on how many are still in the Kursk area?</p></div>
</section></main>
{_footer(page.base)}
</body></html>
"""


def listing(page: ListingPage) -> str:
    items = "\n".join(
        f'<article class="card"><h2><a href="{e(url)}">{e(title)}</a></h2><p>{e(summary)}</p></article>'
        for title, url, summary in page.links
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(page.heading)} | Korea Frontline</title>
{feed_link(page.outlet, page.feed_url)}
</head><body class="archive {page.kind}">
{_header(page.base)}
<main><h1 class="archive-title">{e(page.heading)}</h1>
{items}
</main>
{_footer(page.base)}
</body></html>
"""
