"""Story quality on outlets nobody tuned for: newswatch's crawl vs a plain baseline, one run.

    .venv/bin/python -m bench.story_quality [--seed 0] [--keep DIR] [--json FILE] [--verbose]

Builds the unseen-outlet story web (bench/storyweb: the 80 real pages of
../shared/benchmarks/fundus-evaluation on their publishers' hosts, republished by
four syndicators with truncated copies, inline teasers, social and newsletter
lines, headline variants, tracking parameters, a spliced copy and a round-up),
serves it on loopback, runs a real `newswatch crawl --json` into a temporary
embedded index and reads the stories back. The baseline, on the same pages:
plain trafilatura.bare_extraction, the same topic queries page by page, copies
grouped by canonical link or MinHashLSH(0.5). Prints topic precision/recall per
story and per URL, pairwise dedup precision/recall and ROUGE-LSum F1 of the stored
story texts, each beside the baseline's and the target; then the story page's copy
diffs against the changes the story web made (bench/storyweb/diffcheck.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bench.storyweb import StoryWeb, build_web, load_originals, plan_outlets
from bench.storyweb.baseline import run_baseline
from bench.storyweb.diffcheck import DiffCheck, check_diffs
from bench.storyweb.metrics import (
    Result,
    Score,
    copies_apart,
    dedup_pairs,
    merged_negatives,
    rouge,
    story_texts,
    topic_errors,
    topics_by_story,
    topics_by_url,
)
from bench.storyweb.server import StoryWebServer
from crawler.base.urls import normalize_url
from crawler.config import load_config
from crawler.index import make_backend

if TYPE_CHECKING:
    from crawler.story import Story

ENV_PREFIX = "NEWSWATCH_"
CRAWL = {
    "download_timeout": "20s",
    "retry_times": 1,
    "concurrent_requests": 16,
    "concurrent_requests_per_domain": 4,
    "autothrottle": False,
    "time_limit": "5m",
}


def write_config(web: StoryWeb, directory: Path) -> Path:
    sources = []
    for key, outlet in web.outlets.items():
        sources.append(
            {
                "name": key,
                "outlet": outlet.name,
                "allowed_domains": [outlet.ip],
                "max_age": "1000w",  # the originals were published in 2024
                **web.entry_points(key),
            }
        )
    config = {
        "state_dir": str(directory / "state"),
        "log_level": "INFO",
        "index": {"backend": "embedded", "embedded": {"path": str(directory / "index.sqlite3")}},
        "crawl": CRAWL,
        "topics": [{"name": name, "query": query} for name, query in web.topics.items()],
        "sources": sources,
    }
    path = directory / "newswatch.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _clean_env() -> dict[str, str]:
    # NEWSWATCH_* variables override the config (the index backend, the state
    # directory): the benchmark must crawl into its own temporary index.
    return {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIX)}


def crawl(config: Path, log: Path) -> dict[str, Any]:
    """A real crawl in a subprocess with this interpreter (the project's virtualenv)."""
    command = [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"]
    with log.open("w", encoding="utf-8") as stderr:
        done = subprocess.run(
            command, stdout=subprocess.PIPE, stderr=stderr, text=True, check=False, env=_clean_env()
        )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = log.read_text(encoding="utf-8").splitlines()[-30:]
        raise SystemExit(f"newswatch crawl failed ({done.returncode}):\n" + "\n".join(tail))
    return json.loads(lines[-1])


def read_index(web: StoryWeb, config: Path) -> tuple[Result, dict[str, Story]]:
    """Each page's story in the index, looked up by the page's URL as the crawler stores it."""
    result, stories = Result(), {}
    backend = make_backend(load_config(config, environ=_clean_env()))
    with backend:
        for url in web.pages:
            story = backend.find_by_url(normalize_url(url))
            if story is None:
                continue
            stories[url] = story
            result.story_of[url] = story.id
            result.topics[story.id] = frozenset(story.topics)
            result.texts[story.id] = story.text
    return result, stories


def extraction(web: StoryWeb, results: dict[str, Result]) -> dict[str, Any]:
    """ROUGE-LSum of the stored texts of on-topic originals that every system holds."""
    held = {name: story_texts(web, result) for name, result in results.items()}
    wanted = [k for k, s in sorted(web.stories.items()) if s.topics and s.origin == "original"]
    common = [k for k in wanted if all(k in texts for texts in held.values())]
    figures: dict[str, Any] = {"stories": len(common), "wanted": len(wanted)}
    for name, texts in held.items():
        scores = [rouge(texts[k], web.stories[k].body) for k in common]
        figures[name] = {
            "precision": statistics.fmean(s.precision for s in scores) if scores else 0.0,
            "recall": statistics.fmean(s.recall for s in scores) if scores else 0.0,
            "f1": statistics.fmean(s.f1 for s in scores) if scores else 0.0,
            "missing": sorted(set(wanted) - set(texts)),
            "per_story": {k: round(s.f1, 4) for k, s in zip(common, scores, strict=True)},
        }
    return figures


def figures(web: StoryWeb, results: dict[str, Result]) -> dict[str, Any]:
    out: dict[str, Any] = {"extraction": extraction(web, results)}
    for name, result in results.items():
        scores: dict[str, Score] = {
            "topic_story": topics_by_story(web, result),
            "topic_url": topics_by_url(web, result),
            "dedup": dedup_pairs(web, result),
        }
        false, missed = topic_errors(web, result)
        out[name] = {
            key: {"precision": s.precision, "recall": s.recall, "tp": s.tp, "fp": s.fp, "fn": s.fn}
            for key, s in scores.items()
        } | {
            "topic_false_by_kind": dict(false),
            "topic_missed_by_kind": dict(missed),
            "negatives_merged": merged_negatives(web, result),
            "copies_apart_by_kind": dict(copies_apart(web, result)),
            "pages_kept": len(result.story_of),
            "stories_kept": len(result.members()),
        }
    return out


def report(web: StoryWeb, found: dict[str, Any], timing: dict[str, float]) -> None:
    n, b, x = found["newswatch"], found["baseline"], found["extraction"]
    kinds: dict[str, int] = {}
    for page in web.pages.values():
        kinds[page.kind] = kinds.get(page.kind, 0) + 1
    on = sum(1 for s in web.stories.values() if s.topics)
    print(
        f"story web: {len(web.pages)} pages on {len(web.outlets)} outlets {kinds}; "
        f"{len(web.stories)} stories, {on} on-topic; topics {sorted(web.topics)}"
    )
    print(
        f"crawl {timing['crawl']:.1f} s ({found['crawl']['pages_fetched']} pages fetched), "
        f"baseline {timing['baseline']:.1f} s\n"
    )
    rows = [
        ("topic precision, per story", "topic_story", "precision", ">= 0.98"),
        ("topic recall, per story", "topic_story", "recall", ">= 0.98"),
        ("topic precision, per URL", "topic_url", "precision", ">= 0.98"),
        ("topic recall, per URL", "topic_url", "recall", ">= 0.98"),
        ("dedup pairwise precision", "dedup", "precision", ">= 0.995"),
        ("dedup pairwise recall", "dedup", "recall", ">= 0.98"),
    ]
    print(f"| {'figure':<38} | newswatch | baseline | target |")
    print(f"|{'-' * 40}|-----------|----------|--------|")
    for label, key, which, target in rows:
        print(f"| {label:<38} | {n[key][which]:9.3f} | {b[key][which]:8.3f} | {target} |")
    label = f"extraction ROUGE-LSum F1 ({x['stories']} stories)"
    nf, bf = x["newswatch"]["f1"], x["baseline"]["f1"]
    print(f"| {label:<38} | {nf:9.4f} | {bf:8.4f} | >= baseline |")
    for which in ("precision", "recall"):
        label = f"extraction ROUGE-LSum {which}"
        print(f"| {label:<38} | {x['newswatch'][which]:9.4f} | {x['baseline'][which]:8.4f} | |")
    print()
    for name in ("newswatch", "baseline"):
        r = found[name]
        print(
            f"{name}: {r['pages_kept']} pages kept in {r['stories_kept']} stories; "
            f"topic errors per URL: false {r['topic_false_by_kind']}, "
            f"missed {r['topic_missed_by_kind']}; on-topic copies apart from their original "
            f"{r['copies_apart_by_kind']}; hard negatives merged {r['negatives_merged']}; "
            f"on-topic originals not held {x[name]['missing']}"
        )


def report_diffs(check: DiffCheck, verbose: bool) -> None:
    """The story page's diffs against the changes the story web made (target 0 and 0)."""
    judged = max(1, check.copies)
    print(
        f"\ncopy diffs on {check.copies} copies ({check.made} changes made; "
        f"{check.other_primary} copies in stories with another primary): "
        f"false edits {len(check.false_edits)}/{check.copies} "
        f"({len(check.false_edits) / judged:.3f}, target 0), "
        f"missed edits {len(check.missed_edits)}/{check.copies} "
        f"({len(check.missed_edits) / judged:.3f}, target 0)"
    )
    if verbose:
        for line in check.false_edits:
            print(f"  false edit {line}")
        for line in check.missed_edits:
            print(f"  missed edit {line}")


def details(web: StoryWeb, results: dict[str, Result]) -> None:
    """Every page with a wrong topic decision or story, for the developer chasing one."""
    for name, result in results.items():
        for url, page in sorted(web.pages.items()):
            wanted = web.stories[page.story].topics
            story = result.story_of.get(url)
            got = result.topics.get(story or "", frozenset())
            if got != wanted:
                print(f"{name} topics {sorted(got)} want {sorted(wanted)}: {page.kind} {url}")


def _timed(timing: dict[str, float], name: str, run: Any, web: StoryWeb) -> Result:
    started = time.perf_counter()
    result = run(web)
    timing[name] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="keep the config, index and crawl log here")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--verbose", action="store_true", help="list every wrong page")
    args = parser.parse_args(argv)
    originals = load_originals()
    timing: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, StoryWebServer(plan_outlets(originals)) as server:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        web = build_web(server.bases, seed=args.seed, originals=originals)
        server.publish(web.files)
        config = write_config(web, directory)
        # The baseline works while the crawl subprocess does: two cores, half the wait.
        with ThreadPoolExecutor(1) as pool:
            baseline_done = pool.submit(_timed, timing, "baseline", run_baseline, web)
            started = time.perf_counter()
            summary = crawl(config, directory / "crawl.log")
            timing["crawl"] = time.perf_counter() - started
            baseline = baseline_done.result()
        newswatch, stories = read_index(web, config)
    results = {"newswatch": newswatch, "baseline": baseline}
    diffs = check_diffs(web, stories)
    found = figures(web, results) | {"crawl": summary, "seed": args.seed, "diffs": asdict(diffs)}
    report(web, found, timing)
    report_diffs(diffs, verbose=args.verbose)
    if args.verbose:
        details(web, results)
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
