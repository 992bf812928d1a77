"""One HTML template module per outlet; each has `article(page)`, `listing(page)` and FURNITURE."""

from __future__ import annotations

import importlib
from types import ModuleType

NAMES = ("aggregator", "frontline", "ledger", "wire", "observer", "metro", "native")


def template(name: str) -> ModuleType:
    if name not in NAMES:
        raise KeyError(f"no outlet template named {name!r}")
    return importlib.import_module(f"tests.harness.newsweb.templates.{name}")
