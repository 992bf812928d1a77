"""Saved searches and their alerts in a real headless Chromium, on both backends.

An editor signs in with the editor key, saves a search with a `new` alert to the
operator's channel, a crawl of the local news web stores stories, and the alert
arrives on a loopback webhook receiver; the alerts page then lists what was sent.
Without the editor key, or with a forged CSRF token, saving is refused.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
import yaml
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.fixtures.newsweb import world_config
from tests.test_crawl_e2e import crawl
from tests.test_web_browser import REPO, chrome, serving

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from selenium.webdriver.remote.webdriver import WebDriver

    from tests.fixtures.receivers import HttpReceiver
    from tests.harness.newsweb.client import NewsWeb

EDITOR_KEY = "editor-" + uuid.uuid4().hex[:12]
SOURCES = ["wire", "newsmix"]
# A page of another origin cannot read the token, so it posts one it made up.
FORGE = """
const form = document.createElement('form');
form.method = 'post';
form.action = '/alerts/saved';
const fields = [['search', arguments[0]], ['name', 'forged'], ['csrf_token', 'f'.repeat(64)]];
for (const [name, value] of fields) {
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = name;
  input.value = value;
  form.appendChild(input);
}
document.body.appendChild(form);
form.submit();
"""


def post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def alerts_run(config: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "alerts", "run", "--json", "--config", str(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return report


@pytest.fixture(params=["embedded", "elasticsearch"])
def site(
    request: pytest.FixtureRequest,
    newsweb_fresh: NewsWeb,
    tmp_path: Path,
    http_receiver: HttpReceiver,
) -> Iterator[tuple[str, Path, str]]:
    """`newswatch serve` on an empty index, alert channel `newsroom` -> the receiver."""
    es: dict[str, Any] = {}
    if request.param == "elasticsearch":
        es = {
            "es_url": request.getfixturevalue("es_url"),
            "index_prefix": f"t{uuid.uuid4().hex[:10]}-sa",
        }
    config = world_config(
        newsweb_fresh,
        tmp_path,
        backend=request.param,
        sources=SOURCES,
        entry_points=("feeds",),
        **es,
    )
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["alerts"] = {"retries": 0, "channels": {"newsroom": [http_receiver.url]}}
    settings["api"] = {"editor_key": EDITOR_KEY}
    config.write_text(yaml.safe_dump(settings), encoding="utf-8")
    topic = settings["topics"][0]["name"]
    # Watching starts before anything is crawled (and the indices exist before serving).
    alerts_run(config)
    with serving(config, tmp_path) as base:
        try:
            yield base, config, topic
        finally:
            if es:
                from elasticsearch import Elasticsearch

                from tests.fixtures.elasticsearch import delete_prefixed

                with Elasticsearch(es["es_url"]) as client:
                    delete_prefixed(client, f"{es['index_prefix']}*")


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    driver = chrome()
    try:
        yield driver
    finally:
        driver.quit()


def test_a_saved_search_alerts_after_a_crawl_and_forged_saves_are_refused(
    site: tuple[str, Path, str], browser: WebDriver, http_receiver: HttpReceiver
) -> None:
    base, config, topic = site
    search = urlencode({"topic": topic})
    form = urlencode({"search": search, "name": "x", "alert": "new", "channel": "newsroom"})
    # Without the editor key: the page offers sign-in instead, and a write is refused.
    browser.get(f"{base}/?{search}")
    browser.find_element(By.CSS_SELECTOR, ".save-search summary").click()
    assert "needs the editor key" in browser.find_element(By.CSS_SELECTOR, ".save-search").text
    status, body = post(
        f"{base}/alerts/saved", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 403 and "needs the editor key" in body
    status, _ = post(
        f"{base}/saved-searches", b'{"name": "x"}', {"Content-Type": "application/json"}
    )
    assert status == 403

    # The editor signs in with the editor key and saves the search with an alert.
    browser.get(f"{base}/login?next=/")
    browser.find_element(By.ID, "api_key").send_keys(EDITOR_KEY)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    WebDriverWait(browser, 30).until(lambda d: "/login" not in d.current_url)
    browser.get(f"{base}/?{search}")
    browser.find_element(By.CSS_SELECTOR, ".save-search summary").click()
    name = browser.find_element(By.ID, "save-name")
    name.clear()
    name.send_keys("Front line watch")
    Select(browser.find_element(By.ID, "save-alert")).select_by_value("new")
    Select(browser.find_element(By.ID, "save-channel")).select_by_visible_text("newsroom")
    browser.find_element(By.CSS_SELECTOR, "form.save button").click()
    WebDriverWait(browser, 30).until(lambda d: "/alerts" in d.current_url)
    shown = browser.find_element(By.TAG_NAME, "main").text
    assert browser.current_url.startswith(f"{base}/alerts"), shown
    assert "Not saved" not in shown, shown
    saved = browser.find_element(By.CSS_SELECTOR, ".saved-search")
    assert "Front line watch" in saved.text and "new, immediate, to newsroom" in saved.text

    # A form posted with a forged token, from the editor's own signed-in browser: refused.
    browser.execute_script(
        FORGE,
        search,
    )
    refusal = (
        WebDriverWait(browser, 30)
        .until(lambda d: d.find_elements(By.CSS_SELECTOR, ".refusal"))[0]
        .text
    )
    assert "CSRF token" in refusal
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".saved-search h3")] == [
        "Front line watch"
    ]

    # A crawl stores stories, and the alert reaches the receiver.
    run = crawl(config)
    assert run.returncode == 0, run.log[-3000:]
    report = alerts_run(config)
    assert report["sent"] >= 1
    titles = http_receiver.titles()
    assert titles and all(t.startswith("[newswatch] Front line watch: new story: ") for t in titles)
    assert len(titles) == report["sent"]

    browser.get(f"{base}/alerts")
    saved = browser.find_element(By.CSS_SELECTOR, ".saved-search")
    assert f"{len(titles)} sent" in saved.text
    delivered = [e.text for e in saved.find_elements(By.CSS_SELECTOR, ".deliveries .title")]
    assert delivered and all(
        f"[newswatch] Front line watch: new story: {d}" in titles for d in delivered
    )
