"""The errors index backends raise for their consumers to catch: one set, every backend."""

from __future__ import annotations


class IndexBackendError(Exception):
    """Base of the errors below."""


class IndexLocked(IndexBackendError, TimeoutError):
    """The dedup lock (or the index's write lock) could not be taken in time:
    another live process kept it for longer than this backend waits."""


class IndexNotReady(IndexBackendError, RuntimeError):
    """The index's tables or indices are missing and this user may not create them."""


class SchemaError(IndexBackendError, RuntimeError):
    """The index holds a schema this version of newswatch cannot use."""


class InvalidCursor(IndexBackendError, ValueError):
    """A search cursor that is not the next_cursor of a previous page of the same search."""
