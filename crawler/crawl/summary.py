"""The crawl summary: the JSON line the scheduler reads, and the same for people."""

from __future__ import annotations

from typing import Any, TypedDict, cast

from crawler.crawl.hints import summarize_hints

DROPPED = "crawl/dropped/"
ERRORS = "crawl/errors/"


class CrawlSummary(TypedDict):
    """What one crawl did: the `--json` line of `newswatch crawl`, the engine's reply, the
    queue's result; the scheduler's contract (run history, intervals, alerts read it)."""

    sources: list[str]
    pages_fetched: int
    articles_extracted: int
    stories_new: int
    stories_updated: int
    copies_merged: int
    unchanged: int
    seen_skipped: int
    dropped: dict[str, int]  # reason -> pages
    errors: dict[str, int]  # failure key -> requests
    finished_reason: str  # Scrapy's; "unknown" when the crawl never finished
    hints: dict[str, Any]  # the server's polling hints (crawler/crawl/hints.py)


def read_summary(raw: object) -> CrawlSummary | None:
    """A summary that arrived as JSON (a crawl process, the engine, a queue worker);
    None for anything that is not an object. `summarize` writes every key; readers use
    `.get` for the counts, so a summary from an older sender still reads."""
    if not isinstance(raw, dict):
        return None
    return cast("CrawlSummary", raw)


def summarize(stats: dict[str, Any], sources: list[str]) -> CrawlSummary:
    """The summary of a crawl from its stats."""

    def count(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    return {
        "sources": list(sources),
        "pages_fetched": count("downloader/response_count"),
        "articles_extracted": count("crawl/articles_extracted"),
        "stories_new": count("dedup/new"),
        "stories_updated": count("dedup/updated"),
        "copies_merged": count("dedup/copies_merged"),
        "unchanged": count("dedup/unchanged"),
        "seen_skipped": count("crawl/seen_skipped"),
        "dropped": _group(stats, DROPPED),
        "errors": _group(stats, ERRORS),
        "finished_reason": str(stats.get("finish_reason") or "unknown"),
        # Cache-Control, Expires, Retry-After, <ttl>, sy:updatePeriod: the scheduler's hints.
        "hints": dict(summarize_hints(stats)),
    }


def _group(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        key[len(prefix) :]: int(value)
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and isinstance(value, int | float)
    }


def progress_line(stats: dict[str, Any]) -> str:
    kept = sum(
        int(stats.get(k, 0) or 0)
        for k in ("dedup/new", "dedup/copies_merged", "dedup/updated", "dedup/unchanged")
    )
    dropped = _group(stats, DROPPED)
    errors = _group(stats, ERRORS)
    parts = [
        f"{int(stats.get('downloader/response_count', 0) or 0)} pages fetched",
        f"{int(stats.get('crawl/articles_extracted', 0) or 0)} articles extracted",
        f"{kept} stories kept",
        f"{int(stats.get('crawl/seen_skipped', 0) or 0)} already seen",
    ]
    if dropped:
        parts.append("dropped " + ", ".join(f"{k} {v}" for k, v in dropped.items()))
    if errors:
        parts.append("errors " + ", ".join(f"{k} {v}" for k, v in errors.items()))
    return "; ".join(parts)


def human_summary(summary: CrawlSummary) -> str:
    """A few lines for a terminal."""
    lines = [
        f"Crawl finished ({summary['finished_reason']}): {', '.join(summary['sources'])}",
        f"  pages fetched       {summary['pages_fetched']}",
        f"  articles extracted  {summary['articles_extracted']}",
        f"  new stories         {summary['stories_new']}",
        f"  updated stories     {summary['stories_updated']}",
        f"  copies merged       {summary['copies_merged']}",
        f"  unchanged           {summary['unchanged']}",
        f"  already seen        {summary['seen_skipped']}",
    ]
    for title, group in (("dropped", summary["dropped"]), ("errors", summary["errors"])):
        if group:
            lines.append(f"  {title}: " + ", ".join(f"{k} {v}" for k, v in group.items()))
    return "\n".join(lines)
