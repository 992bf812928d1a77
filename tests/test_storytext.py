"""The stored text keeps the article's structure: subheadings, list items and quotes."""

from __future__ import annotations

import json
from html import escape

from crawler.base import storytext
from crawler.extract import extract_article
from crawler.web.story import lede, story_view
from tests.fixtures.backends import add_copy, make_story

PARAGRAPHS = [
    "Tariffs raise the price of imported goods, and economists agree on who carries most of it.",
    "Importers pay the duty at the border and pass much of it on to the shops that buy from them.",
    "Shops in turn raise their prices, so that the households at the end of the chain pay more.",
    "Exporters abroad sometimes lower their prices to keep their buyers, taking a share of it.",
    "Over a year or two the cost settles where buyers have the fewest alternatives to turn to.",
]
SUBHEADS = {1: "Who pays the cost of a tariff?", 3: "What happens to prices"}


def explainer(template: str) -> str:
    """An explainer whose JSON-LD body lacks its subheadings, in one of two templates."""
    body = []
    for i, paragraph in enumerate(PARAGRAPHS):
        if i in SUBHEADS:
            tag = "h2" if template == "magazine" else 'h3 class="subhead"'
            body.append(f"<{tag}>{escape(SUBHEADS[i])}</{tag.split()[0]}>")
        body.append(f"<p>{escape(paragraph)}</p>")
    body.insert(3, "<ul><li>Importers pay first, at the border.</li><li>Buyers pay last.</li></ul>")
    body.append("<blockquote><p>Nobody escapes the bill, in the end, as we found.</p></blockquote>")
    jsonld = {
        "@type": "NewsArticle",
        "headline": "Tariffs, explained",
        "articleBody": "\n".join(PARAGRAPHS),
        "datePublished": "2026-11-20T07:15:00Z",
    }
    wrapper = "article" if template == "magazine" else 'div class="story-body"'
    return f"""<!doctype html><html lang="en"><head><title>Tariffs, explained</title>
<script type="application/ld+json">{json.dumps(jsonld)}</script></head>
<body><header><nav><a href="/">Home</a></nav></header>
<{wrapper}><h1>Tariffs, explained</h1>{"".join(body)}</{wrapper.split()[0]}>
<footer><p>Copyright 2026 The Outlet</p></footer></body></html>"""


def test_blocks_read_the_marks() -> None:
    text = "## Who pays?\nA paragraph.\n- an item\n> a quote\n#hashtag opens this"
    kinds = [(b.kind, b.text) for b in storytext.blocks(text)]
    assert kinds == [
        ("heading", "Who pays?"),
        ("paragraph", "A paragraph."),
        ("item", "an item"),
        ("quote", "a quote"),
        ("paragraph", "#hashtag opens this"),
    ]
    assert storytext.join(storytext.blocks(text)) == text
    assert storytext.plain_text(text).splitlines()[0] == "Who pays?"


def test_subheadings_lists_and_quotes_kept_on_two_templates() -> None:
    for template in ("magazine", "plain"):
        page = extract_article(explainer(template), "https://outlet.example/tariffs")
        blocks = storytext.blocks(page.text)
        headings = [b.text for b in blocks if b.kind == "heading"]
        assert headings == list(SUBHEADS.values()), template
        assert [b.text for b in blocks if b.kind == "paragraph"][:5] == PARAGRAPHS
        assert [b.text for b in blocks if b.kind == "item"] == [
            "Importers pay first, at the border.",
            "Buyers pay last.",
        ]
        assert [b.kind for b in blocks if "Nobody escapes" in b.text] == ["quote"]


def test_story_page_shows_structure_no_repeated_lede_and_no_change_for_an_exact_copy() -> None:
    text = "\n".join(["## The front", PARAGRAPHS[0], "- one", "- two", "> said", PARAGRAPHS[1]])
    story = make_story("http://a.test/1", text=text)
    story.description = PARAGRAPHS[0]
    story = add_copy(story, "Outlet B", "http://b.test/1", match="exact")
    # The copy's page set the subheading as a paragraph: still the same text.
    story.copies[1].text = storytext.plain_text(text)
    view = story_view(story)
    assert [(b.kind, b.text or b.items) for b in view.blocks] == [
        ("heading", "The front"),
        ("paragraph", PARAGRAPHS[0]),
        ("list", ("one", "two")),
        ("quote", "said"),
        ("paragraph", PARAGRAPHS[1]),
    ]
    assert view.lede == ""  # the text opens with the description
    assert lede("A summary the text does not open with.", text) != ""
    diff = view.changed[0].diff
    assert diff is not None and diff.identical


def test_the_page_headline_and_an_author_box_are_no_story_text() -> None:
    html = explainer("magazine").replace(
        "<h1>Tariffs, explained</h1>", "<h1>Who pays for tariffs: the full explainer</h1>"
    )
    box = "Dana Reyes is a senior economics correspondent who covers trade for the Outlet."
    html = html.replace("</article>", f"<p>{box}</p></article>")
    html = html.replace('"datePublished"', '"author": {"name": "Dana Reyes"}, "datePublished"')
    text = extract_article(html, "https://outlet.example/tariffs").text
    assert "full explainer" not in text and box not in text
    assert storytext.blocks(text)[0].text == PARAGRAPHS[0]
    # A paragraph naming the author's namesake inside the story stays.
    assert storytext.blocks(text)[-1].kind == "quote"
