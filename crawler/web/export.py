"""Download the current result as CSV or JSON lines, streamed, in the CLI export's format."""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from starlette.responses import StreamingResponse

from crawler.search.render import export_lines

if TYPE_CHECKING:
    from collections.abc import Iterator

    from crawler.index import SearchIndex, SearchRequest

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson"}
EXPORT_FORMATS = tuple(MEDIA_TYPES)
BATCH = 200  # lines per chunk sent: few writes, constant memory


def _batched(lines: Iterator[str]) -> Iterator[str]:
    while chunk := "".join(islice(lines, BATCH)):
        yield chunk


def export_response(
    backend: SearchIndex, request: SearchRequest, fmt: str, bom: bool = False
) -> StreamingResponse:
    """Every story of the search (all pages, newest first), as `newswatch export` writes it."""
    # Opened here, not in the stream: a query the backend refuses fails before any byte.
    stories = backend.export(request)
    return StreamingResponse(
        _batched(export_lines(stories, fmt, bom=bom and fmt == "csv")),
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="newswatch-stories.{fmt}"',
        },
    )
