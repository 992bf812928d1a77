"""The web app in a real headless Chromium, on an index crawled from the local news web.

Each backend gets one crawl and one `newswatch serve` process (module scope), and
one browser serves every test; the tests drive Debian's chromium through its
chromedriver with Selenium. Screenshots of the results, story and coverage pages
at 1366 and 390 px go to the test session's temporary directory (printed), for
people to look at.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
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
WIDE, PHONE = 1366, 390


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


# Stories on a subject nothing crawled mentions, published across a year's end with
# days without any between them: a chart must show the years and the gap.
ARCTIC = "Svalbard"
ARCTIC_DAYS = (
    "2025-12-29T10:00:00Z",
    "2025-12-30T09:00:00Z",
    "2025-12-30T15:00:00Z",
    "2026-01-04T08:00:00Z",
)


def arctic_stories() -> list[Story]:
    stories = []
    for number, published in enumerate(ARCTIC_DAYS):
        story = make_story(
            f"http://arctic.test/{number}",
            title=f"{ARCTIC} seed vault report {number}",
            text=f"## The vault\nThe {ARCTIC} seed vault took new deposits.\nMore followed.",
            outlet="Arctic Wire",
            published=published,
            topics=(),
        )
        stories.append(story)
    return stories


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serving(config: Path, directory: Path) -> Iterator[str]:
    """`newswatch serve` on a free loopback port for the block; its base URL."""
    port = free_port()
    log = directory / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "serve", "--config", str(config)]
            + ["--port", str(port)],
            cwd=REPO,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


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
    added = [hostile, *arctic_stories()]
    with make_backend(load_config(config)) as backend:
        for story in added:
            backend.put_story(story)
        backend.flush()
    stories = [s for s in stories_of(config) if s.id not in {a.id for a in added}]
    with serving(config, directory) as base:
        try:
            yield Served(base, kind, stories, hostile.id)
        finally:
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
    options.add_argument(f"--window-size={WIDE},1000")
    # Leave any dialog open so that the test can see that one was (never) opened.
    options.set_capability("unhandledPromptBehavior", "ignore")
    # The console says what a Content-Security-Policy blocked.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
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


def shoot(driver: WebDriver, shots: Path, name: str, served: Served) -> None:
    """The page as shown, at the window's width and tall enough for the whole page."""
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(int(height) + 140, 600), 4000))
    driver.save_screenshot(str(shots / f"{name}-{width}-{served.kind}.png"))
    driver.set_window_size(width, 1000)


def heading_total(driver: WebDriver) -> int:
    return int(driver.find_element(By.ID, "results-heading").text.split()[0])


def test_search_lists_stories_like_the_api_with_highlights(
    served: Served, browser: WebDriver, shots: Path
) -> None:
    browser.get(f"{served.base}/?{urlencode({'q': 'Korean', 'sort': 'date'})}")
    api = served.api("/search", q="Korean", sort="date")
    assert heading_total(browser) == api["total"] >= 5
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
    # The facets are the backend's counts for this search.
    facets = served.api("/stats/facets", q="Korean", size=8)
    shown = browser.find_elements(By.CSS_SELECTOR, ".facet-outlet li")
    assert [
        (
            li.find_element(By.CSS_SELECTOR, ".name").text,
            int(li.find_element(By.CSS_SELECTOR, ".count").text),
        )
        for li in shown
    ] == [(b["key"], b["stories"]) for b in facets["outlets"]]
    shoot(browser, shots, "results", served)


def test_a_facet_click_filters_and_its_chip_removes_the_filter(
    served: Served, browser: WebDriver
) -> None:
    browser.get(f"{served.base}/?{urlencode({'q': 'Korean'})}")
    before = heading_total(browser)
    link = browser.find_elements(By.CSS_SELECTOR, ".facet-outlet li a")[-1]
    name = link.find_element(By.CSS_SELECTOR, ".name").text
    count = int(link.find_element(By.CSS_SELECTOR, ".count").text)
    link.click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("outlet="))
    assert heading_total(browser) == count < before
    for result in browser.find_elements(By.CSS_SELECTOR, ".result"):
        assert name in [a.text for a in result.find_elements(By.CSS_SELECTOR, ".outlets a")]
    chips = texts(browser, ".chip span")
    assert chips == [f"Outlets: {name}"]
    active = browser.find_element(By.CSS_SELECTOR, ".facet-outlet li.active .name").text
    assert active == name
    browser.find_element(By.CSS_SELECTOR, ".chip a").click()
    WebDriverWait(browser, 10).until(lambda d: "outlet=" not in d.current_url)
    assert heading_total(browser) == before
    assert not browser.find_elements(By.CSS_SELECTOR, ".chip")


