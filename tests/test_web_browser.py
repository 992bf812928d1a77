"""The web app in a real headless Chromium, on an index crawled from the local news web.

Each backend gets one crawl and one `newswatch serve` process (module scope); the
tests drive Debian's chromium through its chromedriver with Selenium. Screenshots
go to the test session's temporary directory (printed), for people to look at.
"""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from crawler.config import load_config
from crawler.index import make_backend
from crawler.story import Story
from tests.fixtures.backends import make_story
from tests.fixtures.newsweb import world_config
from tests.test_crawl_e2e import crawl, stories_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from selenium.webdriver.remote.webdriver import WebDriver

    from tests.harness.newsweb.client import NewsWeb

REPO = Path(__file__).resolve().parents[1]
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SOURCES = ["newsmix", "frontline", "ledger", "wire", "observer"]
PAYLOAD_TITLE = "<img src=x onerror=alert(1)>"
PAYLOAD_TEXT = "Korean <script>alert(2)</script> units <b onmouseover=alert(3)>moved</b>."
PAYLOAD_URL = "javascript:alert(4)"


@dataclass
class Served:
    base: str
    kind: str
    stories: list[Story]
    hostile_id: str

    def api(self, path: str, **params: Any) -> dict[str, Any]:
        query = f"?{urlencode(params, doseq=True)}" if params else ""
        with urllib.request.urlopen(f"{self.base}{path}{query}", timeout=30) as answer:
            body: dict[str, Any] = json.load(answer)
        return body


def hostile_story() -> Story:
    """A story whose crawled title, text, outlet and copy URL are HTML/script payloads."""
    story = make_story(
        "http://hostile.test/page",
        title=PAYLOAD_TITLE,
        text=PAYLOAD_TEXT + "\nA second paragraph about North Korea.",
        outlet="<i>Hostile</i> Outlet",
        topics=("dprk-russia-war",),
    )
    story.copies[0].text = story.text
    copy = dataclasses.replace(
        story.copies[0],
        url=PAYLOAD_URL,
        outlet="Other <svg onload=alert(5)>",
        title="</title><script>alert(6)</script>",
        match="near",
        score=0.9,
        text="Korean <script>alert(7)</script> units moved.",
    )
    story.copies.append(copy)
    story.outlets = [story.outlet, copy.outlet]
    story.outlet_count = 2
    story.copy_urls.append(PAYLOAD_URL)
    return story


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"newswatch serve exited: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"newswatch serve did not answer: {log.read_text()[-3000:]}")


@pytest.fixture(scope="module", params=["embedded", "elasticsearch"])
def served(
    request: pytest.FixtureRequest, newsweb: NewsWeb, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """`newswatch serve` on an index crawled from five outlets' feeds, plus a hostile story."""
    kind = request.param
    directory = tmp_path_factory.mktemp(f"web-{kind}")
    es: dict[str, Any] = {}
    if kind == "elasticsearch":
        es = {
            "es_url": request.getfixturevalue("es_url"),
            "index_prefix": f"t{uuid.uuid4().hex[:10]}-web",
        }
    config = world_config(
        newsweb, directory, backend=kind, sources=SOURCES, entry_points=("feeds",), **es
    )
    run = crawl(config)
    assert run.returncode == 0, run.log[-3000:]
    hostile = hostile_story()
    with make_backend(load_config(config)) as backend:
        backend.put_story(hostile)
        backend.flush()
    stories = [s for s in stories_of(config) if s.id != hostile.id]
    port = free_port()
    log = directory / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler",
                "serve",
                "--config",
                str(config),
                "--port",
                str(port),
            ],
            cwd=REPO,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield Served(base, kind, stories, hostile.id)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if es:
            from elasticsearch import Elasticsearch

            from tests.fixtures.elasticsearch import delete_prefixed

            with Elasticsearch(es["es_url"]) as client:
                delete_prefixed(client, f"{es['index_prefix']}*")


def chrome(javascript: bool = True) -> WebDriver:
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"):
        options.add_argument(argument)
    options.add_argument("--window-size=1280,1000")
    # Leave any dialog open so that the test can see that one was (never) opened.
    options.set_capability("unhandledPromptBehavior", "ignore")
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    driver = chrome()
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("screenshots")
    print(f"\nweb app screenshots: {directory}")
    return directory


def texts(driver: WebDriver, selector: str) -> list[str]:
    return [element.text for element in driver.find_elements(By.CSS_SELECTOR, selector)]


def no_dialog(driver: WebDriver) -> bool:
    try:
        driver.switch_to.alert.dismiss()
    except NoAlertPresentException:
        return True
    return False


