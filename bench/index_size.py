"""What one node holds: index bytes per story after crawling the mock news web, both backends.

    .venv/bin/python bench/index_size.py [--extra-stories 200] [--es-url URL]

Crawls the mock news web (`python -m tests.harness.newsweb`, a subprocess) once into the
embedded index and once into Elasticsearch (`--es-url`, else the test node started
as a subprocess: `python -m tests.harness.elasticsearch.node`), force-merges, and prints
bytes per story and stories per GB of primary store (Elasticsearch) or database
file (embedded), next to the raw article HTML per story as the baseline. Replicas
multiply the Elasticsearch figure by (1 + number_of_replicas).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from elasticsearch import Elasticsearch  # noqa: E402 - after the path set-up

from crawler.config import load_config  # noqa: E402
from crawler.index import make_backend  # noqa: E402

GB = 1024**3
CRAWL = {"download_timeout": "5s", "autothrottle": False, "time_limit": "60m"}


def start(argv: list[str], pattern: str) -> tuple[subprocess.Popen[str], str]:
    """Start a helper and return it with the first stdout line matching `pattern`."""
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if re.search(pattern, line):
            return process, line
    raise SystemExit(f"{argv[2]} did not start")


def config_for(web: dict[str, Any], directory: Path, index: dict[str, Any]) -> Path:
    default = yaml.safe_load((ROOT / "crawler/config/default.yaml").read_text())
    sources = [
        {
            "name": key,
            "sitemaps": [f"{base.rstrip('/')}/sitemap_index.xml"],
            "allowed_domains": [base.split("//")[1].split(":")[0]],
            "max_age": "3650d",
        }
        for key, base in sorted(web["outlets"].items())
    ]
    config = {
        "state_dir": str(directory / "state"),
        "index": index,
        "crawl": CRAWL,
        "topics": default["topics"],
        "sources": sources,
    }
    directory.mkdir(parents=True)
    path = directory / "newswatch.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def crawl(config: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--config", str(config), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"crawl failed: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def html_bytes(web: dict[str, Any]) -> int:
    """Bytes of every article page listed in the outlets' sitemaps (the baseline)."""
    total = 0
    for base in web["outlets"].values():
        index = urllib.request.urlopen(f"{base.rstrip('/')}/sitemap_index.xml").read().decode()
        for sitemap in re.findall(r"<loc>([^<]*articles-\d+\.xml)</loc>", index):
            listing = urllib.request.urlopen(sitemap).read().decode()
            for url in re.findall(r"<loc>([^<]*)</loc>", listing):
                try:
                    total += len(urllib.request.urlopen(url).read())
                except urllib.error.HTTPError:
                    continue  # the mock web's gone pages: no article, no story
    return total


def embedded_size(config: Path) -> tuple[int, int]:
    loaded = load_config(config)
    with make_backend(loaded) as backend:
        stories = backend.count()
    path = loaded.index.embedded.path
    with sqlite3.connect(path) as conn:
        conn.execute("VACUUM")
    return stories, path.stat().st_size


def es_size(url: str, prefix: str) -> tuple[int, int]:
    with Elasticsearch(url, request_timeout=300) as client:
        pattern = f"{prefix}-stories*"
        client.indices.refresh(index=pattern)
        client.indices.forcemerge(index=pattern, max_num_segments=1)
        stats = client.indices.stats(index=pattern, metric="docs,store")["_all"]["primaries"]
        client.indices.delete(index=",".join(client.indices.get(index=f"{prefix}-*").body))
    return int(stats["docs"]["count"]), int(stats["store"]["size_in_bytes"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extra-stories", type=int, default=200)
    parser.add_argument("--es-url", help="use this Elasticsearch instead of the test node")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nw-bench-size-"))
    helpers = []
    try:
        web_argv = [sys.executable, "-m", "tests.harness.newsweb", "--copies-per-story", "4"]
        web_process, line = start([*web_argv, "--extra-stories", str(args.extra_stories)], "{")
        helpers.append(web_process)
        web = json.loads(line)
        es_url = args.es_url
        if not es_url:
            node, line = start(
                [sys.executable, "-m", "tests.harness.elasticsearch.node"], r" at http"
            )
            helpers.append(node)
            es_url = re.findall(r"at (http://\S+)", line)[0]
        raw = html_bytes(web)
        rows = []
        embedded = config_for(web, work / "embedded", {"embedded": {"path": str(work / "e.db")}})
        summary = crawl(embedded)
        rows.append(("embedded (SQLite file)", *embedded_size(embedded), summary))
        prefix = f"b{uuid.uuid4().hex[:8]}-newswatch"
        es_index = {"backend": "elasticsearch", "elasticsearch": {"url": es_url}}
        es_index["elasticsearch"]["index_prefix"] = prefix
        summary = crawl(config_for(web, work / "es", es_index))
        rows.append(("Elasticsearch (primary store)", *es_size(es_url, prefix), summary))
        pages = rows[0][3]["pages_fetched"]
        print(
            f"mock web: {web['pages']} article pages, {raw / 1e6:.1f} MB of HTML; "
            f"crawl fetched {pages} pages"
        )
        print("index                          stories  bytes/story  stories/GB  HTML bytes/story")
        for name, stories, size, _ in rows:
            print(
                f"{name:<30} {stories:>7}  {size / stories:>11.0f}  {GB / (size / stories):>10,.0f}"
                f"  {raw / stories:>16.0f}"
            )
    finally:
        for helper in helpers:
            helper.terminate()
            helper.wait(60)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
