"""The `newswatch` command's own wiring."""

from __future__ import annotations

import pytest

import crawler.cli


def test_every_subcommand_registers() -> None:
    parser = crawler.cli.build_parser()
    for command in ("crawl", "schedule", "status", "search", "export", "serve"):
        assert parser.parse_args([command, *(["x"] if command == "search" else [])]).command


def test_a_subcommand_that_cannot_import_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        crawler.cli, "SUBCOMMAND_MODULES", (*crawler.cli.SUBCOMMAND_MODULES, "crawler.cli.gone")
    )
    with pytest.raises(ModuleNotFoundError, match="crawler.cli.gone"):
        crawler.cli.build_parser()
