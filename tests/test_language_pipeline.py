"""A story's language from its text, the too-short threshold by script, dedup across scripts.

Pages are the multilingual slice's (tests/harness/newsweb/multilingual/), rendered
without a server; the crawl of the same pages is tests/test_multilingual_crawl.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import combinations
from typing import TYPE_CHECKING

import pytest
import yaml
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.alerts.match import RuleIndex
from crawler.analysis.detect import detect_language, hint_codes, language_code
from crawler.base.scripts import text_length, tokens
from crawler.config import DEFAULT_CONFIG, load_config
from crawler.config.alerts import AlertRule
from crawler.config.schema import CrawlConfig
from crawler.dedup.normalise import body_paragraphs
from crawler.dedup.verify import compare
from crawler.extract import NotAnArticle, extract_article
from crawler.items import Article
from crawler.spiders.news import NewsSpider
from crawler.topics import TopicMatcher
from tests.fixtures.backends import make_story
from tests.harness.newsweb.model import Copy, World
from tests.harness.newsweb.multilingual import LANGUAGES, build_multilingual_world
from tests.harness.newsweb.pages import PageMaker
from tests.test_spiders import SITE, make_config, parsed, stat

if TYPE_CHECKING:
    from pathlib import Path

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
WORLD = build_multilingual_world(NOW)
BASES = {o.key: f"http://{o.ip}:8080" for o in [*WORLD.outlets, WORLD.offsite]}


def html(world: World, copy: Copy) -> str:
    return PageMaker(world, BASES).copy_html(copy, 0)


def copy_of(story_id: str, outlet: str) -> Copy:
    return next(c for c in WORLD.copies if c.story_id == story_id and c.outlet == outlet)


# -- detection ---------------------------------------------------------------------
@pytest.mark.parametrize("story", WORLD.stories, ids=lambda s: s.id)
def test_every_story_of_the_slice_is_detected_from_its_text(story: object) -> None:
    assert (
        story.kind == "brief"
        or detect_language(  # type: ignore[attr-defined]
            f"{story.title}\n{story.text}"  # type: ignore[attr-defined]
        )
        == story.language
    )  # type: ignore[attr-defined]


def test_a_russian_page_marked_english_comes_out_russian() -> None:
    copy = copy_of("ru-troops", "eastern")
    page = extract_article(html(WORLD, copy), BASES["eastern"] + copy.path)
    assert page.language == "en"  # what the page says about itself
    assert detect_language(f"{page.title}\n{page.text}", [page.language]) == "ru"


def test_a_hint_decides_only_text_too_short_or_too_close_to_call() -> None:
    assert detect_language("OK", ["en-GB"]) == "en"
    assert detect_language("12:45", []) is None
    assert detect_language("", ["de", "en"]) == "de"
    # Ukrainian text with a Russian hint stays Ukrainian ...
    ukrainian = "Українські бійці кажуть, що солдати наступають невеликими групами."
    assert detect_language(ukrainian, ["ru"]) == "uk"
    # ... and varieties py3langid labels apart are their language (Wu, Cantonese: zh).
    assert detect_language("乌克兰称朝鲜士兵首次在库尔斯克参战") == "zh"


def test_declared_languages_are_read_as_codes() -> None:
    assert language_code("en-GB") == "en"
    assert language_code("zh_Hant") == "zh"
    assert language_code(" RU ") == "ru"
    assert language_code("english please") is None
    assert hint_codes(["de, en", None, "DE", "x-klingon!"]) == ["de", "en"]


# -- the too-short threshold -------------------------------------------------------
def test_length_counts_han_three_kana_and_hangul_two() -> None:
    assert text_length("North Korea") == 11
    assert text_length("朝鲜") == 6
    assert text_length("北朝鮮が") == 11
    assert text_length("북한군") == 6


@pytest.mark.parametrize("story_id", ["zh-troops", "zh-captives", "ja-troops", "ja-captives"])
def test_short_cjk_articles_pass_the_threshold_a_character_count_fails(story_id: str) -> None:
    story = WORLD.story(story_id)
    copy = WORLD.original(story_id)
    page = extract_article(html(WORLD, copy), BASES[copy.outlet] + copy.path)
    assert page.text.splitlines() == story.paragraphs
    assert len(page.text) < 400 <= text_length(page.text)


@pytest.mark.parametrize("story_id", ["zh-brief", "ja-brief"])
def test_a_one_line_cjk_brief_is_still_too_short(story_id: str) -> None:
    copy = WORLD.original(story_id)
    with pytest.raises(NotAnArticle) as refused:
        extract_article(html(WORLD, copy), BASES[copy.outlet] + copy.path)
    assert refused.value.reason == "too_short"


def test_the_old_setting_name_still_works_and_both_names_are_refused() -> None:
    assert CrawlConfig().min_text_length == 400
    assert CrawlConfig.model_validate({"min_text_chars": 250}).min_text_length == 250
    with pytest.raises(ValueError, match="old name"):
        CrawlConfig.model_validate({"min_text_chars": 250, "min_text_length": 300})


# -- dedup across scripts --------------------------------------------------------------
def test_han_and_kana_are_one_token_each_hangul_and_latin_stay_words() -> None:
    assert tokens("北朝鮮兵が SK하이닉스 Nordkoreas") == [
        "北", "朝", "鮮", "兵", "が", "SK하이닉스", "Nordkoreas",
    ]  # fmt: skip


def _body(copy: Copy) -> list[list[str]]:
    return body_paragraphs("\n".join(copy.paragraphs))


@pytest.mark.parametrize("language", LANGUAGES)
def test_syndicated_copies_verify_as_copies_in_every_language(language: str) -> None:
    stories = [s.id for s in WORLD.stories if s.language == language]
    pairs = 0
    for story_id in stories:
        first, *others = WORLD.copies_of(story_id)
        for other in others:
            verdict = compare(_body(first), _body(other))
            assert verdict.is_copy, (story_id, other.outlet, verdict)
            pairs += 1
    assert pairs >= 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_different_stories_of_one_language_never_verify(language: str) -> None:
    stories = [s for s in WORLD.stories if s.language == language]
    for a, b in combinations(stories, 2):
        verdict = compare(body_paragraphs(a.text), body_paragraphs(b.text))
        assert not verdict.is_copy, (a.id, b.id, verdict)
        assert verdict.containment < 0.2, (a.id, b.id, verdict)


# -- the language filter of alert rules and sources --------------------------------------
def test_rule_and_source_languages_are_read_as_the_codes_stories_carry(tmp_path: Path) -> None:
    path = tmp_path / "newswatch.yaml"
    source = {"name": "yonhap-ko", "feeds": ["http://127.0.0.1:9/rss"], "language": "ko-KR"}
    rule = {
        "name": "korean-news",
        "kind": "new",
        "query": "troops",
        "languages": ["KO", "ru-RU"],
        "notify": ["json://127.0.0.1/x"],
    }
    config = {
        "topics": [{"name": "t", "query": "troops"}],
        "sources": [source],
        "alerts": {"rules": [rule]},
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    loaded = load_config(path, environ={})
    assert loaded.sources[0].language == "ko"
    assert loaded.alerts.rules[0].languages == ["ko", "ru"]


def test_an_alert_rule_with_languages_passes_only_stories_in_them() -> None:
    rule = AlertRule.model_validate(
        {
            "name": "ko",
            "kind": "new",
            "query": "troops",
            "languages": ["ko"],
            "notify": ["json://127.0.0.1/x"],
        }  # fmt: skip
    )
    rules = RuleIndex([rule])
    korean = make_story("https://a.example/1", text="troops", language="ko")
    german = make_story("https://b.example/1", text="troops", language="de")
    assert [compiled.rule.name for compiled, _ in rules.matching(korean)] == ["ko"]
    assert rules.matching(german) == []


# -- the shipped config ---------------------------------------------------------------------
SHIPPED_BASE_FORMS = {  # base forms only: what today's exact-form matcher already finds
    "en": ("North Korean troops fight for Russia in Kursk", True),
    "ru": ("Северная Корея и Россия подписали договор о взаимной обороне", True),
    "uk": ("Північна Корея і Росія підписали договір про взаємну оборону", True),
    "ko": ("북한 러시아 파병 공식 확인", True),
    "ko-off": ("한국 반도체 수출 역대 최대", False),
    "ru-off": ("Южная Корея и Россия обсудили торговлю", False),
}


def test_the_shipped_config_follows_the_topic_in_four_languages() -> None:
    config = load_config(DEFAULT_CONFIG)
    by_language: dict[str, set[str]] = {}
    for source in config.sources:
        by_language.setdefault(source.language or "en", set()).add(source.outlet)
    assert {"ru", "uk", "ko"} <= set(by_language)
    # Native-language feeds of outlets the config already follows in English.
    for language in ("ru", "uk", "ko"):
        assert by_language[language] <= by_language["en"], language
    assert {"Yonhap News Agency", "Daily NK", "BBC News"} <= by_language["ko"]
    assert {"Meduza", "BBC News"} <= by_language["ru"]
    assert {"Ukrainska Pravda", "BBC News"} <= by_language["uk"]
    topics = TopicMatcher({t.name: t.query for t in config.topics})
    for key, (title, on_topic) in SHIPPED_BASE_FORMS.items():
        story = make_story("https://x.example/" + key, title=title, text=title)
        story.dedup_text = title
        assert (topics.match(story) == ["dprk-russia-war"]) == on_topic, key


# -- the spider: the article's language, with the page's and the header's as hints ----------
@pytest.fixture
def slice_spider() -> NewsSpider:
    config = make_config(max_age="1000d")
    crawler = get_crawler(
        NewsSpider, {"NEWSWATCH_CONFIG": config, "NEWSWATCH_EXTRACTION_PROCESSES": 0}
    )
    spider = NewsSpider.from_crawler(crawler)
    crawler.spider = spider
    return spider


def slice_response(copy: Copy, headers: dict[str, str] | None = None) -> HtmlResponse:
    url = f"{SITE}/{copy.outlet}{copy.path}"
    request = Request(url, meta={"source": "outlet", "page_kind": "article", "listed_url": url})
    body = html(WORLD, copy).encode()
    return HtmlResponse(url, body=body, headers=headers or {}, request=request)


def test_the_spider_overrules_a_wrong_page_language_and_counts_it(
    slice_spider: NewsSpider,
) -> None:
    [article] = parsed(slice_spider, slice_response(copy_of("ru-troops", "eastern")))
    assert isinstance(article, Article)
    assert article.language == "ru"
    assert stat(slice_spider, "crawl/language/hint_overruled") == 1


def test_the_spider_reads_content_language_and_agrees_with_the_text(
    slice_spider: NewsSpider,
) -> None:
    response = slice_response(copy_of("ko-troops", "asia"), {"Content-Language": "ko-KR"})
    [article] = parsed(slice_spider, response)
    assert isinstance(article, Article)
    assert article.language == "ko"
    assert stat(slice_spider, "crawl/language/hint_overruled") is None
