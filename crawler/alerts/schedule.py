"""The scheduler's side of alerts: a scan after each crawl that stored stories, digest jobs."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from crawler.alerts.service import AlertService

if TYPE_CHECKING:
    from collections.abc import Mapping

    from apscheduler.schedulers.base import BaseScheduler

    from crawler.config import Config
    from crawler.index.search_index import SearchIndex

logger = logging.getLogger(__name__)

# Digest jobs are rebuilt from the config at each start: what waits is in the alert state.
JOBSTORE = "alerts"
CHANGED_KEYS = ("stories_new", "stories_updated", "copies_merged")
# Saved searches' digests are due at their own times: one job looks this often.
SAVED_DIGESTS_EVERY = 300.0


class SchedulerAlerts:
    def __init__(self, config: Config, backend: SearchIndex) -> None:
        self.config = config
        self.backend = backend
        self.service: AlertService | None = None

    @classmethod
    def create(cls, config: Config, backend: SearchIndex) -> SchedulerAlerts | None:
        alerts = config.alerts
        return cls(config, backend) if alerts.rules or alerts.channels else None

    def install(self, scheduler: BaseScheduler) -> None:
        """Open the alert state, start watching, add one job per digest rule."""
        self.service = AlertService(self.config.alerts, self.backend)
        if self.service.arm():
            logger.info("alerts: watching stories from now on")
        scheduler.add_jobstore(MemoryJobStore(), JOBSTORE)
        for rule in self.config.alerts.rules:
            if rule.mode != "digest":
                continue
            trigger = (
                CronTrigger.from_crontab(rule.cron, timezone="UTC")
                if rule.cron
                else IntervalTrigger(seconds=rule.every.total_seconds() if rule.every else 3600)
            )
            scheduler.add_job(
                self.digest,
                trigger=trigger,
                args=[rule.name],
                id=f"alerts:digest:{rule.name}",
                jobstore=JOBSTORE,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
            )
        if self.config.alerts.channels:
            scheduler.add_job(
                self.saved_digests,
                trigger=IntervalTrigger(seconds=SAVED_DIGESTS_EVERY),
                id="alerts:saved-digests",
                jobstore=JOBSTORE,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
            )

    def after_crawl(self, summary: Mapping[str, Any] | None) -> None:
        """Scan and send when the crawl stored something; an alert problem never fails a run."""
        if self.service is None or not any((summary or {}).get(k) for k in CHANGED_KEYS):
            return
        try:
            self.service.run()
        except Exception:
            logger.exception("alerts: the scan after the crawl failed; the next crawl retries")

    def digest(self, name: str) -> None:
        if self.service is None:
            return
        try:
            self.service.digest(name)
        except Exception:
            logger.exception("alerts: digest %s failed; the next turn retries", name)

    def saved_digests(self) -> None:
        if self.service is None:
            return
        try:
            self.service.saved_digests()
        except Exception:
            logger.exception("alerts: saved searches' digests failed; the next turn retries")

    def close(self) -> None:
        if self.service is not None:
            self.service.close()
            self.service = None
