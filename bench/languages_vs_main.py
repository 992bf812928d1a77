"""Language-aware analysis against the code before it, in one run: speed, indexing, quality.

    .venv/bin/python -m bench.languages_vs_main [--base main] [--docs 3000] [--repeats 3]

1. Analysis speed per language (crawler/analysis): tokens per second over the
   multilingual test corpus (tests/fixtures/multilingual.py) repeated, word caches cold
   (first pass) and warm.
2. Indexing throughput on the English mix (bench/index_throughput.py: newswatch's
   Elasticsearch writer with its spool at FULL and NORMAL, and the embedded backend),
   run by this tree and by a git worktree of `--base`, sharing one test node, base and
   this tree alternating; target >= 0.9 x the base.
3. English story quality (bench/story_quality.py: topics, dedup, text on the 80 real
   pages of the fundus evaluation set), this tree against the base; target: no figure lower.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.analysis import analyze  # noqa: E402 - after the path set-up
from crawler.analysis.analyze import _TOKENS  # noqa: E402
from tests.fixtures.multilingual import CORPUS  # noqa: E402

RATE = re.compile(r"repeat \d+: (\S+)\s+(\d+) docs/s")


def analysis_speed(tokens_wanted: int = 200_000) -> None:
    print("## Analysis speed (tokens/s, one core)\n")
    print("| language | first pass (word caches empty) | again |")
    print("|---|---|---|")
    by_language: dict[str | None, list[str]] = {}
    for text in CORPUS:
        by_language.setdefault(text.language, []).append(f"{text.title}. {text.text}")
    rng = random.Random(1)
    for language, texts in by_language.items():
        words = " ".join(texts).split()
        count = len(analyze(" ".join(words), language))
        body = []
        for _ in range(max(1, tokens_wanted // max(count, 1))):
            rng.shuffle(words)
            body.append(" ".join(words))
        text = "\n".join(body)
        rates = []
        for _ in range(2):
            if not rates:
                _TOKENS.clear()
            analyze.cache_clear()
            started = time.perf_counter()
            n = len(analyze(text, language))
            rates.append(n / (time.perf_counter() - started))
        print(f"| {language or '(none)'} | {rates[0]:,.0f} | {rates[1]:,.0f} |")
    print()


def throughput(tree: Path, url: str, docs: int, repeats: int) -> dict[str, list[float]]:
    command = [sys.executable, "bench/index_throughput.py", "--docs", str(docs),
               "--repeats", str(repeats), "--es-url", url]  # fmt: skip
    done = subprocess.run(command, cwd=tree, env=_env(tree), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"index_throughput in {tree} failed:\n{done.stderr[-3000:]}")
    rates: dict[str, list[float]] = {}
    for name, rate in RATE.findall(done.stdout):
        rates.setdefault(name, []).append(float(rate))
    return rates


EMBEDDED = (
    "import sys; sys.path.insert(0, 'bench'); import index_throughput as b; "
    "docs = b.make_documents({docs}); print(b.embedded(docs))"
)


def embedded(tree: Path, docs: int) -> float:
    """Docs/s of the tree's embedded backend alone (bench/index_throughput.py's `embedded`)."""
    command = [sys.executable, "-c", EMBEDDED.format(docs=docs)]
    done = subprocess.run(command, cwd=tree, env=_env(tree), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"embedded run in {tree} failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.split()[-1])


def quality(tree: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "quality.json"
        command = [sys.executable, "-m", "bench.story_quality", "--json", str(out)]
        done = subprocess.run(command, cwd=tree, env=_env(tree), capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"story_quality in {tree} failed:\n{done.stderr[-3000:]}")
        figures: dict[str, Any] = json.loads(out.read_text())
        return figures


def _env(tree: Path) -> dict[str, str]:
    # The tree's packages come first on the path, before the virtualenv's editable install;
    # the base worktree is not beside ../shared, so say where the evaluation pages are.
    fundus = ROOT.parent / "shared" / "benchmarks" / "fundus-evaluation"
    return {"NEWSWATCH_FUNDUS_DIR": str(fundus), **os.environ, "PYTHONPATH": str(tree)}


def flatten(figures: Any, prefix: str = "") -> dict[str, float]:
    """Every number of a JSON document, by its dotted path."""
    found: dict[str, float] = {}
    if isinstance(figures, dict):
        for key, value in figures.items():
            found.update(flatten(value, f"{prefix}{key}."))
    elif isinstance(figures, int | float) and not isinstance(figures, bool):
        found[prefix.rstrip(".")] = float(figures)
    return found


def embedded_only(base: Path, args: argparse.Namespace) -> None:
    rates: dict[str, list[float]] = {"base": [], "this": []}
    for _ in range(args.repeats):
        for side, tree in (("base", base), ("this", ROOT)):
            rates[side].append(embedded(tree, args.docs))
    was, now = statistics.median(rates["base"]), statistics.median(rates["this"])
    print(f"## Embedded indexing, English mix ({args.docs} stories, median of {args.repeats})\n")
    print("| base | this | ratio | target |\n|---|---|---|---|")
    print(f"| {was:,.0f} | {now:,.0f} | {now / was:.2f} | >= 0.90 |")
    print(f"\nall runs: base {rates['base']}, this {rates['this']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the git revision to compare with")
    parser.add_argument("--docs", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument(
        "--embedded-only", action="store_true", help="only the embedded index's throughput"
    )
    args = parser.parse_args(argv)

    if not args.embedded_only:
        analysis_speed()
    base = Path(tempfile.mkdtemp(prefix="newswatch-base-"))
    subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    if args.embedded_only:
        try:
            embedded_only(base, args)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT)
        return 0
    from tests.harness.elasticsearch.node import ElasticsearchNode, prepare

    node = ElasticsearchNode(prepare(), heap="1g").start()
    try:
        trees = {"base": base, "this": ROOT}
        rates: dict[str, dict[str, list[float]]] = {"base": {}, "this": {}}
        for _ in range(args.repeats):  # alternate, so neither side always runs on a busier node
            for side, tree in trees.items():
                for name, values in throughput(tree, node.url, args.docs, 1).items():
                    rates[side].setdefault(name, []).extend(values)
        print(f"## Indexing throughput, English mix ({args.docs} stories, docs/s, median of "
              f"{args.repeats}; base = {args.base})\n")  # fmt: skip
        print("| writer | base | this | ratio | target |")
        print("|---|---|---|---|---|")
        for name in ("raw", "FULL", "NORMAL", "embedded"):
            was = statistics.median(rates["base"][name])
            now = statistics.median(rates["this"][name])
            target = "" if name == "raw" else ">= 0.90"
            print(f"| {name} | {was:,.0f} | {now:,.0f} | {now / was:.2f} | {target} |")
        print()
        if not args.skip_quality:
            figures = {side: flatten(quality(tree)) for side, tree in trees.items()}
            print("## English story quality (bench/story_quality.py)\n")
            print("| figure | base | this | target |")
            print("|---|---|---|---|")
            for key, was in figures["base"].items():
                if "newswatch" not in key or not key.endswith(("precision", "recall", "f1")):
                    continue
                now = figures["this"].get(key, float("nan"))
                verdict = "ok" if now >= was - 1e-9 else "LOWER"
                print(f"| {key} | {was:.4f} | {now:.4f} | >= base: {verdict} |")
    finally:
        node.stop()
        subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
