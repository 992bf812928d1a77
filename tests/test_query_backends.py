"""Compiled queries run on SQLite FTS5 and Elasticsearch and find what the matcher finds."""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import TYPE_CHECKING, Any

import pytest

from crawler.index.elasticsearch.tokens import with_tokens
from crawler.index.mappings import index_definition
from crawler.index.sqlite.schema import FTS_COLUMNS
from crawler.index.tokens import search_tokens
from crawler.query import matches, parse_query, to_elasticsearch, to_fts5

if TYPE_CHECKING:
    from collections.abc import Iterator

    from elasticsearch import Elasticsearch

CORPUS: dict[int, dict[str, Any]] = {
    1: {
        "title": "North Korea sends more troops",
        "text": "Kyïv says North Korea's soldiers fight in Kursk.",
        "outlets": ["Korea Herald", "Reuters"],
        "authors": ["Jane Doe"],
    },
    2: {
        "title": "Koreatown food review",
        "text": "Best barbecue in Koreatown; the Korean-style broth shines.",
        "outlets": ["Eater"],
        "authors": ["Bob Smith"],
    },
    3: {
        "title": "Russia energy exports",
        "text": "Gazprom ships gas to China as the Kremlin looks east.",
        "outlets": ["Reuters"],
        "authors": ["Al Jones"],
    },
    4: {
        "title": "South Korea and North hold talks",
        "text": "North and South Korea met at the border.",
        "outlets": ["BBC News"],
        "authors": ["Jane Roe"],
    },
    5: {
        "title": "Élysée statement on Ukraine",
        "text": "The ELYSEE said Ukraine needs air defence; Pyongyang denied it.",
        "outlets": ["Le Monde"],
        "authors": ["Émile Zola"],
    },
    6: {
        "title": "Kim Jong-un meets Putin",
        "text": "The DPRK leader travelled to Vladivostok by train, Gazeta Północna says.",
        "outlets": ["Yonhap"],
        "authors": ["Kim Min"],
    },
}

# query -> the ids every backend must find
CASES = {
    "Korea": {1, 4},
    "korea -koreatown": {1, 4},
    '"North Korea"': {1},
    '"south korea"': {4},
    "south korea": {4},
    "Kor*": {1, 2, 4},
    "kre*": {3},
    "Kyiv": {1},
    "Elysée": {5},
    "elysee": {5},
    "polnocna": {6},
    "NOT Korea": {2, 3, 5, 6},
    "-Korea -Russia": {2, 5, 6},
    "Korea OR -Russia": {1, 2, 4, 5, 6},
    "gas AND (China OR Japan) AND NOT Korea": {3},
    "(Pyongyang OR DPRK) -Putin": {5},
    "Korea AND (troops OR -border)": {1},
    "Kim Jong-un": {6},
    '"Kim Jong Un"': {6},
    "title:Korea": {1, 4},
    "text:troops": set(),
    "title:(Ukraine OR Putin)": {5, 6},
    "text:Kyiv -title:food": {1},
    'outlet:"Korea Herald"': {1},
    "outlet:reuters": {1, 3},
    "outlet:reu*": {1, 3},
    "author:Jane": {1, 4},
    'author:"Jane Doe"': {1},
    "author:emile": {5},
    'x"y': set(),
    "Korea && !(South || border)": {1},
}


def matcher_ids(query: str) -> set[int]:
    tree = parse_query(query)
    return {doc_id for doc_id, doc in CORPUS.items() if matches(tree, doc)}


@pytest.mark.parametrize(("query", "expected"), CASES.items(), ids=list(CASES))
def test_matcher(query: str, expected: set[int]) -> None:
    assert matcher_ids(query) == expected


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    """The FTS5 table of the contract, filled as the embedded backend fills it (tokens)."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE fts USING fts5({', '.join(FTS_COLUMNS)}, tokenize = 'ascii')")
    for doc_id, doc in CORPUS.items():
        found = search_tokens(doc)
        db.execute(f"INSERT INTO fts(rowid, {', '.join(FTS_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [doc_id, *(found[column] for column in FTS_COLUMNS)])  # fmt: skip
    yield db
    db.close()


@pytest.mark.parametrize(("query", "expected"), CASES.items(), ids=list(CASES))
def test_fts5(fts: sqlite3.Connection, query: str, expected: set[int]) -> None:
    compiled = to_fts5(parse_query(query))
    sql, parameter = compiled.condition("fts")
    found = {row[0] for row in fts.execute(f"SELECT rowid FROM fts WHERE {sql}", [parameter])}
    assert found == expected == matcher_ids(query)


def test_fts5_match_form_runs_directly(fts: sqlite3.Connection) -> None:
    compiled = to_fts5(parse_query('"North Korea" OR title:food'))
    assert compiled.exclude is None and compiled.match is not None
    rows = fts.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank", [compiled.match])
    assert {row[0] for row in rows} == {1, 2}


@pytest.mark.parametrize(
    "query",
    [
        '"{title text} : Korea"',
        '"Korea OR Russia"',
        "NEAR(North Korea)",
        r"Kor\*",
        r"Korea\"",
        '"title : Korea" OR "- Russia"',
    ],
)
def test_fts5_syntax_in_user_input_stays_literal(fts: sqlite3.Connection, query: str) -> None:
    # FTS5 operators a user types arrive quoted: they find what the matcher finds, as words
    sql, parameter = to_fts5(parse_query(query)).condition("fts")
    found = {row[0] for row in fts.execute(f"SELECT rowid FROM fts WHERE {sql}", [parameter])}
    assert found == matcher_ids(query)


@pytest.fixture(scope="module")
def es_index(es_client: Elasticsearch) -> Iterator[str]:
    """The corpus in an index made from the real story mapping (index_mappings/stories.json)."""
    name = f"test-query-{uuid.uuid4().hex[:8]}"
    definition = index_definition("stories")
    es_client.options(ignore_status=404).indices.delete(index=name)
    es_client.indices.create(index=name, settings=definition.settings, mappings=definition.mappings)
    for doc_id, doc in CORPUS.items():
        es_client.index(index=name, id=str(doc_id), document=with_tokens(doc))
    es_client.indices.refresh(index=name)
    yield name
    es_client.options(ignore_status=404).indices.delete(index=name)


@pytest.mark.elasticsearch
@pytest.mark.parametrize(("query", "expected"), CASES.items(), ids=list(CASES))
def test_elasticsearch(es_client: Elasticsearch, es_index: str, query: str, expected: set[int]):
    compiled = to_elasticsearch(parse_query(query))
    assert "query_string" not in json.dumps(compiled)
    response = es_client.search(index=es_index, query=compiled, size=100, source=False)
    found = {int(hit["_id"]) for hit in response["hits"]["hits"]}
    assert found == expected == matcher_ids(query)
