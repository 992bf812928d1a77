"""The language-aware analysis: inflected forms meet their base form, near-misses do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.analysis import analyze, guess_language, language_code, query_alternatives


def finds(query: str, text: str, language: str | None) -> bool:
    """Whether one of the query's alternatives occurs in the text's tokens as a run."""
    tokens = analyze(text, language)
    for alternative in query_alternatives(query):
        size = len(alternative)
        if any(tokens[i : i + size] == alternative for i in range(len(tokens) - size + 1)):
            return True
    return False


@pytest.mark.parametrize(
    ("language", "query", "text"),
    [
        ("ru", "Северная Корея", "войска Северной Кореи под Курском"),
        ("ru", "войска", "с северокорейскими войсками"),
        ("ru", "Курск", "бои под Курском"),
        ("uk", "Північна Корея", "війська Північної Кореї на Курщині"),
        ("ko", "북한", "북한군이 쿠르스크에 배치됐다"),
        ("ko", "북한", "러시아와 북한이 조약을 맺었다"),
        ("ja", "北朝鮮", "北朝鮮兵がクルスク州で戦闘"),
        ("zh", "朝鲜", "朝鲜士兵在库尔斯克"),
        ("de", "nordkoreanisch Soldat", "nordkoreanische Soldaten in Kursk"),
        ("de", "Nordkorea", "Nordkoreas Truppen in Kursk"),
        ("fr", "soldat nord-coréen", "des soldats nord-coréens à Koursk"),
        ("es", "soldado norcoreano", "los soldados norcoreanos en Kursk"),
        ("it", "truppa nordcoreana", "le truppe nordcoreane a Kursk"),
        ("pt", "soldado norte-coreano", "os soldados norte-coreanos em Kursk"),
        ("pl", "Korea Północna", "żołnierze Korei Północnej w obwodzie kurskim"),
        ("ar", "كوريا الشمالية", "جنود لكوريا الشمالية في كورسك"),
        ("en", "North Korean troop", "North Korean troops in Kursk"),
        (None, "Північна Корея", "війська Північної Кореї"),
    ],
)
def test_a_base_form_finds_its_inflected_forms(language: str, query: str, text: str) -> None:
    assert finds(query, text, language)


@pytest.mark.parametrize(
    ("language", "query", "text"),
    [
        ("ko", "북한", "남한 정부는 오늘 발표했다"),
        ("zh", "朝鲜", "韩国首尔天气晴朗"),
        ("de", "Nordkorea", "Sturm über der Nordsee"),
        ("en", "North Korea", "South Korea and the north of Japan"),
        ("ja", "北朝鮮", "北海道の朝の天気"),
        ("ru", "Северная Корея", "Южная Корея и северный ветер"),
    ],
)
def test_near_misses_do_not_match(language: str, query: str, text: str) -> None:
    assert not finds(query, text, language)


def test_a_language_not_analysed_gives_folded_words() -> None:
    assert analyze("Noord-Koreaanse Soldaten", "nl") == ("noord", "koreaanse", "soldaten")
    assert finds("Koreaanse", "Noord-Koreaanse Soldaten", "nl")


def test_a_word_in_another_script_is_analysed_in_its_scripts_default() -> None:
    assert analyze("НАТО и NATO's troops", "ru") == ("нат", "и", "nato", "s", "troop")


def test_cjk_runs_become_bigrams_beside_other_words() -> None:
    assert analyze("G7 정상회의", "ko") == ("g7", "정상", "상회", "회의")
    assert analyze("北", "zh") == ("北",)


def test_language_tags_and_the_script_fallback() -> None:
    assert language_code("en-GB") == "en"
    assert language_code("") is None
    assert guess_language("Війська Північної Кореї") == "uk"
    assert guess_language("Войска Северной Кореи") == "ru"
    assert guess_language("北朝鮮") is None


def test_a_query_in_a_known_language_has_one_alternative() -> None:
    assert query_alternatives("Кореи", "ru") == (("коре",),)
    assert len(query_alternatives("Korea")) > 1


@given(st.text())
def test_tokens_are_letters_and_digits_only(text: str) -> None:
    for language in ("en", "ru", "ar", "ko", None, "xx"):
        for token in analyze(text, language):
            assert token and token.isalnum(), (text, language, token)
