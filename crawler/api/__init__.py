"""The read-only HTTP API over the story index."""
