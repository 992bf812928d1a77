"""The FastAPI application: search, one story, timeline and outlet statistics, health;
and the analysts' web app (crawler.web) at / on the same backend."""

# No `from __future__ import annotations`: FastAPI reads the route signatures at
# runtime, and they use aliases local to create_app().

import threading
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.middleware.cors import CORSMiddleware

from crawler.api.errors import install_error_handlers
from crawler.api.filters import filter_parameters
from crawler.api.saved import saved_search_routes
from crawler.config.alerts import AlertsConfig
from crawler.config.schema import ApiConfig
from crawler.index import SearchIndex
from crawler.search.names import NameDirectory, Resolved, UnknownName
from crawler.search.render import public_story
from crawler.search.request import build_request
from crawler.web import auth
from crawler.web.app import mount_web


class BackendPerThread:
    """One opened backend per worker thread: each backend serialises its own calls,
    so separate ones let the API's threads read in parallel."""

    def __init__(self, factory: Callable[[], SearchIndex]) -> None:
        self._factory = factory
        self._local = threading.local()
        self._opened: list[SearchIndex] = []
        self._lock = threading.Lock()

    def get(self) -> SearchIndex:
        backend = getattr(self._local, "backend", None)
        if backend is None:
            backend = self._factory()
            backend.open()
            self._local.backend = backend
            with self._lock:
                self._opened.append(backend)
        return backend

    def close(self) -> None:
        with self._lock:
            for backend in self._opened:
                backend.close()
            self._opened.clear()


def create_app(
    api: ApiConfig,
    backend_factory: Callable[[], SearchIndex],
    alerts: AlertsConfig | None = None,
    directory: NameDirectory | None = None,
) -> FastAPI:
    """The API and the web app on one backend; `directory` resolves the filters' names
    (built from the config: its sources and topics; without it, stored names only)."""
    directory = directory or NameDirectory()
    backends = BackendPerThread(backend_factory)
    app = FastAPI(
        title="newswatch",
        summary="Read-only search over de-duplicated news stories",
        version="0.1.0",
        # Served by crawler/web/docs.py from the installed package, not from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.router.on_shutdown.append(backends.close)
    install_error_handlers(app)
    if api.cors_origins:  # off unless origins are configured
        app.add_middleware(CORSMiddleware, allow_origins=api.cors_origins, allow_methods=["GET"])

    def check_key(request: Request, x_api_key: Annotated[str | None, Header()] = None) -> None:
        # x_api_key is declared for the API docs; the check is the web app's, one for both.
        if not auth.can_read(request, api):
            raise HTTPException(status_code=401, detail="missing or wrong X-API-Key header")

    def backend() -> SearchIndex:
        return backends.get()

    guarded = [Depends(check_key)]
    Q = Annotated[str, Query(max_length=api.max_query_chars, description="query language")]
    Limit = Annotated[int, Query(ge=1, le=api.max_page_size)]
    Filters = Annotated[dict[str, Any], Depends(filter_parameters())]
    Backend = Annotated[SearchIndex, Depends(backend)]

    def resolved(store: SearchIndex, q: str, given: dict[str, Any], **paging: Any) -> Resolved:
        return directory.resolve(build_request(q, **paging, **given), store)

    @app.get("/health")
    def health(store: Backend) -> dict[str, Any]:
        return {"status": "ok", "backend": store.name, "stories": store.count()}

    @app.get("/search", dependencies=guarded)
    def search(
        store: Backend,
        given: Filters,
        q: Q = "",
        sort: Literal["relevance", "date"] = "relevance",
        limit: Limit = 20,
        cursor: str | None = None,
    ) -> dict[str, Any]:
        found = resolved(store, q, given, sort=sort, limit=limit, cursor=cursor)
        page = store.search(found.request)
        return {
            "total": page.total,
            "next_cursor": page.next_cursor,
            "hits": [
                {"story": public_story(h.story), "score": h.score, "snippet": h.snippet}
                for h in page.hits
            ],
            "unknown": unknown_json(found.unknown),
        }

    @app.get("/stories/{story_id}", dependencies=guarded)
    def story(story_id: str, store: Backend) -> dict[str, Any]:
        found = store.get_story(story_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no story with id {story_id!r}")
        return public_story(found)

    def counts(store: SearchIndex, q: str, given: dict[str, Any], size: int) -> dict[str, Any]:
        """The aggregations of the search, each as [{key, stories}], and unknown names."""
        found = resolved(store, q, given)
        aggs = store.aggregate(found.request, size=size)
        return {
            name: [{"key": b.key, "stories": b.count} for b in getattr(aggs, name)]
            for name in ("outlets", "topics", "languages", "timeline")
        } | {"unknown": unknown_json(found.unknown)}

    @app.get("/stats/timeline", dependencies=guarded)
    def timeline(store: Backend, given: Filters, q: Q = "") -> dict[str, Any]:
        found = counts(store, q, given, 1)
        days = [{"date": b["key"], "stories": b["stories"]} for b in found["timeline"]]
        return {"buckets": days, "unknown": found["unknown"]}

    @app.get("/stats/outlets", dependencies=guarded)
    def outlets(store: Backend, given: Filters, q: Q = "", size: Limit = 10) -> dict[str, Any]:
        found = counts(store, q, given, size)
        top = [{"outlet": b["key"], "stories": b["stories"]} for b in found["outlets"]]
        return {"buckets": top, "unknown": found["unknown"]}

    @app.get("/stats/facets", dependencies=guarded)
    def facets(store: Backend, given: Filters, q: Q = "", size: Limit = 10) -> dict[str, Any]:
        """Counts of the matching stories by outlet, topic, language and day."""
        return counts(store, q, given, size)

    saved_search_routes(app, api, backends.get, alerts or AlertsConfig(), directory, guarded)
    mount_web(app, api, backends.get, alerts or AlertsConfig(), directory)
    return app


def unknown_json(unknown: list[UnknownName]) -> list[dict[str, str]]:
    return [{"filter": u.filter, "value": u.value, "message": u.message} for u in unknown]
