"""`newswatch serve`: the read-only HTTP API (OpenAPI docs at /docs) and the web app at /."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from crawler.cli.options import add_config_option, config_from

if TYPE_CHECKING:
    from collections.abc import Callable

    from crawler.config import Config


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="run the read-only search API and the web app")
    add_config_option(parser)
    parser.add_argument("--host", help="listen address (default: api.host of the config)")
    parser.add_argument("--port", type=int, help="listen port (default: api.port of the config)")
    parser.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from crawler.api.app import create_app
    from crawler.index import make_search_index
    from crawler.search.names import NameDirectory

    config = config_from(args)
    app = create_app(
        config.api,
        lambda: make_search_index(config),
        config.alerts,
        NameDirectory.from_config(config),
    )
    app.state.source_status = source_status(config)
    uvicorn.run(
        app,
        host=args.host or config.api.host,
        port=args.port or config.api.port,
        log_level=config.log_level.lower(),
    )
    return 0


def source_status(config: Config) -> Callable[..., dict[str, Any]]:
    """The /sources page's view of the scheduler: `newswatch status` for a page of sources."""
    from crawler.index import make_backend
    from scheduler.jobstore import jobstore_url, make_engine
    from scheduler.status import StatusFilter, collect

    engine = make_engine(jobstore_url(config))

    def status(
        states: frozenset[str], source: str | None, limit: int, offset: int
    ) -> dict[str, Any]:
        with make_backend(config) as backend:
            return collect(config, backend, engine, StatusFilter(states, source, limit, offset))

    return status
