"""The topic matcher: word boundaries, case, accents, phrases, prefixes, fields, default topic."""

from __future__ import annotations

import pytest

from crawler.config import load_config
from crawler.query import TokenizedDocument, compile_matcher, matches, parse_query
from tests.harness.newsweb.seed import seed_path

SEED = seed_path()


def hit(query: str, **doc: str | list[str]) -> bool:
    return matches(parse_query(query), doc)


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("Korea", "Korea's troops", True),
        ("Korea", "KOREA", True),
        ("korea", "Korea", True),
        ("Korea", "a Koreatown review", False),
        ("Korea", "SouthKorea", False),
        ("Kyiv", "Kyïv", True),
        ("Kyïv", "Kyiv", True),
        ("Wiadomosci", "WP Wiadomości", True),
        ("ÉLYSÉE", "the elysee said", True),
        ("strasse", "Straße", True),
        ("polnocna", "Gazeta Północna", True),  # ł does not decompose: folded explicitly
        ("Kyïv", "Kyi\u0308v", True),  # text already decomposed (NFD)
        ("Korea", "Ｋｏｒｅａ", True),  # full-width letters (NFKD)
        ("aero", "Ærø", True),
        ('"North Korea"', "North Korea's troops", True),
        ('"North Korea"', "North and South Korea", False),
        ('"North Korea"', "Korea North", False),
        ('"north korean soldiers"', "thousands of North Korean soldiers continue", True),
        ('"Kim Jong Un"', "Kim Jong-un met Putin", True),  # hyphen separates words
        ("Kor*", "Korea", True),
        ("Kor*", "Korean", True),
        ("Kor*", "Kor", True),
        ("Kor*", "Ko", False),
        ("Kor*", "Ankor", False),
        ("Korea's", "Korea's troops", True),
        ("Korea's", "Korea troops", False),
        ("e-mail", "send an e-mail", True),
        ("e-mail", "mail e", False),
        ("2024", "since June 2024,", True),
        ("2024", "20245", False),
    ],
)
def test_word_rules(query: str, text: str, expected: bool) -> None:
    assert hit(query, text=text) is expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Korea Russia", True),
        ("Korea AND Ukraine", False),
        ("Korea OR Ukraine", True),
        ("Ukraine OR Belarus", False),
        ("Korea -Ukraine", True),
        ("Korea -Russia", False),
        ("NOT Ukraine", True),
        ("NOT Korea", False),
        ("!Korea || Russia", True),
        ("(Ukraine OR Russia) && !Belarus", True),
        ("+Korea +Belarus", False),
        ("Korea AND NOT (Russia OR Ukraine)", False),
    ],
)
def test_operators(query: str, expected: bool) -> None:
    assert hit(query, title="Korea and Russia") is expected


def test_unfielded_terms_search_title_and_text_only() -> None:
    doc = {"title": "Summit", "text": "talks", "outlet": "Korea Herald", "authors": ["Kim"]}
    assert matches(parse_query("summit talks"), doc)
    assert not matches(parse_query("Herald"), doc)
    assert not matches(parse_query("Kim"), doc)


def test_fields() -> None:
    doc = {
        "title": "Summit in Pyongyang",
        "text": "Putin arrived",
        "outlet": "Korea Herald",
        "authors": ["Jane Doe", "John Smith"],
    }
    query = parse_query
    assert matches(query("title:Pyongyang"), doc)
    assert not matches(query("text:Pyongyang"), doc)
    assert matches(query("text:Putin -title:Putin"), doc)
    assert matches(query('outlet:"Korea Herald"'), doc)
    assert matches(query("outlet:herald"), doc)
    assert matches(query("author:Smith"), doc)
    assert matches(query("author:smi*"), doc)
    assert matches(query('author:"Jane Doe"'), doc)
    # a phrase does not run from one author into the next
    assert not matches(query('author:"Doe John"'), doc)
    assert matches(query('outlet:"x" OR title:summit'), doc)


def test_plural_keys_and_lists_are_accepted() -> None:
    doc = {"title": ["a", "b"], "outlets": ["BBC News", "CNN"], "author": "Kim"}
    assert matches(parse_query("outlet:CNN author:kim title:b"), doc)


def test_missing_or_empty_fields_match_nothing() -> None:
    assert not hit("Korea", title="")
    assert not matches(parse_query("author:Kim"), {"title": "Kim", "authors": None})
    assert matches(parse_query("-Korea"), {})


def test_tokenized_document_is_shared_between_matchers() -> None:
    doc = TokenizedDocument({"title": "North Korea", "text": "troops in Kursk"})
    topics = [compile_matcher(parse_query(q)) for q in ('"North Korea" Kursk', "Kursk -Korea")]
    assert [topic(doc) for topic in topics] == [True, False]


@pytest.fixture(scope="module")
def default_topic():
    (topic,) = load_config(None).topics
    return compile_matcher(parse_query(topic.query))


def test_default_topic_matches_the_seed_story(default_topic) -> None:
    title, _, text = SEED.read_text(encoding="utf-8").partition("\n")
    assert default_topic({"title": title, "text": text})
    assert default_topic({"title": "", "text": SEED.read_text(encoding="utf-8")})


KOREATOWN_REVIEW = """Koreatown's new barbecue spot is worth the queue

The short ribs at this Koreatown newcomer arrive glistening, and the banchan keep coming.
Owners Min-ji and Daniel Park moved from Seoul last year; their kimchi stew, built on a
Korean-style broth, is the best we have had this side of the river. Russian dressing is,
mercifully, nowhere on the menu. Expect to wait 40 minutes on Fridays."""

RUSSIA_ENERGY = """Russia's gas exports to Asia rise as European demand falls

Gazprom shipped record volumes through the Power of Siberia pipeline, the Kremlin said,
as Moscow looks east after losing most European customers over the war in Ukraine.
Analysts expect China to keep pressing for lower prices; Putin is due in Beijing next month."""


@pytest.mark.parametrize("article", [KOREATOWN_REVIEW, RUSSIA_ENERGY], ids=["koreatown", "energy"])
def test_default_topic_ignores_off_topic_stories(default_topic, article: str) -> None:
    title, _, text = article.partition("\n\n")
    assert not default_topic({"title": title, "text": text})


def test_default_topic_needs_both_sides() -> None:
    (topic,) = load_config(None).topics
    tree = parse_query(topic.query)
    assert matches(tree, {"title": "Kim Jong Un visits Moscow"})
    assert matches(tree, {"text": "DPRK shells used in Kursk"})
    assert not matches(tree, {"text": "Kim Jong Un fires a missile into the sea"})
