"""The multilingual outlets' template: `<html lang>` as the outlet declares it, plain chrome."""

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

FURNITURE = ("Newsletter", "Most read", "Share: Telegram | X | Facebook")


def _lang(page: ArticlePage) -> str:
    if not page.lang:
        return ""
    rtl = ' dir="rtl"' if page.lang.startswith(("ar", "he", "fa")) else ""
    return f' lang="{e(page.lang)}"{rtl}'


def article(page: ArticlePage) -> str:
    content = (
        body(
            page,
            insert='<p class="also"><a href="{}">{}</a></p>',
            read_more='<p class="more"><a href="{0}">{1}</a></p>',
        )
        if page.kind == "article"
        else special_body(page)
    )
    by = f'<p class="byline">{e(byline(page.authors))}</p>' if page.authors else ""
    return f"""<!DOCTYPE html>
<html{_lang(page)}><head>
<title>{e(page.title)} | {e(page.outlet.name)}</title>
{head_meta(page)}
</head><body>
<header><a class="brand" href="{page.base}/">{e(page.outlet.name)}</a></header>
<main><article>
<h1>{e(page.title)}</h1>
{by}
<time datetime="{page.published.isoformat()}">{page.published:%Y-%m-%d %H:%M}</time>
<div class="article-body">
{content}
</div>
<p class="share">Share: Telegram | X | Facebook</p>
</article>
<aside><h2>Most read</h2><ul>{link_list(page.related)}</ul></aside>
<aside><h2>Newsletter</h2></aside>
</main>
<footer><p>© 2026 {e(page.outlet.name)}</p></footer>
</body></html>
"""


def listing(page: ListingPage) -> str:
    items = "\n".join(f'<li><a href="{e(url)}">{e(title)}</a></li>' for title, url, _ in page.links)
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{e(page.heading)} | {e(page.outlet.name)}</title>
{feed_link(page.outlet, page.feed_url)}
</head><body><h1>{e(page.heading)}</h1><ul>{items}</ul></body></html>
"""
