"""Start the mock news web as a subprocess and talk to it (used by the fixture and bench/)."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from typing import IO, Any

from tests.harness.newsweb import sitemaps
from tests.harness.newsweb.model import Copy, World
from tests.harness.newsweb.seed import REPO_ROOT
from tests.harness.newsweb.world import default_now, make_world

STARTUP_TIMEOUT = 60.0


class NewsWebError(RuntimeError):
    """The mock news web did not start or stopped answering."""


class NewsWeb:
    """A running mock news web plus its ground truth (`world`, rebuilt in this process)."""

    def __init__(self, announce: dict[str, Any], world: World, process: subprocess.Popen[bytes]):
        self.announce = announce
        self.world = world
        self.process = process
        self.port: int = announce["port"]
        self.bases: dict[str, str] = dict(announce["outlets"])
        self.offsite_url: str = announce["offsite"]
        self.stderr: IO[bytes] | None = None

    def __enter__(self) -> NewsWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------
    def base_url(self, outlet: str) -> str:
        """An outlet's base URL; the off-site host's key works too (it is not in `bases`)."""
        if outlet == self.world.offsite.key:
            return self.offsite_url
        return self.bases[outlet]

    def url(self, outlet: str, path: str) -> str:
        return self.base_url(outlet) + path

    def copy_url(self, copy: Copy, listed: bool = False) -> str:
        """Where a copy lives; `listed=True` gives the URL as feeds list it (tracking params)."""
        return self.url(copy.outlet, copy.listed_path if listed else copy.path)

    def feed_url(self, outlet: str) -> str:
        return self.url(outlet, self.world.outlet(outlet).feed_path)

    def feed_urls(self, outlet: str) -> list[str]:
        """The main feed plus any extra (possibly broken) feeds a config should list."""
        extra = self.world.outlet(outlet).extra_feeds
        return [self.feed_url(outlet)] + [self.url(outlet, p) for p in extra]

    def sitemap_url(self, outlet: str) -> str:
        return self.url(outlet, sitemaps.SITEMAP_INDEX)

    def news_sitemap_url(self, outlet: str) -> str:
        return self.url(outlet, sitemaps.NEWS_SITEMAP)

    def robots_url(self, outlet: str) -> str:
        return self.url(outlet, "/robots.txt")

    def homepage_url(self, outlet: str) -> str:
        return self.url(outlet, "/")

    def host(self, outlet: str) -> str:
        return self.world.outlet(outlet).ip

    # -- control -------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        return self._control("GET", "stats")

    def hits(self, outlet: str | None = None) -> dict[str, Any]:
        """Requests per path, `{outlet: {path: n}}` (or `{path: n}` for one outlet)."""
        hits: dict[str, dict[str, int]] = self.stats()["hits"]
        return hits.get(outlet, {}) if outlet is not None else hits

    def hit_count(self, url_or_outlet: str, path: str | None = None) -> int:
        """Requests for one page, by URL or by (outlet, path); query strings are ignored."""
        if path is None:
            outlet, path = self._split(url_or_outlet)
        else:
            outlet = url_or_outlet
        return int(self.hits(outlet).get(path.split("?", 1)[0], 0))

    def advance(self) -> None:
        """Serve the updated version of updated_in_place stories (same URL, one more paragraph)."""
        self._control("POST", "advance")
        self.world.advance()

    def reset(self) -> None:
        """Back to the first version; hit counters cleared."""
        self._control("POST", "reset")
        self.world.reset()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.stderr is not None:
            self.stderr.close()

    def _split(self, url: str) -> tuple[str, str]:
        for outlet, base in self.bases.items():
            if url.startswith(base):
                return outlet, url[len(base) :] or "/"
        raise KeyError(f"{url} is not on any outlet of this news web")

    def _control(self, method: str, action: str) -> Any:
        first = next(iter(self.bases.values()))
        request = urllib.request.Request(
            f"{first}/__newsweb/{action}", method=method, data=b"" if method == "POST" else None
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)
        except OSError as exc:
            code = self.process.poll()
            state = f"exited with {code}" if code is not None else "still running"
            raise NewsWebError(f"mock news web {action} failed ({state}): {exc}") from exc


def start_newsweb(
    seed: int = 0,
    extra_stories: int = 0,
    copies_per_story: int | None = None,
    slow_delay: float = 5.0,
    now: datetime | None = None,
    huge_bytes: int | None = None,
    feed_limit: int = 100,
    world: str = "core",
) -> NewsWeb:
    """Start `python -m tests.harness.newsweb` and wait for its address line.

    `world` is "core" or "multilingual" (the slice in multilingual/).
    """
    now = now or default_now()
    command = [
        sys.executable, "-m", "tests.harness.newsweb", "--world", world, "--seed", str(seed),
        "--extra-stories", str(extra_stories), "--now", now.isoformat(),
        "--slow-delay", str(slow_delay), "--feed-limit", str(feed_limit), "--exit-with-parent",
    ]  # fmt: skip
    if copies_per_story is not None:
        command += ["--copies-per-story", str(copies_per_story)]
    if huge_bytes is not None:
        command += ["--huge-bytes", str(huge_bytes)]
    # Lives as long as the subprocess, which writes to it; NewsWeb.stop() closes it.
    stderr = tempfile.TemporaryFile()  # noqa: SIM115
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=stderr, env=env
    )
    try:
        announce = json.loads(_first_line(process, stderr))
    except (NewsWebError, ValueError):
        process.kill()
        process.wait()
        stderr.close()
        raise
    ground_truth = make_world(world, seed, extra_stories, copies_per_story, now)
    web = NewsWeb(announce, ground_truth, process)
    web.stderr = stderr
    return web


def _first_line(process: subprocess.Popen[bytes], stderr: Any) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            line = process.stdout.readline().decode()
            if line.strip():
                return line
        if process.poll() is not None:
            break
    stderr.seek(0)
    tail = stderr.read().decode(errors="replace").strip().splitlines()[-15:]
    state = f"exited with code {process.poll()}" if process.poll() is not None else "timed out"
    raise NewsWebError(
        "mock news web did not start (" + state + "); its last stderr lines:\n" + "\n".join(tail)
    )
