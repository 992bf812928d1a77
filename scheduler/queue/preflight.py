"""Start-up check of the broker: a wrong setting stops the command, an outage does not hide it.

`schedule`, `worker` and `status` call `check()` before anything else in queue
mode. A malformed URL, an unknown host or credentials Redis refuses are
configuration errors (exit 2); a broker that does not answer is unreachable
(exit 1). Either way, one line naming the setting, never the password.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import redis

if TYPE_CHECKING:
    from crawler.config.schema import DispatchConfig

SETTING = "dispatch.broker_url (NEWSWATCH_BROKER_URL)"
EXIT_CONFIG = 2
EXIT_UNREACHABLE = 1
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True)
class BrokerProblem:
    """Why the broker cannot be used, and the exit code that says so."""

    code: int
    message: str

    def line(self, command: str) -> str:
        return f"newswatch {command}: {self.message}"


def redact(url: str) -> str:
    """`url` with its password (and a user name's password part) replaced by ***."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(malformed URL, not shown)"
    if parts.password is None:
        return url
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))


def check(config: DispatchConfig) -> BrokerProblem | None:
    """None when the broker answers a PING with these settings; else what is wrong."""
    where = f"{SETTING} = {redact(config.broker_url)}"
    try:
        client = redis.Redis.from_url(
            config.broker_url,
            socket_timeout=CONNECT_TIMEOUT,
            socket_connect_timeout=CONNECT_TIMEOUT,
        )
    except ValueError as exc:
        return BrokerProblem(EXIT_CONFIG, f"{SETTING}: malformed URL ({exc})")
    try:
        client.ping()
    except redis.AuthenticationError:
        return BrokerProblem(
            EXIT_CONFIG, f"{where}: Redis refused the credentials (wrong or missing password)"
        )
    except redis.ResponseError as exc:  # AUTH sent to a Redis without a password, ACL denials
        reason = str(exc).split(" called ", 1)[0] if "AUTH" in str(exc) else str(exc)
        return BrokerProblem(EXIT_CONFIG, f"{where}: Redis refused the connection ({reason})")
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, socket.gaierror):
            return BrokerProblem(EXIT_CONFIG, f"{where}: unknown host ({cause.strerror})")
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else "no answer"
        return BrokerProblem(EXIT_UNREACHABLE, f"{where}: broker unreachable ({reason})")
    finally:
        client.close()
    return None
