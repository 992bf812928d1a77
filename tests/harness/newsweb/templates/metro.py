"""Metro Evening Post: an old table layout, no metadata, share bar and "You might also like"."""

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
    "This site uses cookies. By continuing to browse you agree to our use of cookies.",
    "Share this story: Facebook Twitter Email",
    "You might also like",
    "Have your say",
    "Best noodles in town, no contest.",
    "Metro Evening Post, serving the city since 1923",
)


def _header(base: str) -> str:
    return f"""<div class="cookie-notice">This site uses cookies. By continuing to browse you agree to our use of cookies. <a href="#">OK</a></div>
<table class="header" width="100%"><tr><td><a href="{base}/"><img src="{base}/logo.gif" alt="Metro Evening Post"></a></td>
<td><a href="{base}/section/city">City</a> | <a href="{base}/section/food">Food</a> | <a href="{base}/section/world">World</a></td></tr></table>"""


def article(page: ArticlePage) -> str:
    content = (
        body(
            page,
            insert='<p><b>ALSO READ:</b> <a href="{}">{}</a></p>',
            read_more='<p><i><a href="{0}">{1}</a></i></p>',
        )
        if page.kind == "article"
        else special_body(page)
    )
    by = f"Posted by {e(byline(page.authors))} on " if page.authors else "Posted on "
    return f"""<html><head>
<title>{e(page.title)} - Metro Evening Post</title>
{head_meta(page)}
</head><body bgcolor="#ffffff">
{_header(page.base)}
<table width="100%"><tr><td valign="top" width="70%">
<div class="story">
<font size="5"><b>{e(page.title)}</b></font>
<div class="posted">{by}{page.published:%m/%d/%Y at %I:%M %p} UTC</div>
<img src="{page.image_url}" alt=""><div class="credit"><small>{e(page.image_credit)}</small></div>
{content}
<div class="share">Share this story: Facebook Twitter Email</div>
</div>
<div class="comments"><b>Have your say</b>
<div class="c"><i>noodlefan88</i>: Best noodles in town, no contest.</div></div>
</td><td valign="top"><div class="sidebar"><b>You might also like</b><ul>{link_list(page.related)}</ul></div></td></tr></table>
<center><small>Metro Evening Post, serving the city since 1923</small></center>
</body></html>
"""


def listing(page: ListingPage) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{e(url)}"><b>{e(title)}</b></a><br><small>{e(summary)}</small></td></tr>'
        for title, url, summary in page.links
    )
    return f"""<html><head><meta charset="utf-8"><title>{e(page.heading)} - Metro Evening Post</title>
{feed_link(page.outlet, page.feed_url)}
</head><body>{_header(page.base)}<h1>{e(page.heading)}</h1><table>{rows}</table></body></html>
"""
