"""Test-session fixtures live in tests/fixtures/, one module per real part."""

pytest_plugins = [
    "tests.fixtures.elasticsearch",
    "tests.fixtures.newsweb",
    "tests.fixtures.backends",
    "tests.fixtures.receivers",
    "tests.fixtures.redis",
]
