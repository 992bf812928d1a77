"""The promise of issue 19: for every story and every query, in every language, the topic
matcher, the embedded index's search and Elasticsearch's search agree."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.index.search_index import SearchRequest
from crawler.index.sqlite import SqliteBackend
from crawler.topics import TopicMatcher
from tests.fixtures.backends import make_story
from tests.fixtures.multilingual import CORPUS, EXPECTED, TERMS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from elasticsearch import Elasticsearch

    from crawler.index.backend import IndexBackend

pytestmark = pytest.mark.elasticsearch

STORIES = {
    text.key: make_story(
        f"https://{text.key}.example/story",
        title=text.title,
        text=text.text,
        language=text.language,  # type: ignore[arg-type]
        outlet=f"Outlet {text.key}",
        topics=(),
    )
    for text in CORPUS
}
KEYS = {story.id: key for key, story in STORIES.items()}


@pytest.fixture(scope="module")
def backends(
    tmp_path_factory: pytest.TempPathFactory, es_url: str, es_client: Elasticsearch
) -> Iterator[dict[str, IndexBackend]]:
    from crawler.config.schema import ElasticsearchIndex
    from crawler.index.elasticsearch import ElasticsearchBackend

    path = tmp_path_factory.mktemp("languages")
    prefix = f"test-lang-{uuid.uuid4().hex[:8]}"
    opened: dict[str, IndexBackend] = {
        "embedded": SqliteBackend(path / "index.sqlite3"),
        "elasticsearch": ElasticsearchBackend(
            ElasticsearchIndex(url=[es_url], index_prefix=prefix), state_dir=path / "state"
        ),
    }
    for backend in opened.values():
        backend.open()
        for story in STORIES.values():
            backend.put_story(story)
        backend.flush()
    yield opened
    for backend in opened.values():
        backend.close()
    es_client.options(ignore_status=404).indices.delete(index=f"{prefix}-*")


def matched(query: str) -> set[str]:
    topics = TopicMatcher({"q": query})
    return {key for key, story in STORIES.items() if topics.match(story)}


def found(backend: IndexBackend, query: str) -> set[str]:
    page = backend.search(SearchRequest(query=query, limit=len(STORIES) + 1, highlight=False))
    return {KEYS[hit.story.id] for hit in page.hits}


@pytest.mark.parametrize(("query", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_base_forms_find_the_inflected_stories_in_every_language(
    backends: dict[str, IndexBackend], query: str, expected: set[str]
) -> None:
    assert matched(query) == expected
    for backend in backends.values():
        assert found(backend, query) == expected, backend.name


def _leaf() -> st.SearchStrategy[str]:
    return st.sampled_from(TERMS)


queries = st.recursive(
    _leaf(),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]} AND {pair[1]})"),
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]} OR {pair[1]})"),
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]} -{pair[1]})"),
        inner.map(lambda query: f"NOT {query}"),
    ),
    max_leaves=4,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=queries)
def test_the_matcher_and_both_backends_agree(backends: dict[str, IndexBackend], query: str) -> None:
    expected = matched(query)
    for backend in backends.values():
        assert found(backend, query) == expected, (backend.name, query)


def test_snippets_mark_the_same_words_on_both_backends(
    backends: dict[str, IndexBackend],
) -> None:
    request = SearchRequest(query='"Північна Корея" OR 북한 OR Nordkorea', limit=30)
    snippets = {
        name: {KEYS[hit.story.id]: hit.snippet for hit in backend.search(request).hits}
        for name, backend in backends.items()
    }
    assert snippets["embedded"] == snippets["elasticsearch"]
    assert "«Північної» «Кореї»" in snippets["embedded"]["uk"]
    assert "«북한이»" in snippets["embedded"]["ko"]
    assert "«Nordkoreas»" in snippets["embedded"]["de"]