def test_outlets_are_found_by_any_name_and_an_unknown_one_is_said(
    served: Served, browser: WebDriver, newsweb: NewsWeb
) -> None:
    source = SOURCES[0]
    display = newsweb.world.outlet(source).name
    expected = served.api("/search", outlet=display)["total"]
    assert expected > 0
    for given in (display.upper(), source, newsweb.host(source)):
        browser.get(f"{served.base}/?{urlencode({'outlet': given})}")
        assert heading_total(browser) == expected, given
        assert not browser.find_elements(By.CSS_SELECTOR, ".notice.unknown")
    browser.get(f"{served.base}/?{urlencode({'outlet': 'Nowhere Gazette'})}")
    notice = browser.find_element(By.CSS_SELECTOR, ".notice.unknown").text
    assert "No outlet called 'Nowhere Gazette'" in notice
    assert heading_total(browser) == 0
    browser.get(f"{served.base}/?{urlencode({'topic': 'NO-SUCH-TOPIC'})}")
    assert "No topic called" in browser.find_element(By.CSS_SELECTOR, ".notice.unknown").text


def test_paging_previous_next_and_a_page_without_its_cursor(
    served: Served, browser: WebDriver
) -> None:
    total = len(served.stories) + 1 + len(ARCTIC_DAYS)
    browser.get(f"{served.base}/?{urlencode({'limit': 5, 'sort': 'date'})}")
    seen: list[str] = []
    ranges: list[str] = []
    while True:
        ranges.append(browser.find_element(By.CSS_SELECTOR, ".pager .range").text)
        seen += [
            a.get_attribute("href") or ""
            for a in browser.find_elements(By.CSS_SELECTOR, ".result h3 a")
        ]
        following = browser.find_elements(By.CSS_SELECTOR, "a[rel=next]")
        if not following:
            break
        following[0].click()
    ids = [href.split("/story/")[1].split("?")[0] for href in seen]
    assert len(ids) == len(set(ids)) == total
    pages = len(ranges)
    assert ranges[0] == f"1-5 of {total}"
    assert ranges[-1] == f"{(pages - 1) * 5 + 1}-{total} of {total}"
    assert browser.find_element(By.ID, "results-heading").text.endswith(f"page {pages}")
    # Back again: each Previous shows the page that was shown before it.
    for number in range(pages - 1, 0, -1):
        browser.find_element(By.CSS_SELECTOR, "a[rel=prev]").click()
        assert browser.find_element(By.CSS_SELECTOR, ".pager .range").text == ranges[number - 1]
    assert not browser.find_elements(By.CSS_SELECTOR, "a[rel=prev]")
    browser.get(f"{served.base}/?{urlencode({'limit': 5, 'sort': 'date', 'page': 3})}")
    assert "page=" not in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, ".pager .range").text == ranges[0]


def story_with_most_outlets(served: Served) -> Story:
    return max(served.stories, key=lambda s: (s.outlet_count, s.id))


def test_story_page_leads_with_the_copies_in_the_order_outlets_ran_them(
    served: Served, browser: WebDriver, shots: Path, newsweb: NewsWeb
) -> None:
    story = story_with_most_outlets(served)
    assert story.outlet_count >= 3
    browser.get(f"{served.base}/?{urlencode({'sort': 'date', 'limit': 100, 'q': 'Korean'})}")
    browser.find_element(By.CSS_SELECTOR, f".result h3 a[href^='/story/{story.id}']").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == story.title
    rows = browser.find_elements(By.CSS_SELECTOR, "table.copies tbody tr")
    ordered = sorted(story.copies, key=lambda c: (c.first_seen, c.published or "", c.url))
    assert [r.find_element(By.CSS_SELECTOR, ".url").text for r in rows] == [c.url for c in ordered]
    seen = [r.find_element(By.CSS_SELECTOR, ".seen time").get_attribute("datetime") for r in rows]
    assert seen == sorted(seen)
    lags = texts(browser, "table.copies .lag")
    assert lags[0] == "first" and all(lag.startswith("+") for lag in lags[1:])
    published = [r.find_element(By.CSS_SELECTOR, ".published").text for r in rows]
    assert all(p.endswith("UTC") or p == "not given" for p in published)
    # Timeline first, then what each outlet changed, then the text.
    tops = [
        browser.find_element(By.ID, heading).location["y"]
        for heading in ("copies-heading", "changes-heading", "text-heading")
    ]
    assert tops == sorted(tops)
    assert tops[0] < 900, "the timeline starts within the first screen"
    summaries = {
        element.find_element(By.TAG_NAME, "strong").text: element.text
        for element in browser.find_elements(By.CSS_SELECTOR, ".change .change-summary")
    }
    truncated = {newsweb.copy_url(c) for c in newsweb.world.copies if c.variation == "truncated"}
    for copy in story.copies:
        if copy.url == story.url:
            continue
        assert ("headline changed" in summaries[copy.outlet]) == (copy.title != story.title)
        if copy.url in truncated:
            assert "truncated at paragraph" in summaries[copy.outlet]
    assert browser.find_elements(By.CSS_SELECTOR, ".diff del, .diff ins")
    # Reached from a search: the query's words are marked in the text.
    marks = texts(browser, ".story-text mark")
    assert marks and all(m.lower().startswith("korean") for m in marks)
    shoot(browser, shots, "story", served)


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


