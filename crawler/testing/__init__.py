"""Test harness shared by tests/ and bench/: the mock news web and the Elasticsearch test node.

Like `django.test` or `scrapy.utils.test`, it ships with the package but nothing in
`crawler/` or `scheduler/` imports it (the import-linter contract in pyproject.toml says so).
"""
