"""Read a YAML config file once, apply environment overrides, validate into a `Config`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from crawler.config.schema import Config

DEFAULT_CONFIG = Path(__file__).with_name("default.yaml")

# Settings that name a server or a secret can come from the environment, so that
# the same file serves a laptop, CI and the compose stack.
ENV_OVERRIDES: dict[str, tuple[str, ...]] = {
    "NEWSWATCH_INDEX_BACKEND": ("index", "backend"),
    "NEWSWATCH_EMBEDDED_PATH": ("index", "embedded", "path"),
    "NEWSWATCH_ELASTICSEARCH_URL": ("index", "elasticsearch", "url"),
    "NEWSWATCH_ELASTICSEARCH_USERNAME": ("index", "elasticsearch", "username"),
    "NEWSWATCH_ELASTICSEARCH_PASSWORD": ("index", "elasticsearch", "password"),
    "NEWSWATCH_ELASTICSEARCH_API_KEY": ("index", "elasticsearch", "api_key"),
    "NEWSWATCH_ELASTICSEARCH_CA_CERTS": ("index", "elasticsearch", "ca_certs"),
    "NEWSWATCH_ELASTICSEARCH_INDEX_PREFIX": ("index", "elasticsearch", "index_prefix"),
    "NEWSWATCH_STATE_DIR": ("state_dir",),
    "NEWSWATCH_JOBSTORE_URL": ("scheduler", "jobstore_url"),
    "NEWSWATCH_DISPATCH_MODE": ("dispatch", "mode"),
    "NEWSWATCH_BROKER_URL": ("dispatch", "broker_url"),
    "NEWSWATCH_API_KEY": ("api", "api_key"),
    "NEWSWATCH_EDITOR_KEY": ("api", "editor_key"),
    "NEWSWATCH_API_HOST": ("api", "host"),
    "NEWSWATCH_API_PORT": ("api", "port"),
}


class ConfigError(Exception):
    """A config file that cannot be used; the message names file, key and expectation."""


def load_config(path: str | Path | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Load `path` (the shipped default when None) and validate it."""
    path = Path(path) if path is not None else DEFAULT_CONFIG
    environ = os.environ if environ is None else environ
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings at the top level")
    _apply_env(raw, environ)
    _add_source_files(path, raw)
    try:
        # The environment fills `${NAME}` secrets in alert notify URLs.
        config = Config.model_validate(raw, context={"environ": environ})
    except ValidationError as exc:
        raise ConfigError(_describe(path, raw, exc)) from None
    return config


def _add_source_files(path: Path, raw: dict[str, Any]) -> None:
    """Append the sources of the files `source_files` names; any bad row refuses the config."""
    from crawler.config.sourcefiles import read_source_file

    files = raw.get("source_files") or []
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ConfigError(f"{path}: source_files: expected a list of file names")
    inline = raw.get("sources") or []
    if not isinstance(inline, list):
        return  # validation names the problem
    added: list[dict[str, Any]] = []
    bad: list[str] = []
    for name in files:
        listed = read_source_file(path.parent / name)
        bad += [str(row) for row in listed.bad]
        added += [source.model_dump(exclude_defaults=True) for _, source in listed.sources]
    if bad:
        shown = "\n  ".join(bad[:20]) + (
            f"\n  ... and {len(bad) - 20} more" if len(bad) > 20 else ""
        )
        raise ConfigError(f"{path}: source_files: {len(bad)} bad row(s):\n  {shown}")
    if added:
        raw["sources"] = [*inline, *added]
        raw["source_files"] = [str(path.parent / name) for name in files]


def _apply_env(raw: dict[str, Any], environ: Mapping[str, str]) -> None:
    for variable, keys in ENV_OVERRIDES.items():
        value = environ.get(variable)
        if value is None or value == "":
            continue
        node = raw
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value


def _describe(path: Path, raw: dict[str, Any], exc: ValidationError) -> str:
    lines = [f"{path}: invalid configuration"]
    for error in exc.errors():
        location = _key_path(raw, error["loc"])
        got = error.get("input")
        got_text = "" if error["type"] == "missing" else f" (got {got!r})"
        lines.append(f"  {location}: {error['msg']}{got_text}")
    return "\n".join(lines)


def _key_path(raw: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    # Name list items by their `name` key where they have one: `sources[bbc].feeds`
    # is easier to find in a long file than `sources.3.feeds`.
    parts: list[str] = []
    node: Any = raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            item = node[part]
            label = item.get("name") if isinstance(item, dict) else None
            parts[-1] += f"[{label}]" if label else f"[{part}]"
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"
