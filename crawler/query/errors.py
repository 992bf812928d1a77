"""QuerySyntaxError: a malformed query, with the position and a caret line pointing at it."""

from __future__ import annotations

_WINDOW = 60  # characters of the query shown around the error position


class QuerySyntaxError(ValueError):
    """A query the language rejects; ``position`` is the 0-based character offset of the fault."""

    def __init__(self, reason: str, query: str, position: int) -> None:
        self.reason = reason
        self.query = query
        self.position = max(0, min(position, len(query)))
        super().__init__(self._render())

    def _render(self) -> str:
        start = max(0, self.position - _WINDOW // 2)
        shown = self.query[start : start + _WINDOW]
        prefix = "..." if start else ""
        suffix = "..." if start + _WINDOW < len(self.query) else ""
        # Newlines and tabs would break the caret alignment; show them as spaces.
        shown = "".join(" " if c.isspace() else c for c in shown)
        caret = " " * (len(prefix) + self.position - start) + "^"
        return f"{self.reason} at position {self.position}\n  {prefix}{shown}{suffix}\n  {caret}"
