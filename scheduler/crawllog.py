"""A crawl in the service's log: its stderr relayed at the right level, and one summary line.

The crawl subprocess logs as `newswatch` does ("<time> LEVEL logger: message"),
and Scrapy adds multi-line INFO records: its versions, overridden settings,
enabled components and the stats dump at the end. An operator reading the
service's log wants the crawl's problems and its outcome, so Scrapy's own INFO
records are relayed at DEBUG, the crawl's own records keep their level, and
the service writes one summary line per crawl from its JSON summary.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scheduler.runner import CrawlResult

#: The start of a record in the crawl's log (crawler.cli's logging format).
RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<level>DEBUG|INFO|WARNING|ERROR|CRITICAL) "
    r"(?P<logger>\S+): "
)
#: Loggers whose INFO records are framework chatter to the service's reader.
QUIET_LOGGERS = ("scrapy",)
#: Output that is no log record at all (an interpreter that died early, say).
UNFORMATTED = logging.WARNING


class CrawlLog:
    """Decides each stderr line's level; a line that starts no record continues the last one."""

    def __init__(self) -> None:
        self.level = UNFORMATTED

    def level_of(self, line: str) -> int:
        match = RECORD.match(line)
        if match is not None:
            self.level = relay_level(match["level"], match["logger"])
        return self.level


def relay_level(level_name: str, logger_name: str) -> int:
    """The level a crawl's record gets in the service's log."""
    level = logging.getLevelNamesMapping()[level_name]
    quiet = any(logger_name == name or logger_name.startswith(name + ".") for name in QUIET_LOGGERS)
    return logging.DEBUG if quiet and level <= logging.INFO else level


def summary_line(result: CrawlResult) -> str:
    """One line for the log: outcome, time, pages, stories, drops, errors, where it ran.

    'ok in 12.3s: 40 pages, 12 articles, stories 5 new, 2 merged, 1 updated,
    30 already seen; dropped off_topic 3; errors none'
    """
    summary: dict[str, Any] = result.summary or {}

    def count(key: str) -> int:
        return int(summary.get(key) or 0)

    line = f"{result.outcome} in {result.duration:.1f}s"
    if result.worker:
        line += f" on worker {result.worker}"
    if result.error:
        line += f" ({result.error})"
    if result.summary is None:
        return line + ": no summary"
    return (
        f"{line}: {count('pages_fetched')} pages, {count('articles_extracted')} articles, "
        f"stories {count('stories_new')} new, {count('copies_merged')} merged, "
        f"{count('stories_updated')} updated, {count('seen_skipped')} already seen; "
        f"dropped {_group(summary.get('dropped'))}; errors {_group(summary.get('errors'))}"
    )


def _group(counts: object) -> str:
    if not isinstance(counts, dict) or not counts:
        return "none"
    return ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
