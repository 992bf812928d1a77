"""The unseen-outlet story web: real article pages republished by syndicators nobody tuned for.

`build_web(bases, seed)` gives the pages and the ground truth; `StoryWebServer`
serves them on loopback (one address per outlet, ports chosen by the system).
"""

from __future__ import annotations

from bench.storyweb.build import build_web, plan_outlets
from bench.storyweb.corpus import load_originals, reference_variants
from bench.storyweb.model import TOPICS, PageTruth, StoryTruth, StoryWeb, decide_topics

__all__ = [
    "TOPICS",
    "PageTruth",
    "StoryTruth",
    "StoryWeb",
    "build_web",
    "decide_topics",
    "load_originals",
    "plan_outlets",
    "reference_variants",
]
