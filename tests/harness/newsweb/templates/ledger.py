"""Kyiv Ledger: OpenGraph only, "Read also" links inside the body, donation box, comments."""

# HTML lines are kept whole so that the markup reads like the page it renders.
# ruff: noqa: E501

from __future__ import annotations

from tests.harness.newsweb.templates.base import (
    ArticlePage,
    ListingPage,
    body,
    e,
    feed_link,
    head_meta,
    link_list,
    special_body,
)

FURNITURE = (
    "Read also",
    "Support independent journalism from Kyiv",
    "Become a member for the price of a coffee a month.",
    "Get our morning newsletter",
    "Comments (2)",
    "Glory to the defenders.",
    "Photo:",
)


def _nav(base: str) -> str:
    return f"""<nav class="top-menu"><a href="{base}/">Kyiv Ledger</a>
<a href="{base}/section/war">War</a> <a href="{base}/section/politics">Politics</a>
<a href="{base}/section/economy">Economy</a> <a href="{base}/tag/north-korea">North Korea</a></nav>"""


def article(page: ArticlePage) -> str:
    if page.kind == "article":
        content = body(
            page,
            insert='<div class="read-also"><span>Read also</span> <a href="{}">{}</a></div>',
            read_more='<p class="continue"><a href="{0}">{1}</a></p>',
        )
        # The Ledger puts one of its own "Read also" links after the second paragraph.
        if page.related and len(page.paragraphs) > 3:
            marker = f"<p>{e(page.paragraphs[1])}</p>"
            title, url = page.related[0]
            own = f'<div class="read-also"><span>Read also</span> <a href="{e(url)}">{e(title)}</a></div>'
            content = content.replace(marker, marker + "\n" + own, 1)
    else:
        content = special_body(page)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<title>{e(page.title)} — Kyiv Ledger</title>
{head_meta(page)}
</head><body>
{_nav(page.base)}
<main class="layout"><article class="post" data-section="{e(page.section)}">
<h1 class="post__title">{e(page.title)}</h1>
<div class="post__info"><span class="post__author">{e(" / ".join(page.authors))}</span>
<span class="post__time">{page.published:%d.%m.%Y, %H:%M}</span></div>
<div class="post__photo"><img src="{page.image_url}" alt=""><span class="post__photo-source">Photo: {e(page.image_credit)}</span></div>
<div class="post__text">
{content}
</div>
</article>
<div class="donate"><h3>Support independent journalism from Kyiv</h3>
<p>Become a member for the price of a coffee a month.</p></div>
<div class="subscribe"><h4>Get our morning newsletter</h4><form><input type="email"></form></div>
<div class="more-news"><ul>{link_list(page.related, '<li class="more-news__item"><a href="{}">{}</a></li>')}</ul></div>
<div class="comments"><h4>Comments (2)</h4>
<div class="comment"><p>Glory to the defenders.</p></div>
<div class="comment"><p>Thank you for the detailed report, please keep writing about this.</p></div></div>
</main>
<footer><p>© Kyiv Ledger. Reproduction only with a hyperlink.</p></footer>
</body></html>
"""


def listing(page: ListingPage) -> str:
    items = "\n".join(
        f'<li class="news-item"><a href="{e(url)}">{e(title)}</a></li>'
        for title, url, _ in page.links
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(page.heading)} — Kyiv Ledger</title>
{feed_link(page.outlet, page.feed_url)}
</head><body>
{_nav(page.base)}
<main><h1>{e(page.heading)}</h1><ul class="news-list">{items}</ul></main>
</body></html>
"""
