"""Alert rules as the config file states them, validated once: query, kind, mode, channels."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from crawler.analysis.detect import language_code

# `${NAME}` in a notify URL is read from the environment when the config is loaded, so that
# tokens and passwords live in `.env`, not in the config file or the logs.
_SECRET = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _duration(value: object) -> timedelta:
    # Imported late: crawler.config.schema imports this module for its `alerts` key.
    from crawler.config.schema import parse_duration

    return parse_duration(value)


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def expand_secrets(url: str, environ: Mapping[str, str]) -> str:
    """Replace each `${NAME}` with the environment variable; unset is an error."""

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if not environ.get(name):
            raise ValueError(f"the environment variable {name} is not set (see .env.example)")
        return environ[name]

    return _SECRET.sub(value, url)


def check_apprise_url(url: str) -> None:
    """Refuse a URL apprise cannot use; the message never repeats the URL (it may hold secrets)."""
    import apprise

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if not scheme:
        raise ValueError("expected an apprise URL such as mailtos://... or slack://...")
    if apprise.Apprise.instantiate(url, suppress_exceptions=True) is None:
        raise ValueError(f"apprise cannot use this {scheme}:// URL (malformed or unknown service)")


def checked_language(value: str) -> str:
    """The ISO 639 code stories carry ("RU", "ru-RU" -> "ru"), or a ValueError."""
    code = language_code(value)
    if code is None:
        raise ValueError(f"{value!r} is no language code (expected ISO 639, e.g. en, ru, ko)")
    return code


class AlertRule(_Strict):
    """One rule: which stories (query and filters), when it fires (kind) and where it goes."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    # What messages call the rule (a saved search's name); its name when unset.
    label: str | None = None
    kind: Literal["new", "spread", "surge"]
    query: str = ""
    topics: list[str] = []
    outlets: list[str] = []
    languages: list[str] = []
    notify: list[str] = Field(min_length=1)
    mode: Literal["immediate", "digest"] = "immediate"
    every: Duration | None = None
    cron: str | None = None
    # spread: fire when a story reaches `min_outlets`, then again at each of `steps`
    min_outlets: int = Field(default=3, ge=2)
    steps: list[int] = []
    # surge: stories published in the last `window` >= factor x the mean per window over
    # the `baseline` before it, and at least `min_stories`
    window: Duration = timedelta(hours=6)
    baseline: Duration = timedelta(days=7)
    factor: float = Field(default=3.0, gt=1)
    min_stories: int = Field(default=5, ge=1)

    @field_validator("query")
    @classmethod
    def _query_parses(cls, value: str) -> str:
        from crawler.query import parse_query

        if value.strip():
            parse_query(value)  # QuerySyntaxError (a ValueError) names the position
        return value

    @field_validator("languages")
    @classmethod
    def _language_codes(cls, values: list[str]) -> list[str]:
        return [checked_language(value) for value in values]

    @field_validator("notify")
    @classmethod
    def _notify_usable(cls, urls: list[str], info: ValidationInfo) -> list[str]:
        environ = (info.context or {}).get("environ", {})
        expanded = []
        for index, url in enumerate(urls):
            try:
                real = expand_secrets(url, environ)
                check_apprise_url(real)
            except ValueError as exc:
                raise ValueError(f"notify[{index}]: {exc}") from None
            expanded.append(real)
        return expanded

    @model_validator(mode="after")
    def _consistent(self) -> AlertRule:
        if not self.query.strip() and not self.topics:
            raise ValueError("a rule needs a 'query' or 'topics'")
        if self.mode == "digest" and (self.every is None) == (self.cron is None):
            raise ValueError("mode: digest needs either 'every' or 'cron'")
        if self.mode == "immediate" and (self.every is not None or self.cron is not None):
            raise ValueError("'every'/'cron' are for mode: digest")
        if self.kind == "surge" and self.mode == "digest":
            raise ValueError("a surge rule is immediate: it fires at most once per window")
        if self.cron is not None:
            from apscheduler.triggers.cron import CronTrigger

            try:
                CronTrigger.from_crontab(self.cron)
            except ValueError as exc:
                raise ValueError(f"cron: {exc} (expected 5 crontab fields, in UTC)") from None
        if any(step <= self.min_outlets for step in self.steps):
            raise ValueError("each of 'steps' must be above 'min_outlets'")
        return self

    @property
    def title(self) -> str:
        return self.label or self.name

    @property
    def spread_steps(self) -> list[int]:
        return sorted({self.min_outlets, *self.steps})


class AlertsConfig(_Strict):
    """The `alerts:` section: delivery settings shared by every rule, and the rules."""

    rules: list[AlertRule] = []
    # Where the web app's saved searches may send: name -> apprise URLs (`${NAME}` read
    # from the environment, like a rule's notify). People pick a name, never a URL.
    channels: dict[str, list[str]] = {}
    # Where a story is read: `{id}` is the story id. Unset: the story's primary URL.
    story_url: str | None = None
    retries: int = Field(default=3, ge=0)  # tries after the first one
    backoff: Duration = timedelta(seconds=2)  # doubled after each failed try
    # Scans re-read stories seen this long before the last scan: crawls store pages a
    # little after they fetched them; what was already sent is never sent twice.
    overlap: Duration = timedelta(minutes=15)

    @field_validator("channels")
    @classmethod
    def _channels_usable(
        cls, channels: dict[str, list[str]], info: ValidationInfo
    ) -> dict[str, list[str]]:
        checked = {}
        for name, urls in channels.items():
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 _-]*", name):
                raise ValueError(f"channels: {name!r}: expected letters, digits, ' ', '_', '-'")
            if not urls:
                raise ValueError(f"channels.{name}: expected at least one apprise URL")
            try:
                checked[name] = AlertRule._notify_usable(urls, info)
            except ValueError as exc:
                raise ValueError(f"channels.{name}{str(exc).removeprefix('notify')}") from None
        return checked

    @model_validator(mode="after")
    def _unique_names(self) -> AlertsConfig:
        names = [rule.name for rule in self.rules]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"alerts.rules: the name {name!r} is used twice")
        return self

    def check_topics(self, known: set[str]) -> None:
        for rule in self.rules:
            for topic in rule.topics:
                if topic not in known:
                    raise ValueError(
                        f"alerts.rules[{rule.name}].topics: unknown topic {topic!r} "
                        f"(configured: {', '.join(sorted(known))})"
                    )

    def rule(self, name: str) -> AlertRule:
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise KeyError(name)
