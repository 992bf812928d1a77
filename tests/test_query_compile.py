"""The compiled forms' contracts: Elasticsearch field names and clause shapes, FTS5 quoting."""

from __future__ import annotations

import pytest

from crawler.query import Fts5Query, parse_query, to_elasticsearch, to_fts5


def es(query: str) -> dict:
    return to_elasticsearch(parse_query(query))


def phrases(name: str, boost: float, *runs: str) -> list[dict]:
    return [{"match_phrase": {name: {"query": run, "boost": boost}}} for run in runs]


def either(*clauses: dict) -> dict:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def test_es_word_searches_the_analysed_tokens_of_title_and_text() -> None:
    # one alternative: every Latin-script language stems "Kyïv" alike
    assert es("Kyïv") == either(
        *phrases("tokens.title", 2.0, "kyiv"), *phrases("tokens.text", 1.0, "kyiv")
    )


def test_es_a_term_is_an_or_of_its_alternatives_in_each_field() -> None:
    runs = ("north korea", "north kor", "north kore")  # as the stemmers of the Latin script
    assert es('"North Korea"') == either(
        *phrases("tokens.title", 2.0, *runs), *phrases("tokens.text", 1.0, *runs)
    )
    # Russian, Ukrainian and no analysis
    assert es("title:Кореи") == either(*phrases("tokens.title", 1.0, "коре", "кор", "кореи"))


def test_es_exact_terms_and_prefixes_search_the_folded_words() -> None:
    assert es("exact:Koreas") == either(
        *phrases("tokens.title_words", 2.0, "koreas"), *phrases("tokens.text_words", 1.0, "koreas")
    )
    assert es("Kÿi*") == either(
        {"prefix": {"tokens.title_words": {"value": "kyi", "boost": 2.0}}},
        {"prefix": {"tokens.text_words": {"value": "kyi", "boost": 1.0}}},
    )
    assert es("outlet:Reu*") == {"prefix": {"tokens.outlets": {"value": "reu", "boost": 1.0}}}


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ('outlet:"BBC News"', "tokens.outlets", "bbc news"),
        ("author:Smith", "tokens.authors", "smith"),
    ],
)
def test_es_name_fields_match_phrases_of_words(query: str, field: str, words: str) -> None:
    assert es(query) == {"match_phrase": {field: {"query": words, "boost": 1.0}}}


def test_es_not_and_pure_negative_queries() -> None:
    korea = es("Korea")
    russia = es("Russia")
    assert es("Korea -Russia") == {"bool": {"must": [korea], "must_not": [russia]}}
    assert es("NOT Russia") == {"bool": {"must": [{"match_all": {}}], "must_not": [russia]}}
    assert es("Korea OR Russia") == {"bool": {"should": [korea, russia], "minimum_should_match": 1}}


CLAUSES = {"bool", "match_phrase", "prefix", "match_all"}


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


def test_fts5_quotes_every_term_and_ors_its_alternatives() -> None:
    korea = '({title text} : "korea" OR {title text} : "kor" OR {title text} : "kore")'
    north = (
        '({title text} : "north korea" OR {title text} : "north kor"'
        ' OR {title text} : "north kore")'
    )
    assert to_fts5(parse_query('Korea "North Korea" x\\"y')) == Fts5Query(
        match=f'({korea} AND {north} AND {{title text}} : "x y")'
    )


def test_fts5_prefix_and_columns() -> None:
    query = to_fts5(parse_query("Kor* title:a text:b outlet:c author:do* exact:Koreas"))
    assert query.match == (
        '({title_words text_words} : "kor" * AND title : "a" AND text : "b" AND outlets : "c"'
        ' AND authors : "do" * AND {title_words text_words} : "koreas")'
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
