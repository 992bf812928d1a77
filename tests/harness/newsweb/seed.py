"""The seed story (../shared/seed/syndicated-article.txt) split into headline, credit and body."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SEED_FILE = "syndicated-article.txt"

# Aggregator furniture as it appears in the seed text; never part of the story.
SEED_FURNITURE = ("Homepage News", "Others are reading now", "Also read", "Ads by MGDK")


@dataclass
class SeedStory:
    title: str
    image_credit: str
    paragraphs: list[str]
    subheads: dict[int, str] = field(default_factory=dict)
    sources_line: str = ""


def seed_path() -> Path:
    """Where the seed lives: $NEWSWEB_SEED_DIR, else ../shared/seed from the repo root."""
    directory = os.environ.get("NEWSWEB_SEED_DIR") or REPO_ROOT.parent / "shared" / "seed"
    return Path(directory) / SEED_FILE


def load_seed(path: Path | None = None) -> SeedStory:
    path = path or seed_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"seed story not found at {path}: the mock news web builds one outlet's page from "
            "../shared/seed/syndicated-article.txt (relative to the repository root); "
            "set NEWSWEB_SEED_DIR to the directory that holds it"
        ) from None
    return parse_seed(text)


def parse_seed(text: str) -> SeedStory:
    """Split the flat text: line 1 is breadcrumb + headline, then headline twice, credit, body."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[1]
    if lines[0] != f"Homepage News {title}" or lines[2] != title:
        raise ValueError("seed story: expected the headline three times at the top")
    story = SeedStory(title=title, image_credit=lines[3], paragraphs=[])
    pending_subhead = ""
    for line in lines[4:]:
        if line in SEED_FURNITURE:
            continue
        if line.startswith("Sources:"):
            story.sources_line = line
        elif _is_subhead(line):
            pending_subhead = line
        else:
            if pending_subhead:
                story.subheads[len(story.paragraphs)] = pending_subhead
                pending_subhead = ""
            story.paragraphs.append(line)
    return story


def _is_subhead(line: str) -> bool:
    return len(line) < 40 and not line.endswith((".", "”", '"', ":"))
