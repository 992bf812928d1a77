"""The compiled forms' contracts: Elasticsearch field names and clause shapes, FTS5 quoting."""

from __future__ import annotations

import pytest

from crawler.query import Fts5Query, parse_query, to_elasticsearch, to_fts5

WORD_FIELDS = ["title^2", "title.en", "text", "text.en"]


def es(query: str) -> dict:
    return to_elasticsearch(parse_query(query))


def test_es_word_searches_title_and_text_with_their_english_subfields() -> None:
    assert es("Kyïv") == {
        "multi_match": {"query": "Kyïv", "fields": WORD_FIELDS, "operator": "and"}
    }


def test_es_phrase_and_multiword_terms() -> None:
    expected = {"multi_match": {"query": "North Korea", "type": "phrase", "fields": WORD_FIELDS}}
    assert es('"North Korea"') == expected
    assert es("e-mail")["multi_match"]["type"] == "phrase"


def test_es_prefix_is_folded_because_prefix_queries_are_not_analysed() -> None:
    assert es("Kÿi*") == {
        "bool": {
            "should": [
                {"prefix": {"title": {"value": "kyi"}}},
                {"prefix": {"text": {"value": "kyi"}}},
            ],
            "minimum_should_match": 1,
        }
    }
    assert es("outlet:Reu*") == {"prefix": {"outlets.text": {"value": "reu"}}}


@pytest.mark.parametrize(
    ("query", "field"),
    [('outlet:"BBC News"', "outlets.text"), ("author:Smith", "authors")],
)
def test_es_name_fields_match_phrases(query: str, field: str) -> None:
    ((name, body),) = es(query)["match_phrase"].items()
    assert name == field and body["query"] in ("BBC News", "Smith")


def test_es_fielded_text_terms() -> None:
    assert es("title:x")["multi_match"]["fields"] == ["title", "title.en"]
    assert es("text:x")["multi_match"]["fields"] == ["text", "text.en"]


def test_es_not_and_pure_negative_queries() -> None:
    korea = es("Korea")
    russia = es("Russia")
    assert es("Korea -Russia") == {"bool": {"must": [korea], "must_not": [russia]}}
    assert es("NOT Russia") == {"bool": {"must": [{"match_all": {}}], "must_not": [russia]}}
    assert es("Korea OR Russia") == {"bool": {"should": [korea, russia], "minimum_should_match": 1}}


CLAUSES = {"bool", "multi_match", "match_phrase", "prefix", "match_all"}


def clause_types(query: dict) -> set[str]:
    """The query clause types used in a compiled query, all the way down."""
    ((kind, body),) = query.items()
    found = {kind}
    if kind == "bool":
        for occurrence in ("must", "must_not", "should"):
            for clause in body.get(occurrence, []):
                found |= clause_types(clause)
    return found


def test_es_uses_only_structured_clauses() -> None:
    # no query_string, no script: user text only ever lands in a "query" or "value" slot
    compiled = es('title:"a \\" b" OR (cc* -d) author:"x y" AND (NOT e OR outlet:ff*)')
    assert clause_types(compiled) == CLAUSES


def test_fts5_quotes_every_term() -> None:
    assert to_fts5(parse_query('Korea "North Korea" x\\"y')) == Fts5Query(
        match='({title text} : "Korea" AND {title text} : "North Korea" AND {title text} : "x""y")'
    )


def test_fts5_prefix_and_columns() -> None:
    query = to_fts5(parse_query("Kor* title:a text:b outlet:c author:do*"))
    assert query.match == (
        '({title text} : "Kor" * AND title : "a" AND text : "b" AND outlets : "c"'
        ' AND authors : "do" *)'
    )


def test_fts5_binary_not_and_pure_negative_form() -> None:
    assert to_fts5(parse_query("a -b -c")) == Fts5Query(
        match='({title text} : "a" NOT ({title text} : "b" OR {title text} : "c"))'
    )
    assert to_fts5(parse_query("-b")) == Fts5Query(exclude='{title text} : "b"')
    assert to_fts5(parse_query("NOT a AND NOT b")) == Fts5Query(
        exclude='({title text} : "a" OR {title text} : "b")'
    )


def test_fts5_condition_sql() -> None:
    assert Fts5Query(match="m").condition("fts") == (
        "rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)",
        "m",
    )
    assert Fts5Query(exclude="e").condition("fts", rowid="s.rowid") == (
        "s.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)",
        "e",
    )
