"""Alert latency and the cost of matching many rules per story.

    .venv/bin/python -m bench.alert_latency [--stories 200] [--rules 1000]

1. Latency, immediate mode, embedded index: each of `--stories` stories is stored
   (put + flush, as a crawl ends), then the scheduler's step runs (`AlertService.run`:
   scan, match, claim, send through apprise's json://) to a loopback HTTP receiver.
   Latency = receiver's arrival time - the moment the story was stored. Baseline: the
   same JSON body POSTed raw with urllib to the same receiver (the transport's floor).
2. Rule cost: `--rules` analyst-like rules (phrases, AND/OR/NOT, fields, prefixes)
   matched against each story with the term pre-filter (crawler/alerts/match.py) and
   naively (every rule's matcher on every story), same rules, same stories, same run.
   Target: <= 5 ms per story for 1,000 rules.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.report import median_p95_header, median_p95_row
from bench.search_latency import ENTITIES, FILLER, WORDS, make_story
from crawler.alerts.match import RuleIndex
from crawler.alerts.service import AlertService
from crawler.config.alerts import AlertRule, AlertsConfig
from crawler.index.sqlite import SqliteBackend
from crawler.story import Story


class Receiver:
    """A loopback HTTP server noting when each notification arrived."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        arrivals = self.arrivals

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                arrivals.append(time.perf_counter())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def fresh_story(rng: random.Random, number: int) -> dict[str, Any]:
    story = make_story(rng, number)
    seen = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    story["first_seen"] = story["last_seen"] = seen
    story["title"] = f"North Korea {story['title']}"  # every story fires the rule
    return story


def latency(stories: int) -> tuple[list[float], list[float]]:
    receiver = Receiver()
    rng = random.Random(7)
    url = f"json://127.0.0.1:{receiver.port}/hook"
    config = AlertsConfig.model_validate(
        {"rules": [{"name": "nk", "kind": "new", "query": '"north korea"', "notify": [url]}]}
    )
    alerts, raw = [], []
    with (
        tempfile.TemporaryDirectory() as tmp,
        SqliteBackend(Path(tmp) / "index.sqlite3") as backend,
    ):
        service = AlertService(config, backend)
        service.arm()
        for number in range(stories):
            story = fresh_story(rng, number)
            backend.put_story(Story.from_document(story))
            backend.flush()
            stored = time.perf_counter()
            report = service.run()
            assert report.sent == 1, report
            alerts.append(receiver.arrivals[-1] - stored)
            body = json.dumps({"title": story["title"], "message": story["text"][:500]})
            start = time.perf_counter()
            request = urllib.request.Request(
                f"http://127.0.0.1:{receiver.port}/hook", data=body.encode(), method="POST"
            )
            urllib.request.urlopen(request, timeout=10).read()
            raw.append(receiver.arrivals[-1] - start)
        service.close()
    receiver.close()
    return alerts, raw


def make_rules(count: int, rng: random.Random) -> list[AlertRule]:
    shapes = [
        lambda: f'"{rng.choice(ENTITIES)}" AND {rng.choice(WORDS)}',
        lambda: f"{rng.choice(FILLER)} OR {rng.choice(FILLER)}",
        lambda: f"{rng.choice(WORDS)} AND {rng.choice(FILLER)} AND NOT {rng.choice(WORDS)}",
        lambda: f"title:{rng.choice(WORDS)} AND {rng.choice(FILLER)}",
        lambda: f'{rng.choice(FILLER)[:4]}* AND "{rng.choice(ENTITIES)}"',
        lambda: f'("{rng.choice(ENTITIES)}" OR {rng.choice(FILLER)}) AND {rng.choice(FILLER)}',
    ]
    rules = []
    for number in range(count):
        # one in fifty rules has no key word (exclusions only): the pre-filter keeps it
        query = f"-{rng.choice(WORDS)}" if number % 50 == 0 else rng.choice(shapes)()
        rules.append(
            AlertRule(name=f"r{number}", kind="new", query=query, notify=["json://127.0.0.1/x"])
        )
    return rules


def rule_cost(rule_count: int, stories: int) -> tuple[list[float], list[float], float]:
    rng = random.Random(11)
    rules = make_rules(rule_count, rng)
    fast, naive = RuleIndex(rules), RuleIndex(rules, prefilter=False)
    sample = [Story.from_document(make_story(rng, n)) for n in range(stories)]
    fast_ms, naive_ms, matched = [], [], 0
    for story in sample:
        start = time.perf_counter()
        picked = fast.matching(story)
        middle = time.perf_counter()
        everything = naive.matching(story)
        end = time.perf_counter()
        assert [c.rule.name for c, _ in picked] == [c.rule.name for c, _ in everything]
        fast_ms.append((middle - start) * 1000)
        naive_ms.append((end - middle) * 1000)
        matched += len(picked)
    return fast_ms, naive_ms, matched / stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=200)
    parser.add_argument("--rules", type=int, default=1000)
    args = parser.parse_args()

    alerts, raw = latency(args.stories)
    print(f"latency, story stored -> notification received ({args.stories} stories, embedded)")
    print(median_p95_header())
    for name, samples in (("newswatch alert (apprise)", alerts), ("raw POST (baseline)", raw)):
        ms = [s * 1000 for s in samples]
        print(median_p95_row(name, ms, 1))

    fast, naive, matched = rule_cost(args.rules, args.stories)
    print(
        f"\nmatching {args.rules} rules per story ({args.stories} stories, "
        f"{matched:.1f} rules matched per story)"
    )
    print(median_p95_header())
    for name, ms in (("term pre-filter", fast), ("every rule (baseline)", naive)):
        print(median_p95_row(name, ms, 2))
    print(
        f"  speed-up (median): x{statistics.median(naive) / statistics.median(fast):.1f}"
        f"   target: <= 5 ms per story"
    )


if __name__ == "__main__":
    main()