def test_a_marked_subheading_is_shown_as_a_heading(served: Served, browser: WebDriver) -> None:
    story = arctic_stories()[0]
    browser.get(f"{served.base}/story/{story.id}?{urlencode({'q': ARCTIC})}")
    assert texts(browser, ".story-text h3.subheading") == ["The vault"]
    assert texts(browser, ".story-text mark") == [ARCTIC]


def tick_labels(chart: Any) -> list[str]:
    return [t.text for t in chart.find_elements(By.CSS_SELECTOR, "text.tick")]


def test_a_chart_spans_the_year_end_with_its_gap_on_a_time_axis(
    served: Served, browser: WebDriver, shots: Path
) -> None:
    browser.get(f"{served.base}/coverage?{urlencode({'q': ARCTIC})}")
    figure = browser.find_element(By.CSS_SELECTOR, "figure.chart-time")
    assert (
        "Stories per day, UTC, by publication date"
        in figure.find_element(By.TAG_NAME, "figcaption").text
    )
    chart = figure.find_element(By.CSS_SELECTOR, "svg.chart-wide")
    bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
    tips = [b.find_element(By.TAG_NAME, "title").get_attribute("textContent") for b in bars]
    # Every day from the first to the last, the empty ones too, in order.
    assert tips == [
        "2025-12-29: 1",
        "2025-12-30: 2",
        "2025-12-31: 0",
        "2026-01-01: 0",
        "2026-01-02: 0",
        "2026-01-03: 0",
        "2026-01-04: 1",
    ]
    heights = [float(b.get_attribute("height") or 0) for b in bars]
    assert heights[2:6] == [0, 0, 0, 0] and heights[1] > heights[0] > 0
    labels = tick_labels(chart)
    assert "2025-12-29" in labels and any(label.startswith("2026-") for label in labels)
    titles = [t.text for t in chart.find_elements(By.CSS_SELECTOR, "text.axis-title")]
    assert titles == ["stories per day", "Publication date (UTC)"]
    # Grid lines at round counts: 0, 1, 2.
    assert [t for t in labels if t.isdigit()] == ["0", "1", "2"]
    shoot(browser, shots, "coverage", served)


def test_a_histogram_bar_narrows_the_search_to_its_dates(
    served: Served, browser: WebDriver
) -> None:
    browser.get(f"{served.base}/?{urlencode({'q': ARCTIC})}")
    assert heading_total(browser) == len(ARCTIC_DAYS)
    bar = browser.find_element(
        By.CSS_SELECTOR, ".histogram svg.chart-wide a[href*='since=2025-12-30']"
    )
    bar.click()
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("since=2025-12-30"))
    assert "until=2025-12-30" in browser.current_url
    assert heading_total(browser) == 2
    assert texts(browser, ".chip span") == ["Since: 2025-12-30", "Until: 2025-12-30"]


