"""The real Elasticsearch 8 node the test suite runs against (see README.md here)."""
