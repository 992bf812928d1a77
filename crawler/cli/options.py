"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from crawler.config import load_config

if TYPE_CHECKING:
    from crawler.config import Config


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        "-c",
        metavar="FILE",
        help="YAML config file (default: the shipped crawler/config/default.yaml)",
    )


def config_from(args: argparse.Namespace) -> Config:
    return load_config(args.config)
