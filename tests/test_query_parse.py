"""The query language's syntax: what parses into which tree, and what is rejected where."""

from __future__ import annotations

import pytest

from crawler.query import MAX_DEPTH, QuerySyntaxError, parse_query, terms_for_highlight
from crawler.query.tree import And, Not, Or, Term


def word(text: str, field: str | None = None, prefix: bool = False) -> Term:
    return Term(text, (text.lower(),), field, prefix=prefix)


def phrase(text: str, field: str | None = None) -> Term:
    return Term(text, tuple(text.lower().split()), field, phrase=True)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("Korea", word("Korea")),
        ('"North Korea"', phrase("North Korea")),
        ("Korea Russia", And((word("Korea"), word("Russia")))),  # implicit AND
        ("Korea AND Russia", And((word("Korea"), word("Russia")))),
        ("Korea && Russia", And((word("Korea"), word("Russia")))),
        ("Korea OR Russia", Or((word("Korea"), word("Russia")))),
        ("Korea || Russia", Or((word("Korea"), word("Russia")))),
        ("NOT Korea", Not(word("Korea"))),
        ("!Korea", Not(word("Korea"))),
        ("! Korea", Not(word("Korea"))),
        ("Korea -Russia", And((word("Korea"), Not(word("Russia"))))),
        ("+Korea Russia", And((word("Korea"), word("Russia")))),
        ("Kor*", word("Kor", prefix=True)),
        ("title:Korea", word("Korea", "title")),
        ("text:Korea", word("Korea", "text")),
        ("outlet:BBC", word("BBC", "outlet")),
        ("author:Smith", word("Smith", "author")),
        ('Title:"North Korea"', phrase("North Korea", "title")),
        ("title:(Korea OR Kor*)", Or((word("Korea", "title"), word("Kor", "title", True)))),
        (
            "a AND (b OR c) -d",
            And((word("a"), Or((word("b"), word("c"))), Not(word("d")))),
        ),
        # AND binds tighter than OR, OR tighter than the implicit AND
        ("a OR b AND c", Or((word("a"), And((word("b"), word("c")))))),
        ("a b OR c", And((word("a"), Or((word("b"), word("c")))))),
        ("a AND b AND c", And((word("a"), word("b"), word("c")))),  # flattened
        ("NOT NOT a", word("a")),
        # lower-case operators are plain words, as in Lucene
        ("a or b", And((word("a"), word("or"), word("b")))),
        # a word with inner punctuation is a phrase of its words
        ("Korea's", Term("Korea's", ("korea", "s"), phrase=True)),
        (r"title\:x", Term("title:x", ("title", "x"), phrase=True)),
    ],
)
def test_syntax(query: str, tree: object) -> None:
    assert parse_query(query).root == tree


def test_phrase_with_quote_inside() -> None:
    assert parse_query(r'"say \"hi\""').root == Term('say "hi"', ("say", "hi"), phrase=True)


def test_accented_words_fold() -> None:
    assert parse_query("Kyïv").root == Term("Kyïv", ("kyiv",))


@pytest.mark.parametrize(
    ("query", "position", "reason"),
    [
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ("Korea AND", 9, "unexpected end of query"),
        ("Korea OR", 8, "unexpected end of query"),
        ("AND Korea", 0, "AND needs a term on each side"),
        ("Korea OR OR Russia", 9, "OR needs a term on each side"),
        ("(Korea OR Russia", 0, "unclosed ("),
        ("a (b (c)", 2, "unclosed ("),
        ("Korea)", 5, "unmatched )"),
        ('"North Korea', 0, "unclosed quote"),
        ("Korea 'DPRK'", 6, "quote phrases with double quotes"),
        ("Korea /re/", 6, "regular expressions"),
        ("foo:bar", 0, "unknown field 'foo' (fields are title, text, outlet, author"),
        ("a title.en:x", 2, "unknown field 'title.en'"),
        ("title:(a text:b)", 9, "field 'text' inside field 'title'"),
        ("Korea~2", 5, "fuzzy matching (~) is not supported"),
        ('"North Korea"~3', 13, "proximity search"),
        ("Korea^2", 5, "boosts (^) are not supported"),
        ("[a TO b]", 0, "ranges"),
        ("x >5", 2, "ranges"),
        ("*orea", 0, "leading wildcards are not supported"),
        ("Ko*ea", 2, "* is only supported at the end of a word"),
        ("Kore?", 4, "? wildcards are not supported"),
        ("K*", 0, "at least 2 letters"),
        ("e-ma*", 0, "a * prefix must follow a single word"),
        ('"North Kor*"', 10, "wildcards do not work inside quotes"),
        ('a ""', 2, "nothing to search for"),
        ("a &", 2, "nothing to search for"),
        ("a && -", 6, "unexpected end of query"),
        ("!!x:y", 2, "unknown field 'x'"),  # positions survive the ! -> NOT rewrite
        ("a && foo:b", 5, "unknown field 'foo'"),
    ],
)
def test_errors_point_at_the_position(query: str, position: int, reason: str) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    error = caught.value
    assert isinstance(error, ValueError)  # pydantic reports ValueErrors as validation errors
    assert error.position == position
    assert reason in error.reason
    message_line, query_line, caret_line = str(error).split("\n")
    assert message_line == f"{error.reason} at position {position}"
    assert query_line == f"  {query}"
    assert caret_line == "  " + " " * position + "^"


def test_caret_in_a_long_query_points_at_the_fault() -> None:
    query = "Korea " * 40 + "foo:bar " + "Russia " * 40
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    _, query_line, caret_line = str(caught.value).split("\n")
    assert query_line.startswith("  ...") and query_line.endswith("...")
    column = caret_line.index("^")
    assert query_line[column : column + 7] == "foo:bar"


def test_multiline_query_keeps_the_caret_aligned() -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query("Korea\nOR\tfoo:bar")
    _, query_line, caret_line = str(caught.value).split("\n")
    assert query_line == "  Korea OR foo:bar"
    assert query_line[caret_line.index("^") :] == "foo:bar"


@pytest.mark.parametrize(
    "query",
    [
        "(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5),
        "NOT " * 10_000 + "a",
        "-" * 10_000 + "a",
        "title:(" * 3 + "a" + ")" * 3,
    ],
)
def test_pathological_nesting_is_rejected_cleanly(query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(query)


def test_nesting_up_to_the_limit_is_accepted() -> None:
    depth = MAX_DEPTH // 2
    assert parse_query("(" * depth + "a" + ")" * depth).root == word("a")


def test_long_flat_query_parses() -> None:
    query = " OR ".join(f"word{i}" for i in range(2000))
    root = parse_query(query).root
    assert isinstance(root, Or) and len(root.children) == 2000


def test_terms_for_highlight_skip_negated_terms() -> None:
    tree = parse_query('"North Korea" Kor* -Koreatown NOT (x OR y) title:z')
    assert [term.text for term in terms_for_highlight(tree)] == ["North Korea", "Kor", "z"]


def test_config_rejects_a_bad_topic_query_with_its_position(tmp_path) -> None:
    from crawler.config import load_config
    from crawler.config.load import ConfigError

    path = tmp_path / "config.yaml"
    path.write_text(
        "topics:\n  - name: t\n    query: 'Korea AND foo:bar'\n"
        "sources:\n  - name: s\n    outlet: S\n    feeds: ['http://127.0.0.2/feed']\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "unknown field 'foo'" in str(caught.value)
    assert "position 10" in str(caught.value)