def test_search_lists_stories_like_the_api_with_highlights(
    served: Served, browser: WebDriver, shots: Path
) -> None:
    browser.get(f"{served.base}/?{urlencode({'q': 'Korean', 'sort': 'date'})}")
    api = served.api("/search", q="Korean", sort="date")
    heading = browser.find_element(By.ID, "results-heading").text
    assert heading.startswith(f"{api['total']} stor") and api["total"] >= 5
    titles = texts(browser, ".result h3")
    assert titles == [hit["story"]["title"] for hit in api["hits"]]
    counts = [int(t) for t in texts(browser, ".result .outlet-count")]
    assert counts == [hit["story"]["outlet_count"] for hit in api["hits"]]
    for result, hit in zip(
        browser.find_elements(By.CSS_SELECTOR, ".result"), api["hits"], strict=True
    ):
        outlets = [a.text for a in result.find_elements(By.CSS_SELECTOR, ".outlets a")]
        assert outlets == hit["story"]["outlets"]
        assert result.find_element(By.CSS_SELECTOR, ".outlet").text == hit["story"]["outlet"]
    marks = texts(browser, ".snippet mark")
    assert marks and all(m.lower().startswith("korean") for m in marks)
    browser.save_screenshot(str(shots / f"search-{served.kind}.png"))


def test_pagination_follows_the_cursors_over_every_story(
    served: Served, browser: WebDriver
) -> None:
    browser.get(f"{served.base}/?{urlencode({'limit': 5, 'sort': 'date'})}")
    seen: list[str] = []
    pages = 0
    while pages < 10:
        pages += 1
        seen += [
            a.get_attribute("href") or ""
            for a in browser.find_elements(By.CSS_SELECTOR, ".result h3 a")
        ]
        following = browser.find_elements(By.CSS_SELECTOR, "a[rel=next]")
        if not following:
            break
        following[0].click()
    ids = [href.split("/story/")[1].split("?")[0] for href in seen]
    assert len(ids) == len(set(ids)) == len(served.stories) + 1  # with the hostile story
    assert pages > 2
    assert browser.find_element(By.ID, "results-heading").text.endswith(f"page {pages}")


def story_with_most_outlets(served: Served) -> dict[str, Any]:
    return max(served.stories, key=lambda s: (s.outlet_count, s.id))


def test_story_page_shows_every_copy_and_what_each_outlet_changed(
    served: Served, browser: WebDriver, shots: Path, newsweb: NewsWeb
) -> None:
    story = story_with_most_outlets(served)
    assert story.outlet_count >= 3
    browser.get(f"{served.base}/?{urlencode({'sort': 'date', 'limit': 100})}")
    browser.find_element(By.CSS_SELECTOR, f".result h3 a[href^='/story/{story.id}']").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == story.title
    rows = browser.find_elements(By.CSS_SELECTOR, "table.copies tbody tr")
    assert len(rows) == len(story.copies)
    assert {
        r.find_element(By.CSS_SELECTOR, ".copy-outlet").text.removesuffix(" (primary)")
        for r in rows
    } == set(story.outlets)
    shown_urls = set(texts(browser, "table.copies .url"))
    assert shown_urls == {c.url for c in story.copies}
    matches = texts(browser, "table.copies .match")
    assert [m.split()[0] for m in matches[1:]] == [
        c.match for c in story.copies if c.url != story.url
    ]
    summaries = {
        element.find_element(By.TAG_NAME, "strong").text: element.text
        for element in browser.find_elements(By.CSS_SELECTOR, ".change .change-summary")
    }
    truncated = {newsweb.copy_url(c) for c in newsweb.world.copies if c.variation == "truncated"}
    for copy in story.copies:
        if copy.url == story.url:
            continue
        summary = summaries[copy.outlet]
        assert ("headline changed" in summary) == (copy.title != story.title), summary
        if copy.url in truncated:
            assert "truncated at paragraph" in summary, summary
    assert browser.find_elements(By.CSS_SELECTOR, ".diff del, .diff ins")
    browser.save_screenshot(str(shots / f"story-{served.kind}.png"))
    changes = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=changes-heading]")
    changes.screenshot(str(shots / f"story-changes-{served.kind}.png"))


def test_a_truncated_copy_is_shown_cut_at_its_last_paragraph(
    served: Served, browser: WebDriver, newsweb: NewsWeb
) -> None:
    truncated = {newsweb.copy_url(c): c for c in newsweb.world.copies if c.variation == "truncated"}
    story = next(s for s in served.stories if truncated.keys() & set(s.copy_urls) - {s.url})
    browser.get(f"{served.base}/story/{story.id}")
    copy = next(c for c in story.copies if c.url in truncated)
    summary = next(
        s.text
        for s in browser.find_elements(By.CSS_SELECTOR, ".change .change-summary")
        if s.text.startswith(copy.outlet)
    )
    assert "truncated at paragraph" in summary
    assert browser.find_elements(By.CSS_SELECTOR, ".diff .cut")


