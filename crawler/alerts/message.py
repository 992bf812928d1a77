"""What an alert says: title, outlets, first-seen time, a link and the matched terms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawler.config.alerts import AlertRule
    from crawler.index.alert_state import AlertItem
    from crawler.story import Story


@dataclass(frozen=True)
class Message:
    title: str
    body: str


def story_payload(story: Story, terms: list[str], story_url: str | None) -> dict[str, Any]:
    """The part of a story an alert keeps (and a digest later lists)."""
    link = story_url.format(id=story.id) if story_url else story.url
    return {
        "title": story.title or "(untitled)",
        "outlets": list(story.outlets),
        "outlet_count": story.outlet_count,
        "first_seen": story.first_seen,
        "published": story.published,
        "link": link,
        "terms": terms,
    }


def _story_lines(payload: dict[str, Any]) -> list[str]:
    outlets = payload.get("outlets") or []
    lines = [
        payload["title"],
        f"  Outlets ({len(outlets)}): {', '.join(outlets)}",
        f"  First seen: {payload.get('first_seen') or 'unknown'}",
        f"  Link: {payload.get('link') or '-'}",
    ]
    if payload.get("terms"):
        lines.append(f"  Matched: {', '.join(payload['terms'])}")
    return lines


def immediate(rule: AlertRule, item: AlertItem) -> Message:
    """One alert, sent as it fires."""
    payload = item.payload
    if item.kind == "surge":
        title = (
            f"[newswatch] {rule.title}: surge, {payload['current']} stories in "
            f"{payload['window']} (baseline {payload['baseline']:.1f})"
        )
        lines = [title, "", "Latest stories:"]
        for story in payload.get("stories", []):
            lines += _story_lines(story)
        return Message(title, "\n".join(lines))
    if item.kind == "spread":
        title = f"[newswatch] {rule.title}: spread to {payload['step']} outlets: {payload['title']}"
    else:
        title = f"[newswatch] {rule.title}: new story: {payload['title']}"
    return Message(title, "\n".join(_story_lines(payload)))


def digest(rule: AlertRule, items: list[AlertItem]) -> Message:
    """One message for a digest's alerts, one entry per story with its outlets."""
    by_story: dict[str, AlertItem] = {}
    for item in items:
        # A story that spread twice within one digest is listed once, with its latest state.
        by_story[item.subject] = item
    count = len(by_story)
    title = f"[newswatch] {rule.title}: {count} {'story' if count == 1 else 'stories'}"
    lines = [title, ""]
    for item in by_story.values():
        lines += _story_lines(item.payload)
        lines.append("")
    return Message(title, "\n".join(lines).rstrip() + "\n")
