"""Newsmix: an aggregator page built like the seed story (headline 3x, inserts, MGDK ads)."""

# HTML lines are kept whole so that the markup reads like the page it renders.
# ruff: noqa: E501

from __future__ import annotations

from tests.harness.newsweb.templates.base import (
    ArticlePage,
    ListingPage,
    e,
    feed_link,
    head_meta,
    human_date,
    link_list,
    special_body,
)

FURNITURE = (
    "Homepage News",
    "Others are reading now",
    "Also read",
    "Ads by MGDK",
    "Sponsored: Five habits that keep your heart young",
)


def _topbar(page_base: str) -> str:
    return (
        f'<div class="topbar"><a href="{page_base}/">Homepage</a> '
        f'<a href="{page_base}/section/news">News</a></div>'
    )


def article(page: ArticlePage) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<title>{e(page.title)}</title>
{head_meta(page)}
</head><body>
{_topbar(page.base)}
<div class="share-card" aria-hidden="true"><span class="share-title">{e(page.title)}</span></div>
<div class="post">
<h1 class="post-title">{e(page.title)}</h1>
<figure class="lead-image"><img src="{page.image_url}" alt="">
<figcaption class="image-credit">{e(page.image_credit)}</figcaption></figure>
<div class="post-meta">{_author(page)}<span class="date">{human_date(page.published)}</span></div>
<div class="post-content">
{_body(page) if page.kind == "article" else special_body(page)}
</div>
{f'<p class="post-sources">{e(page.sources_line)}</p>' if page.sources_line else ""}
</div>
<div class="mgdk-ads"><span class="ads-label">Ads by MGDK</span>
<a class="ad" href="https://ads.mgdk.example/click?id=7">Sponsored: Five habits that keep your heart young</a></div>
<footer class="site-footer"><a href="{page.base}/about">About Newsmix</a> · <a href="{page.base}/privacy">Privacy</a></footer>
</body></html>
"""


def _author(page: ArticlePage) -> str:
    return f'<span class="author">{e(", ".join(page.authors))}</span> ' if page.authors else ""


def _body(page: ArticlePage) -> str:
    """Paragraphs with the aggregator's own furniture where the seed page had it."""
    paragraphs = [b for b in page.blocks if b.kind == "p"]
    also_at = {int(len(paragraphs) * 0.45), int(len(paragraphs) * 0.8)}
    related = page.related or [("More news", page.base + "/")]
    out: list[str] = []
    index = 0
    for block in page.blocks:
        if block.kind == "h2":
            out.append(f'<h3 class="subhead">{e(block.text)}</h3>')
        elif block.kind == "insert":
            out.append(_also_read(block.href, block.text))
        elif block.kind == "read_more":
            out.append(f'<p class="source-link"><a href="{e(block.href)}">{e(block.text)}</a></p>')
        else:
            out.append(f"<p>{e(block.text)}</p>")
            if index == 0:
                out.append(
                    '<div class="widget-reading"><span class="widget-title">Others are reading '
                    f"now</span><ul>{link_list(related[:3])}</ul></div>"
                )
            if index in also_at and index + 1 < len(paragraphs):
                title, url = related[(len(out) + index) % len(related)]
                out.append(_also_read(url, title))
            index += 1
    return "\n".join(out)


def _also_read(href: str, title: str) -> str:
    return (
        f'<div class="also-read"><span class="label">Also read</span>'
        f'<a href="{e(href)}">{e(title)}</a></div>'
    )


def listing(page: ListingPage) -> str:
    items = "\n".join(
        f'<div class="tile"><a href="{e(url)}"><span>{e(title)}</span></a></div>'
        for title, url, _ in page.links
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(page.heading)} - Newsmix</title>
{feed_link(page.outlet, page.feed_url)}
</head><body>
{_topbar(page.base)}
<h1>{e(page.heading)}</h1>
<div class="tiles">{items}</div>
<div class="mgdk-ads"><span class="ads-label">Ads by MGDK</span></div>
</body></html>
"""