def test_coverage_charts_render_as_svg(served: Served, browser: WebDriver, shots: Path) -> None:
    browser.get(f"{served.base}/coverage?{urlencode({'q': 'Korean'})}")
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    assert len(charts) == 2
    for chart in charts:
        bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
        assert bars and any(float(b.get_attribute("height") or 0) > 0 for b in bars)
        assert chart.size["width"] > 200 and chart.size["height"] > 50
    timeline = served.api("/stats/timeline", q="Korean")["buckets"]
    days = {b["date"]: b["stories"] for b in timeline}
    # Each bar's <title> (its tooltip) says "label: count"; it is not rendered as text.
    tips = [
        t.get_attribute("textContent") or "" for t in charts[0].find_elements(By.TAG_NAME, "title")
    ]
    shown = {tip.rsplit(": ", 1)[0]: int(tip.rsplit(": ", 1)[1]) for tip in tips}
    assert {day: n for day, n in shown.items() if n} == days
    outlets = served.api("/stats/outlets", q="Korean", size=15)["buckets"]
    labels = [
        t.get_attribute("textContent").rsplit(": ", 1)[0]
        for t in charts[1].find_elements(By.TAG_NAME, "title")
    ]
    assert labels == [b["outlet"] for b in outlets]
    browser.save_screenshot(str(shots / f"coverage-{served.kind}.png"))


def test_a_malformed_query_shows_the_error_at_its_position(
    served: Served, browser: WebDriver
) -> None:
    browser.get(f"{served.base}/?{urlencode({'q': 'troops AND (Kursk'})}")
    error = browser.find_element(By.ID, "q-error")
    assert "at position" in error.text
    api = urllib.request.Request(f"{served.base}/search?{urlencode({'q': 'troops AND (Kursk'})}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(api, timeout=30)
    position = json.load(refused.value)["error"]["position"]
    assert f"at position {position}" in error.text
    fault = browser.find_element(By.CSS_SELECTOR, "mark.fault")
    query = "troops AND (Kursk"
    assert fault.text.strip() == query[position : position + 1].strip()
    box = browser.find_element(By.ID, "q")
    assert box.get_attribute("aria-invalid") == "true"
    assert box.get_attribute("value") == query
    assert not browser.find_elements(By.CSS_SELECTOR, ".result")


def test_hostile_title_and_text_render_as_text_and_run_nothing(
    served: Served, browser: WebDriver
) -> None:
    browser.get(f"{served.base}/?{urlencode({'q': 'onmouseover'})}")
    assert PAYLOAD_TITLE in texts(browser, ".result h3")
    assert no_dialog(browser)
    browser.get(f"{served.base}/story/{served.hostile_id}")
    assert no_dialog(browser)
    assert browser.find_element(By.TAG_NAME, "h1").text == PAYLOAD_TITLE
    body = browser.find_element(By.CSS_SELECTOR, ".story-text").text
    assert "<script>alert(2)</script>" in body and "<b onmouseover=alert(3)>" in body
    main = browser.find_element(By.ID, "main")
    assert not main.find_elements(By.CSS_SELECTOR, "img, script, svg[onload], b, i")
    # The javascript: copy URL is shown, never made a link.
    assert PAYLOAD_URL in main.text
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    assert "Other <svg onload=alert(5)>" in main.text
    assert no_dialog(browser)


def test_keyboard_search_and_a_narrow_screen(
    served: Served, browser: WebDriver, shots: Path
) -> None:
    browser.get(f"{served.base}/")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "q"
    active.send_keys("Korean", Keys.ENTER)
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("q=Korean"))
    assert browser.find_elements(By.CSS_SELECTOR, ".result")
    story = story_with_most_outlets(served)
    try:
        browser.set_window_size(390, 844)
        for path in ("/?q=Korean", f"/story/{story.id}", "/coverage?q=Korean"):
            browser.get(served.base + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        browser.save_screenshot(str(shots / f"coverage-narrow-{served.kind}.png"))
    finally:
        browser.set_window_size(1280, 1000)


def test_search_works_without_javascript(served: Served) -> None:
    driver = chrome(javascript=False)
    try:
        driver.get(f"{served.base}/")
        box = driver.find_element(By.ID, "q")
        box.send_keys('"North Korean"', Keys.ENTER)
        WebDriverWait(driver, 10).until(expected_conditions.url_contains("q="))
        expected = served.api("/search", q='"North Korean"')["total"]
        assert driver.find_element(By.ID, "results-heading").text.startswith(f"{expected} stor")
        export = driver.find_element(By.LINK_TEXT, "CSV").get_attribute("href") or ""
    finally:
        driver.quit()
    with urllib.request.urlopen(export, timeout=30) as answer:
        rows = answer.read().decode().splitlines()
    assert rows[0].startswith("id,published,title")
    assert len(rows) - 1 == expected
