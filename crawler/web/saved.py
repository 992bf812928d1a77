"""Saving a search, with or without an alert: one builder for the web form and the API.

The search is read like the results page reads it (crawler/web/forms.py) and its
names resolved as stored, so the alert matches what the page found. Whoever calls
this has checked the editor key (crawler/web/auth.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.datastructures import QueryParams

from crawler.index.saved_searches import ALERT_KINDS, DIGEST_PERIODS, SavedSearch
from crawler.web.forms import read_form

if TYPE_CHECKING:
    from collections.abc import Mapping

    from crawler.config.alerts import AlertsConfig
    from crawler.config.schema import ApiConfig
    from crawler.index import SearchIndex
    from crawler.search.names import NameDirectory

MAX_NAME = 120
# How an alert is sent, as the form offers it: at once, or in a digest per period.
WHEN = ("immediate", *DIGEST_PERIODS)


class SaveError(ValueError):
    """A field of the save form that cannot be used; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def build_saved(
    fields: Mapping[str, str],
    search: QueryParams,
    *,
    api: ApiConfig,
    alerts: AlertsConfig,
    index: SearchIndex,
    directory: NameDirectory,
) -> SavedSearch:
    """The saved search that `fields` (name, alert, when, channel) and the search's
    own parameters (`search`: q, topic, outlet, language, min_outlets) describe."""
    name = " ".join(fields.get("name", "").split())
    if not name:
        raise SaveError("name", "give the search a name")
    if len(name) > MAX_NAME:
        raise SaveError("name", f"at most {MAX_NAME} characters")
    form = read_form(search, api)
    if form.request is None:
        field, message = next(iter(form.errors.items()))
        raise SaveError(field, message)
    resolved = directory.resolve(form.request, index)
    if resolved.unknown:
        raise SaveError(resolved.unknown[0].filter, resolved.unknown[0].message)
    request = resolved.request
    alert = fields.get("alert", "")
    when = fields.get("when", "immediate") or "immediate"
    channel = fields.get("channel", "")
    if alert:
        if alert not in ALERT_KINDS:
            raise SaveError("alert", f"expected one of {', '.join(ALERT_KINDS)}, got {alert!r}")
        if not alerts.channels:
            raise SaveError("channel", "the operator has configured no alert channels")
        if channel not in alerts.channels:
            known = ", ".join(alerts.channels)
            raise SaveError("channel", f"expected one of {known}, got {channel!r}")
        if when not in WHEN:
            raise SaveError("when", f"expected one of {', '.join(WHEN)}, got {when!r}")
        if alert == "surge" and when != "immediate":
            raise SaveError("when", "a surge alert is sent at once: it fires once per window")
        if not request.query.strip() and not request.topics:
            raise SaveError("q", "an alert needs a query or a topic")
    return SavedSearch(
        name=name,
        query=request.query,
        topics=request.topics,
        outlets=request.outlets,
        languages=request.languages,
        min_outlets=request.min_outlets,
        alert=alert,
        mode="immediate" if when == "immediate" else "digest",
        period=when if when in DIGEST_PERIODS else "daily",
        channel=channel if alert else "",
    )


def search_params(search: SavedSearch) -> QueryParams:
    """The results page's parameters that run `search` again."""
    pairs = [("q", search.query)]
    pairs += [("topic", value) for value in search.topics]
    pairs += [("outlet", value) for value in search.outlets]
    pairs += [("language", value) for value in search.languages]
    if search.min_outlets > 1:
        pairs.append(("min_outlets", str(search.min_outlets)))
    return QueryParams([(key, value) for key, value in pairs if value])
