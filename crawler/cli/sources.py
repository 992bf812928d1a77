"""`newswatch sources import|list|resume`: sources files, the configured sources, paused ones."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.cli.options import add_config_option, config_from
from crawler.cli.status import add_filter_options, status_filter
from crawler.config import ConfigError
from crawler.config.sourcefiles import read_source_file, write_csv
from crawler.index import make_backend
from scheduler.jobstore import jobstore_url, make_engine
from scheduler.pacing import resume_source
from scheduler.status import collect, human_seconds

if TYPE_CHECKING:
    from crawler.config import Config, Source


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sources", help="import, list and resume sources")
    commands = parser.add_subparsers(dest="sources_command", required=True, metavar="ACTION")

    imp = commands.add_parser(
        "import", help="add the feeds of an OPML or CSV file to a sources CSV file"
    )
    add_config_option(imp)
    imp.add_argument("file", type=Path, help="an OPML (.opml) or CSV file of sources")
    imp.add_argument(
        "--into",
        type=Path,
        help="the CSV file to write or merge into (default: the config's first CSV source file)",
    )
    imp.set_defaults(func=run_import)

    listing = commands.add_parser("list", help="the configured sources, with their state")
    add_config_option(listing)
    add_filter_options(listing)
    listing.add_argument("--json", action="store_true", help="one JSON document, for scripts")
    listing.set_defaults(func=run_list)

    resume = commands.add_parser(
        "resume", help="resume a paused source: forget its failures and poll it now"
    )
    add_config_option(resume)
    resume.add_argument("name", help="the source's name")
    resume.set_defaults(func=run_resume)


def run_import(args: argparse.Namespace) -> int:
    config = config_from(args)
    target = args.into or _default_target(config)
    incoming = read_source_file(args.file)
    existing = read_source_file(target) if target.exists() else None
    if existing is not None and existing.bad:
        for row in existing.bad:
            print(f"newswatch: {row}", file=sys.stderr)
        raise ConfigError(f"{target}: fix its bad rows before importing into it")
    kept = [source for _, source in existing.sources] if existing else []
    added, present = merge(kept, [source for _, source in incoming.sources])
    write_csv(target, kept + added)
    for row in incoming.bad:
        print(f"newswatch: bad row: {row}", file=sys.stderr)
    print(
        f"{target}: {len(added)} sources added, {len(present)} already there, "
        f"{len(incoming.bad)} bad rows skipped ({len(kept) + len(added)} sources in the file)"
    )
    if str(target) not in {str(p) for p in config.source_files} and args.config:
        print(f"add it to the config to crawl them: source_files: [{target}]")
    return 1 if incoming.bad else 0


def _default_target(config: Config) -> Path:
    for path in config.source_files:
        if path.suffix.lower() == ".csv":
            return path
    raise ConfigError("name the CSV file to write with --into (the config names none)")


def merge(kept: list[Source], incoming: list[Source]) -> tuple[list[Source], list[Source]]:
    """The incoming sources to add, and those already there (same name or same first URL)."""
    names = {source.name for source in kept}
    urls = {_first_url(source) for source in kept}
    added: list[Source] = []
    present: list[Source] = []
    for source in incoming:
        if _first_url(source) in urls:
            present.append(source)
            continue
        name, n = source.name, 1
        while name in names:
            n += 1
            name = f"{source.name}-{n}"
        added.append(source.model_copy(update={"name": name}))
        names.add(name)
        urls.add(_first_url(source))
    return added, present


def _first_url(source: Source) -> str:
    return next(iter([*source.feeds, *source.sitemaps, *source.homepages]), "")


def run_list(args: argparse.Namespace) -> int:
    config = config_from(args)
    with make_backend(config) as backend:
        status = collect(config, backend, make_engine(jobstore_url(config)), status_filter(args))
    by_name = {source.name: source for source in config.sources}
    rows = [_listed(by_name[row["source"]], row) for row in status["sources"]]
    if args.json:
        print(json.dumps({"matched": status["matched"], "sources": rows}, indent=2))
        return 0
    for row in rows:
        every = f"cron {row['cron']}" if row["cron"] else human_seconds(row["every_s"] or 0)
        print(f"{row['name']}  {row['state']}  {every}  {row['outlet']}  {row['url']}")
    print(
        f"listed {len(rows)} of {status['matched']} matching ({status['summary']['total']} in all)"
    )
    return 0


def _listed(source: Source, row: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": source.name,
        "outlet": source.outlet,
        "state": row["state"],
        "url": _first_url(source),
        "feeds": source.feeds,
        "sitemaps": source.sitemaps,
        "homepages": source.homepages,
        "every_s": row["every_s"],
        "cron": source.cron,
        "paused": row["paused"],
    }


def run_resume(args: argparse.Namespace) -> int:
    config = config_from(args)
    try:
        config.source(args.name)
    except KeyError:
        raise ConfigError(f"no source named {args.name!r} in the config") from None
    record = resume_source(make_engine(jobstore_url(config)), args.name, datetime.now(UTC))
    if record is None:
        print(f"source {args.name}: never scheduled, nothing to resume")
        return 0
    was = f"was paused: {record.paused}" if record.paused else "was not paused"
    print(f"source {args.name}: resumed ({was}); a poll is requested now")
    return 0
