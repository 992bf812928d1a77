"""SearchRequest -> Elasticsearch request bodies, and responses -> SearchPage / Aggregations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crawler.index.cursor import decode_cursor, encode_cursor, invalid
from crawler.index.search_index import (
    Aggregations,
    Bucket,
    SearchHit,
    SearchPage,
    host_prefixes,
)
from crawler.query import parse_query, to_elasticsearch
from crawler.query.highlight import highlight
from crawler.story import Story

if TYPE_CHECKING:
    from collections.abc import Iterator

    from elasticsearch import Elasticsearch

    from crawler.index.search_index import NameKind, SearchRequest

Body = dict[str, Any]
EXPORT_PAGE = 500

DATE_SORT: list[Body] = [{"published": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
RELEVANCE_SORT: list[Body] = [{"_score": "desc"}, *DATE_SORT]


def query(request: SearchRequest) -> Body:
    """The query and filters of `request` as one bool query."""
    text = request.query.strip()
    must = [to_elasticsearch(parse_query(text))] if text else [{"match_all": {}}]
    filters: list[Body] = []
    if request.topics:
        filters.append({"terms": {"topics": list(request.topics)}})
    if request.outlets or request.hosts:
        filters.append(_outlet_filter(request))
    if request.languages:
        filters.append({"terms": {"language": list(request.languages)}})
    published: Body = {}
    if request.since is not None:
        published["gte"] = request.since.isoformat()
    if request.until is not None:
        published["lte"] = request.until.isoformat()
    if published:
        filters.append({"range": {"published": published}})
    if request.min_outlets > 1:
        filters.append({"range": {"outlet_count": {"gte": request.min_outlets}}})
    return {"bool": {"must": must, "filter": filters}}


def _outlet_filter(request: SearchRequest) -> Body:
    """Ran on one of the outlets, or has a copy on one of the hosts (www. or not)."""
    either: list[Body] = []
    if request.outlets:
        either.append({"terms": {"outlets": list(request.outlets)}})
    either += [
        {"prefix": {"copy_urls": prefix}}
        for host in request.hosts
        for prefix in host_prefixes(host)
    ]
    return {"bool": {"should": either, "minimum_should_match": 1}}


def search_body(request: SearchRequest) -> Body:
    body: Body = {
        "query": query(request),
        "sort": DATE_SORT if request.sort == "date" else RELEVANCE_SORT,
        # One more than asked tells whether another page follows.
        "size": request.limit + 1,
        "track_total_hits": True,
        # Scores are wanted with the relevance order only; date order skips computing them.
        "track_scores": request.sort == "relevance",
    }
    if request.cursor:
        after = decode_cursor(request.cursor, request.sort)
        if len(after) != len(body["sort"]):
            raise invalid(request.cursor)
        body["search_after"] = after
    return body


def search_page(response: dict[str, Any], request: SearchRequest) -> SearchPage:
    raw = response["hits"]["hits"]
    hits = []
    # Snippets are marked in Python as on the embedded backend (crawler/query/highlight.py).
    marks = highlight(request.query) if request.highlight else None
    for hit in raw[: request.limit]:
        story = Story.from_document(hit["_source"])
        snippet = "" if marks is None else marks.snippet(story.title, story.text, story.language)
        hits.append(SearchHit(story=story, score=hit.get("_score"), snippet=snippet))
    more = len(raw) > request.limit
    cursor = (
        encode_cursor(request.sort, raw[request.limit - 1]["sort"])
        if more and request.limit
        else None
    )
    return SearchPage(hits=hits, total=response["hits"]["total"]["value"], next_cursor=cursor)


def aggregations_body(request: SearchRequest, size: int) -> Body:
    return {
        "query": query(request),
        "size": 0,
        "aggs": {
            "timeline": {
                "date_histogram": {
                    "field": "published",
                    "calendar_interval": "day",
                    "format": "yyyy-MM-dd",
                    "min_doc_count": 1,
                }
            },
            "outlets": {"terms": {"field": "outlets", "size": size}},
            "topics": {"terms": {"field": "topics", "size": size}},
            "languages": {"terms": {"field": "language", "size": size}},
        },
    }


def aggregations(response: dict[str, Any]) -> Aggregations:
    aggs = response["aggregations"]

    def buckets(name: str, key: str = "key") -> list[Bucket]:
        return [Bucket(str(b[key]), int(b["doc_count"])) for b in aggs[name]["buckets"]]

    return Aggregations(
        timeline=buckets("timeline", "key_as_string"),
        outlets=buckets("outlets"),
        topics=buckets("topics"),
        languages=buckets("languages"),
    )


NAME_FIELDS = {"outlet": "outlets", "topic": "topics", "language": "language"}
NAMES_PAGE = 1000


def stored_names(client: Elasticsearch, index: str, kind: NameKind) -> list[str]:
    """Every distinct value of the field, page by page (a composite aggregation)."""
    found: list[str] = []
    after: Body | None = None
    while True:
        composite: Body = {
            "size": NAMES_PAGE,
            "sources": [{"name": {"terms": {"field": NAME_FIELDS[kind]}}}],
        }
        if after is not None:
            composite["after"] = after
        response = client.search(index=index, size=0, aggs={"names": {"composite": composite}})
        agg = response["aggregations"]["names"]
        found += [str(bucket["key"]["name"]) for bucket in agg["buckets"]]
        after = agg.get("after_key")
        if after is None or len(agg["buckets"]) < NAMES_PAGE:
            return found


def export(client: Elasticsearch, index: str, query: Body) -> Iterator[Story]:
    """Every match, newest first, page by page with search_after (constant memory)."""
    # A point in time keeps the pages consistent while writes go on.
    pit = client.open_point_in_time(index=index, keep_alive="2m")["id"]
    search_after = None
    try:
        while True:
            response = client.search(
                query=query,
                sort=DATE_SORT,
                size=EXPORT_PAGE,
                pit={"id": pit, "keep_alive": "2m"},
                search_after=search_after,
            )
            hits = response["hits"]["hits"]
            pit = response.get("pit_id", pit)
            for hit in hits:
                yield Story.from_document(hit["_source"])
            if len(hits) < EXPORT_PAGE:
                return
            search_after = hits[-1]["sort"]
    finally:
        client.options(ignore_status=404).close_point_in_time(id=pit)
