"""Test harness shared by tests/ and bench/: the mock news web and the Elasticsearch test node.

It lives beside the tests, outside the installed package: neither the wheel nor the
image carries it (tests/test_packaging.py builds the wheel and checks).
"""
