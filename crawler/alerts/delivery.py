"""Send a message to a rule's apprise URLs, retrying with backoff; never log a secret."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import apprise

from crawler.alerts.message import Message

logger = logging.getLogger(__name__)

# apprise logs request URLs (tokens in the path) at DEBUG: keep its own log to warnings.
logging.getLogger("apprise").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    attempts: int
    error: str | None = None


def secret_parts(url: str) -> list[str]:
    """The parts of an apprise URL that may be credentials: user, password, path, query values."""
    parts = urlsplit(url)
    found = [parts.username or "", parts.password or ""]
    found += parts.path.split("/")
    found += [value for _, value in parse_qsl(parts.query)]
    # Services put tokens where hosts go too (slack://TOKEN_A/TOKEN_B/...).
    found.append(parts.hostname or "")
    return sorted({part for part in found if len(part) >= 6}, key=len, reverse=True)


def redact(text: str, urls: list[str]) -> str:
    for url in urls:
        for part in secret_parts(url):
            text = text.replace(part, "***")
    return text


def describe(urls: list[str]) -> str:
    """Where a rule sends, safe to log: the services' schemes only."""
    return ", ".join(f"{url.split('://', 1)[0]}://" for url in urls)


class Sender:
    """Delivers with `retries` more tries after the first, waiting `backoff` x 2**n between."""

    def __init__(
        self,
        *,
        retries: int,
        backoff: float,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def send(self, rule_name: str, urls: list[str], message: Message) -> Outcome:
        error = None
        for attempt in range(1, self.retries + 2):
            error = self._try(urls, message)
            if error is None:
                return Outcome(True, attempt)
            logger.warning(
                "alert %s: delivery to %s failed (try %d of %d): %s",
                rule_name,
                describe(urls),
                attempt,
                self.retries + 1,
                error,
            )
            if attempt <= self.retries:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        return Outcome(False, self.retries + 1, error)

    def _try(self, urls: list[str], message: Message) -> str | None:
        notifier = apprise.Apprise()
        for url in urls:
            notifier.add(url)
        with apprise.LogCapture(level=logging.WARNING) as captured:
            try:
                ok = bool(notifier.notify(title=message.title, body=message.body))
            except Exception as exc:  # a plugin bug must not lose the alert: dead-letter it
                ok = False
                captured.write(f"{type(exc).__name__}: {exc}\n")
        if ok:
            return None
        # Lines read `<time> - WARNING - <what>`: keep what happened, last.
        lines = [line.rsplit(" - ", 1)[-1].strip() for line in captured.getvalue().splitlines()]
        lines = [line for line in lines if line]
        return redact(lines[-1] if lines else "the service refused the notification", urls)
