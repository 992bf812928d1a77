"""The originals: fundus-evaluation's 80 real article pages with their ground-truth bodies.

The pages are read at run time from `../shared/benchmarks/fundus-evaluation` (the
nearest `shared/` beside an ancestor of the repository, or `$NEWSWATCH_FUNDUS_DIR`);
they are never copied into the repository.
"""

from __future__ import annotations

import gzip
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

FUNDUS_ENV = "NEWSWATCH_FUNDUS_DIR"
REPO_ROOT = Path(__file__).resolve().parents[2]
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Original:
    key: str  # "APNews_0": the benchmark's file name without .html.gz
    publisher: str  # "APNews"
    url: str  # where fundus crawled it (the real web)
    path: str  # where the story web serves it on its publisher's host
    title: str
    body: tuple[str, ...]  # ground truth as published; "[...]" paragraphs are optional
    html: bytes
    crawled: datetime  # the story was published before this

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The required paragraphs: what a republisher copies."""
        return tuple(p for p in self.body if not _optional(p))


def _optional(paragraph: str) -> bool:
    return paragraph.startswith("[") and paragraph.endswith("]")


def reference_variants(body: tuple[str, ...] | list[str]) -> list[list[str]]:
    """The reference bodies a text may be scored against: with and without optional paragraphs."""
    required = [p for p in body if not _optional(p)]
    full = [p[1:-1] if _optional(p) else p for p in body]
    return [full, required] if full != required else [full]


def fundus_dir() -> Path:
    """Where the benchmark lives: $NEWSWATCH_FUNDUS_DIR, else the nearest ancestor's shared/."""
    if os.environ.get(FUNDUS_ENV):
        return Path(os.environ[FUNDUS_ENV])
    for parent in REPO_ROOT.parents:
        candidate = parent / "shared" / "benchmarks" / "fundus-evaluation"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "fundus-evaluation not found: expected ../shared/benchmarks/fundus-evaluation "
        f"beside the repository, or ${FUNDUS_ENV}"
    )


def slug(text: str, words: int = 8) -> str:
    return "-".join(_SLUG.sub(" ", text.casefold()).split()[:words]) or "story"


def _title(html: bytes) -> str:
    tree = lxml.html.document_fromstring(html)
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        found = " ".join(" ".join(tree.xpath(xpath)[:1]).split())
        if found:
            return found
    return ""


def load_originals(directory: Path | None = None) -> list[Original]:
    """Every page of the benchmark with its ground truth, in a stable order."""
    directory = directory or fundus_dir()
    truth = json.loads((directory / "ground_truth.json").read_text(encoding="utf-8"))
    originals, paths = [], set()
    for name in sorted(truth):
        entry = truth[name]
        key = name.removesuffix(".html.gz")
        publisher = key.rsplit("_", 1)[0]
        html = gzip.decompress((directory / "html" / name).read_bytes())
        path = urlsplit(entry["url"]).path or "/"
        if path.strip("/") == "" or (publisher, path) in paths:
            path = f"/stories/{key.casefold()}"
        paths.add((publisher, path))
        crawled = datetime.fromisoformat(entry["crawl_date"]).replace(tzinfo=UTC)
        originals.append(
            Original(
                key=key,
                publisher=publisher,
                url=entry["url"],
                path=path,
                title=_title(html),
                body=tuple(entry["body"]),
                html=html,
                crawled=crawled.replace(microsecond=0),
            )
        )
    return originals