def test_the_narrow_layout_at_390_px(served: Served, browser: WebDriver, shots: Path) -> None:
    story = story_with_most_outlets(served)
    browser.set_window_size(PHONE, 1000)
    try:
        for name, path in (
            ("results", "/?q=Korean"),
            ("story", f"/story/{story.id}"),
            ("coverage", f"/coverage?{urlencode({'q': ARCTIC})}"),
        ):
            browser.get(served.base + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
            shoot(browser, shots, name, served)
            if name == "story":
                # Each copy's times keep their labels when the table becomes lines.
                label = browser.execute_script(
                    "return getComputedStyle(document.querySelector('.copies td.seen'), "
                    "'::before').content"
                )
                assert label == '"First seen"'
            if name == "coverage":
                assert not browser.find_element(By.CSS_SELECTOR, "svg.chart-wide").is_displayed()
                chart = browser.find_element(By.CSS_SELECTOR, "figure.chart-time svg.chart-narrow")
                tick = chart.find_element(By.CSS_SELECTOR, "text.tick")
                assert tick.size["height"] >= 10, "chart text readable on a phone"
    finally:
        browser.set_window_size(WIDE, 1000)


def test_messages_say_each_problem_once(served: Served, browser: WebDriver) -> None:
    query = "troops AND (Kursk"
    browser.get(f"{served.base}/?{urlencode({'q': query})}")
    error = browser.find_element(By.ID, "q-error")
    api = urllib.request.Request(f"{served.base}/search?{urlencode({'q': query})}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(api, timeout=30)
    position = json.load(refused.value)["error"]["position"]
    assert error.text.count(f"at position {position}") == 1
    assert (
        browser.find_element(By.CSS_SELECTOR, "mark.fault").text.strip()
        == query[position : position + 1].strip()
    )
    assert len(browser.find_elements(By.CSS_SELECTOR, "[role=alert]")) == 1
    box = browser.find_element(By.ID, "q")
    assert box.get_attribute("aria-invalid") == "true" and box.get_attribute("value") == query
    browser.get(f"{served.base}/?{urlencode({'since': 'garbage'})}")
    assert texts(browser, "[role=alert]") == [
        "Since: expected a duration like 7d or an ISO date like 2026-11-01, got 'garbage'"
    ]
    browser.get(f"{served.base}/?{urlencode({'cursor': 'eyJub3QiOiJhIGN1cnNvciJ9', 'page': 2})}")
    message = texts(browser, "[role=alert]")
    assert len(message) == 1 and "Start again from the first page" in message[0]
    assert "cursor" not in message[0].lower()
    browser.find_element(By.LINK_TEXT, "First page of this search").click()
    assert heading_total(browser) > 0


def test_the_query_help_and_the_api_docs_work_offline(served: Served, browser: WebDriver) -> None:
    browser.get(f"{served.base}/")
    browser.find_element(By.LINK_TEXT, "query syntax").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == "Query syntax"
    browser.get(f"{served.base}/docs")
    WebDriverWait(browser, 20).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .opblock-summary-path")
    )
    paths = texts(browser, ".swagger-ui .opblock-summary-path")
    assert "/search" in paths and "/stats/facets" in paths
    browser.get(f"{served.base}/redoc")
    WebDriverWait(browser, 20).until(
        lambda d: "/search" in d.find_element(By.TAG_NAME, "body").text
    )
    # ReDoc's footer logo comes from its makers' site: refusing it is the policy's job.
    # Nothing the docs need (script, style, the OpenAPI document) may be refused.
    blocked = [
        entry["message"]
        for entry in browser.get_log("browser")
        if "Content Security Policy" in entry["message"]
        and "Loading the image" not in entry["message"]
    ]
    assert not blocked, blocked


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
    assert PAYLOAD_URL in main.text
    assert not browser.find_elements(By.CSS_SELECTOR, "a[href^='javascript']")
    assert "Other <svg onload=alert(5)>" in main.text
    assert no_dialog(browser)


def test_keyboard_search(served: Served, browser: WebDriver) -> None:
    browser.get(f"{served.base}/")
    browser.find_element(By.TAG_NAME, "body").send_keys("/")
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "q"
    active.send_keys("Korean", Keys.ENTER)
    WebDriverWait(browser, 10).until(expected_conditions.url_contains("q=Korean"))
    assert browser.find_elements(By.CSS_SELECTOR, ".result")


def test_search_and_export_work_without_javascript(served: Served) -> None:
    driver = chrome(javascript=False)
    try:
        driver.get(f"{served.base}/")
        box = driver.find_element(By.ID, "q")
        box.send_keys('"North Korean"', Keys.ENTER)
        WebDriverWait(driver, 10).until(expected_conditions.url_contains("q="))
        expected = served.api("/search", q='"North Korean"')["total"]
        assert heading_total(driver) == expected
        export = driver.find_element(By.LINK_TEXT, "for spreadsheets").get_attribute("href") or ""
    finally:
        driver.quit()
    with urllib.request.urlopen(export, timeout=30) as answer:
        assert "default-src 'none'" in answer.headers["Content-Security-Policy"]
        raw = answer.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == expected
    for row in rows:
        outlets = row["copy_outlets"].split("; ")
        seen = row["copy_first_seen"].split("; ")
        assert len(outlets) == len(seen) == len(row["copy_urls"].split("; "))
        assert set(outlets) == set(row["outlets"].split("; "))
        assert seen == sorted(seen) and row["first_seen"] == seen[0]
