"""The analysts' search layer shared by the CLI and the HTTP API."""
