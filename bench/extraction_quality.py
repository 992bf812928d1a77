"""Article-text quality on the public fundus-evaluation set: newswatch vs plain trafilatura.

    .venv/bin/python -m bench.extraction_quality [--data ../shared/benchmarks/fundus-evaluation]
        [--worst 5]

80 real news pages from 16 publishers (5 each) with a hand-made ground truth of their
body paragraphs (see the data set's README). In one run it scores, with ROUGE-LSum over
paragraphs (`rouge-score`, `RougeScorer(["rougeLsum"], split_summaries=False)`, one
paragraph a line):

- `trafilatura`: plain `trafilatura.bare_extraction(html, url=url)`, default options;
- `newswatch`: `crawler.extract.extract_article`, each page on its own (an outlet's
  first page: only the cold-start furniture prior applies);
- `newswatch+learned`: the same after the outlet's furniture was learned from its own
  pages (crawler.furniture: each publisher's 5 pages recorded first, as a crawl that
  has already seen them would have).

A reference paragraph written `[...]` is optional: a page is scored against every
variant with and without its optional paragraphs (all subsets up to 2^4, else all-in
and all-out) and keeps the best F1. A page an extractor rejects scores 0.
Means over the 80 pages, in percent; the paper's published figures are printed too.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import trafilatura
from rouge_score.rouge_scorer import RougeScorer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "fundus-evaluation"
MAX_OPTIONAL_SUBSETS = 4  # up to 2^4 variants per page
PUBLISHED = {  # the paper's ROUGE-LSum means (precision, recall, F1)
    "fundus (published)": (99.89, 96.75, 97.69),
    "trafilatura (published)": (93.91, 96.85, 93.62),
    "news-please (published)": (97.95, 91.89, 93.39),
}

Extractor = Callable[[str, str], str]


@dataclass
class Page:
    key: str  # "<Publisher>_<n>.html.gz"
    publisher: str
    url: str
    html: str
    reference: list[str]


@dataclass
class Score:
    precision: float
    recall: float
    f1: float


def load_pages(data: Path) -> list[Page]:
    truth = json.loads((data / "ground_truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, entry in sorted(truth.items()):
        with gzip.open(data / "html" / key, "rt", encoding="utf-8") as handle:
            html = handle.read()
        publisher = key.rsplit("_", 1)[0]
        pages.append(Page(key, publisher, entry["url"], html, list(entry["body"])))
    return pages


def reference_variants(reference: list[str]) -> Iterator[list[int]]:
    """Indices of the reference paragraphs kept, with and without the optional `[...]` ones."""
    optional = [k for k, p in enumerate(reference) if p.startswith("[") and p.endswith("]")]
    if len(optional) <= MAX_OPTIONAL_SUBSETS:
        choices: list[tuple[int, ...]] = [
            combo for n in range(len(optional) + 1) for combo in itertools.combinations(optional, n)
        ]
    else:
        choices = [(), tuple(optional)]
    for kept in choices:
        yield [k for k in range(len(reference)) if k not in optional or k in kept]


def score(scorer: RougeScorer, reference: list[str], extracted: str) -> Score:
    """Best ROUGE-LSum over the reference variants.

    The same figure as `scorer.score("\\n".join(variant), extracted)["rougeLsum"]`
    (rouge-score's summary-level union LCS with its token clipping, same tie-breaks),
    but each reference paragraph's union LCS is computed once for all variants, and
    with numpy (`_union_lcs`): rouge-score's pure-Python LCS tables took minutes.
    """
    tokenize = scorer._tokenizer.tokenize
    refs = [tokenize(p[1:-1] if p.startswith("[") and p.endswith("]") else p) for p in reference]
    cands = [tokenize(line) for line in extracted.split("\n") if line]
    cands = [c for c in cands if c]
    n = sum(map(len, cands))
    if not n:
        return Score(0.0, 0.0, 0.0)
    vocab: dict[str, int] = {}
    cand_ids = [[vocab.setdefault(t, len(vocab)) for t in c] for c in cands]
    unions: dict[int, list[str]] = {}
    best = Score(0.0, 0.0, 0.0)
    for variant in reference_variants(reference):
        kept = [k for k in variant if refs[k]]
        m = sum(len(refs[k]) for k in kept)
        if not m:
            continue
        counts_r = Counter(t for k in kept for t in refs[k])
        counts_c = Counter(t for c in cands for t in c)
        hits = 0
        for k in kept:
            if k not in unions:
                ref_ids = [vocab.setdefault(t, len(vocab)) for t in refs[k]]
                unions[k] = [refs[k][i] for i in _union_lcs(ref_ids, cand_ids)]
            for token in unions[k]:
                if counts_c[token] > 0 and counts_r[token] > 0:
                    hits += 1
                    counts_c[token] -= 1
                    counts_r[token] -= 1
        precision, recall = hits / n, hits / m
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        if f1 > best.f1 or not (best.precision or best.recall):
            best = Score(precision, recall, f1)
    return best


def _union_lcs(ref: list[int], cands: list[list[int]]) -> list[int]:
    """Sorted indices into `ref` of the union of its LCS with each candidate line.

    rouge-score's `_lcs_table` + `_backtrack_norec` per candidate line, with every
    candidate's table computed at once: the lines sit side by side in one row,
    each after a zero column, and a row of an LCS table is the running maximum of
    (diagonal + 1 where the tokens match, else the cell above), taken per line.
    """
    starts, columns = [], []
    for cand in cands:
        starts.append(len(columns))
        columns.append(-1)
        columns.extend(cand)
    cols = np.array(columns)
    offset = np.repeat(np.arange(len(cands)) * (len(ref) + 1), [len(c) + 1 for c in cands])
    rows = [np.zeros(len(cols), dtype=np.int64)]
    for token in ref:
        prev = rows[-1]
        diagonal = np.concatenate(([0], prev[:-1])) + 1
        step = np.where(cols == token, diagonal, prev)
        step[starts] = 0
        rows.append(np.maximum.accumulate(step + offset) - offset)
    table = np.array(rows).tolist()
    found: set[int] = set()
    for start, cand in zip(starts, cands, strict=True):
        i, j = len(ref), len(cand)
        while i > 0 and j > 0:
            if ref[i - 1] == cand[j - 1]:
                found.add(i - 1)
                i, j = i - 1, j - 1
            elif table[i][start + j - 1] > table[i - 1][start + j]:
                j -= 1
            else:
                i -= 1
    return sorted(found)


def plain_trafilatura(html: str, url: str) -> str:
    document = trafilatura.bare_extraction(html, url=url)
    return (document.text or "") if document is not None else ""


def newswatch_texts(pages: list[Page]) -> tuple[dict[str, str], dict[str, str]]:
    """newswatch's text of every page on its own, and after learning each outlet's furniture.

    Learning as the crawl does it (crawler/pipelines/furniture.py): every page's
    extracted lines are recorded for its outlet, keyed by its title, and then the
    lines seen on MIN_PAGES of the outlet's pages are removed.
    """
    from crawler.extract import NotAnArticle, extract_article
    from crawler.furniture import FurnitureLearner, MemoryFurnitureStore

    alone: dict[str, str] = {}
    learner = FurnitureLearner(MemoryFurnitureStore())
    for page in pages:
        try:
            article = extract_article(page.html, page.url, min_text_chars=0)
        except NotAnArticle:
            alone[page.url] = ""
            continue
        alone[page.url] = article.text
        learner.record(page.url, article.text, article.title)
    learned = {page.url: learner.strip(page.url, alone[page.url])[0] for page in pages}
    return alone, learned


def run(pages: list[Page], extractors: dict[str, Extractor]) -> dict[str, dict[str, Score]]:
    scorer = RougeScorer(["rougeLsum"], split_summaries=False)
    results: dict[str, dict[str, Score]] = defaultdict(dict)
    for name, extract in extractors.items():
        started = time.perf_counter()
        for page in pages:
            results[name][page.key] = score(scorer, page.reference, extract(page.html, page.url))
        print(f"# {name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return results


def mean(scores: list[Score]) -> tuple[float, float, float]:
    return (
        100 * statistics.fmean(s.precision for s in scores),
        100 * statistics.fmean(s.recall for s in scores),
        100 * statistics.fmean(s.f1 for s in scores),
    )


def report(results: dict[str, dict[str, Score]], pages: list[Page], worst: int) -> None:
    print(f"ROUGE-LSum over {len(pages)} pages (mean %, median F1)")
    print(f"{'extractor':<26} {'precision':>9} {'recall':>7} {'F1':>7} {'median F1':>9}")
    for name, by_page in results.items():
        scores = list(by_page.values())
        p, r, f = mean(scores)
        median = 100 * statistics.median(s.f1 for s in scores)
        print(f"{name:<26} {p:9.2f} {r:7.2f} {f:7.2f} {median:9.2f}")
    for name, (p, r, f) in PUBLISHED.items():
        print(f"{name:<26} {p:9.2f} {r:7.2f} {f:7.2f} {'':>9}")
    print("\nF1 per publisher")
    names = list(results)
    print(f"{'publisher':<18}" + "".join(f" {n[:18]:>18}" for n in names))
    for publisher in sorted({p.publisher for p in pages}):
        keys = [p.key for p in pages if p.publisher == publisher]
        cells = [mean([results[n][k] for k in keys])[2] for n in names]
        print(f"{publisher:<18}" + "".join(f" {c:18.2f}" for c in cells))
    if worst:
        last = names[-1]
        print(f"\nworst pages of {last} (F1, precision, recall)")
        ranked = sorted(results[last].items(), key=lambda kv: kv[1].f1)[:worst]
        for key, s in ranked:
            print(f"  {key:<28} {100 * s.f1:6.2f} {100 * s.precision:6.2f} {100 * s.recall:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=5, help="list the N worst pages")
    args = parser.parse_args()
    if not (args.data / "ground_truth.json").is_file():
        parser.error(f"{args.data}: no ground_truth.json (fundus-evaluation data set)")
    sys.path.insert(0, str(ROOT))
    pages = load_pages(args.data)
    alone, learned = newswatch_texts(pages)
    results = run(
        pages,
        {
            "trafilatura": plain_trafilatura,
            "newswatch": lambda html, url: alone[url],
            "newswatch+learned": lambda html, url: learned[url],
        },
    )
    report(results, pages, args.worst)


if __name__ == "__main__":
    main()
