"""A crawl in the service's log: its stderr relayed at the right level, and one line per poll.

The crawl subprocess logs as `newswatch` does ("<time> LEVEL logger: message"),
and Scrapy adds multi-line INFO records: its versions, overridden settings,
enabled components and the stats dump at the end. An operator reading the
service's log wants the crawl's problems and its outcome, so Scrapy's own INFO
records are relayed at DEBUG, the crawl's own records keep their level (their
own time and level dropped: the service's log line has both), and the service
writes one summary line per crawl from its JSON summary.

At thousands of sources most polls find nothing: those lines are DEBUG, and
`PollTally` writes one INFO line every few minutes that counts them.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

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

    def relay(self, line: str) -> tuple[int, str]:
        """The line's level, and the line without the crawl's own time and level."""
        level = self.level_of(line)
        match = RECORD.match(line)
        return level, (f"{match['logger']}: {line[match.end() :]}" if match else line)


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
    summary: Mapping[str, Any] = result.summary or {}

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


#: Seconds between the tally's summary lines.
TALLY_EVERY = 300.0
FRESH_KEYS = ("stories_new", "stories_updated", "copies_merged")


def found_news(result: CrawlResult) -> bool:
    summary: Mapping[str, Any] = result.summary or {}
    return result.outcome == "ok" and any(int(summary.get(k) or 0) for k in FRESH_KEYS)


def poll_level(result: CrawlResult, failures: int, requested: bool) -> int:
    """INFO for a poll that found something or that an operator asked for; a source's
    first failure WARNING (later ones are counted, and a pause is logged once); else DEBUG."""
    if found_news(result) or requested:
        return logging.INFO
    if result.outcome in ("failed", "timed_out") and failures <= 1:
        return logging.WARNING
    return logging.DEBUG


class QuietCrawlChatter(logging.Filter):
    """In the scheduler's own log, a crawl's INFO records (its start, the relayed progress
    and "not modified" lines) are DEBUG: the poll's summary line says what it found.

    Installed by the scheduler service on `scheduler.runner`'s logger; a queue worker,
    whose log is about its crawls, keeps them at INFO.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_crawl_chatter() -> None:
    """Install QuietCrawlChatter once on the crawl runner's logger."""
    runner_log = logging.getLogger("scheduler.runner")
    if not any(isinstance(f, QuietCrawlChatter) for f in runner_log.filters):
        runner_log.addFilter(QuietCrawlChatter())


class PollTally:
    """Counts polls and says so in one line every `every` seconds (from any thread)."""

    def __init__(self, start: datetime, every: float = TALLY_EVERY) -> None:
        self.every = every
        self.since = start
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, result: CrawlResult) -> None:
        with self._lock:
            self.counts["polls"] += 1
            if result.outcome in ("failed", "timed_out"):
                self.counts["failed"] += 1
            elif found_news(result):
                self.counts["news"] += 1
            else:
                self.counts["unchanged"] += 1

    def line_due(self, now: datetime) -> str | None:
        """The summary line when `every` seconds have passed since the last, else None."""
        with self._lock:
            seconds = (now - self.since).total_seconds()
            if seconds < self.every or not self.counts["polls"]:
                return None
            counts, self.counts, self.since = self.counts, Counter(), now
        return (
            f"{counts['polls']} polls in the last {seconds / 60:.0f} min: "
            f"{counts['news']} found news, {counts['unchanged']} unchanged, "
            f"{counts['failed']} failed"
        )
