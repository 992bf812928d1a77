"""The query language over analysed text: base forms find inflections, exact: asks for the form."""

from __future__ import annotations

import pytest

from crawler.query import QuerySyntaxError, matches, parse_query
from crawler.query.highlight import highlight
from crawler.query.tree import Term
from crawler.story import Story
from crawler.topics import TopicMatcher
from crawler.web.templating import highlighted, marked

RUSSIAN = {"title": "Войска Северной Кореи", "text": "Под Курском.", "language": "ru"}
KOREAN = {"title": "북한군이 쿠르스크에", "text": "", "language": "ko"}


@pytest.mark.parametrize(
    ("query", "doc", "expected"),
    [
        ('"Северная Корея"', RUSSIAN, True),
        ('exact:"Северная Корея"', RUSSIAN, False),
        ('exact:"Северной Кореи"', RUSSIAN, True),
        ("title:exact:Кореи", RUSSIAN, True),
        ("exact:title:Корея", RUSSIAN, False),
        ("exact:(Корея OR Курском)", RUSSIAN, True),
        ("Курск AND NOT exact:Курск", RUSSIAN, True),
        ("북한", KOREAN, True),
        ("남한", KOREAN, False),
        ("text:북한", KOREAN, False),
    ],
)
def test_analysed_and_exact_terms(query: str, doc: dict[str, str], expected: bool) -> None:
    assert matches(parse_query(query), doc) is expected


def test_exact_marks_terms_and_prefixes_stay_exact() -> None:
    tree = parse_query("exact:korea kor* Korea outlet:Reuters")
    terms = [node for node in tree.root.children if isinstance(node, Term)]  # type: ignore[union-attr]
    assert [term.analysed for term in terms] == [False, False, True, False]


def test_a_field_inside_a_field_is_still_refused() -> None:
    with pytest.raises(QuerySyntaxError, match="inside field"):
        parse_query("title:text:korea")


def test_topics_match_stories_in_their_language() -> None:
    topics = TopicMatcher({"war": '"Північна Корея" OR 北朝鮮 OR 북한 OR "Северная Корея"'})
    ukrainian = Story(id="1", url="u", title="Війська Північної Кореї", language="uk")
    japanese = Story(id="2", url="j", title="北朝鮮兵がクルスクで", language="ja")
    south = Story(id="3", url="s", title="남한 정부 발표", language="ko")
    assert topics.match(ukrainian) == ["war"]
    assert topics.match(japanese) == ["war"]
    assert topics.match(south) == []


def test_snippets_and_pages_mark_the_inflected_forms_escaped() -> None:
    marks = highlight('"Северная Корея" OR 북한 -Курск')
    snippet = marks.snippet("T", "<b>Войска «Северной Кореи»</b> и 북한군이 под Курском", "ru")
    assert snippet == "<b>Войска ‹«Северной» «Кореи»›</b> и «북한군이» под Курском"
    assert marked(snippet, marks) == (
        "&lt;b&gt;Войска ‹<mark>Северной</mark> <mark>Кореи</mark>›&lt;/b&gt; "
        "и <mark>북한군이</mark> под Курском"
    )
    assert highlighted("<i>Північної Кореї</i>", highlight('"Північна Корея"')) == (
        "&lt;i&gt;<mark>Північної</mark> <mark>Кореї</mark>&lt;/i&gt;"
    )
    assert highlight("title:exact:Кореи").snippet("Кореи и Корея", "", None) == "«Кореи» и Корея"
