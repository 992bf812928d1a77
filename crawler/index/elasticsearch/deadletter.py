"""The dead-letter file: documents the cluster refused for good, with the reason, as JSON lines."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from crawler.base.time import isoformat_utc

if TYPE_CHECKING:
    from pathlib import Path


class DeadLetters:
    """Append-only and fsynced: an operator can fix the cause and replay the documents."""

    def __init__(self, path: Path):
        self.path = path

    def write(self, kind: str, doc_id: str, document: Any, error: Any, status: int | str) -> None:
        record = {
            "time": isoformat_utc(datetime.now(UTC)),
            "kind": kind,
            "id": doc_id,
            "status": status,
            "error": error,
            "document": document,
        }
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def read(self) -> list[dict[str, Any]]:
        """Every record so far (for tests and the operator's replay)."""
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
