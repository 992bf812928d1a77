"""The one text folding: what is stored from it never changes for the same text."""

from __future__ import annotations

import hashlib

from crawler.base.fold import fold
from crawler.dedup.normalise import body_paragraphs, body_words, content_hash
from crawler.dedup.signature import band_keys
from crawler.furniture.learned import line_key
from crawler.query.normalise import words

TEXT = (
    "Żołnierze z Korei Północnej walczą w obwodzie kurskim, twierdzi wywiad Ukrainy.\n"
    "Північнокорейські солдати воюють на Курщині, заявила розвідка України.\n"
    "Nordkoreanische Soldaten kämpfen in Kursk, sagt der ukrainische Straßen-Geheimdienst.\n"
    "북한군이 쿠르스크에서 싸우고 있다고 우크라이나 정보당국이 밝혔습니다 오늘 아침.\n"
    "Οι Βορειοκορεάτες στρατιώτες ᾄδουσι μάχονται στο Κουρσκ, λέει η ουκρανική υπηρεσία "
    "πληροφοριών.\n"
    "ＦＵＬＬ-width Ｋｉｍ and the ﬁnal ǅ ligature İstanbul ﬀ Ǆ are folded too, says the report."
)


def test_dedup_signatures_are_those_stored_stories_carry() -> None:
    # Signed by the fold dedup used before it shared crawler/base/fold.py: a change here
    # would leave every stored story unmatched by its new copies.
    assert content_hash(body_words(TEXT)) == "9845cbe76ad1f47921fc064fddc41d48d7f975dc"
    bands = " ".join(band_keys(body_paragraphs(TEXT)))
    assert hashlib.sha1(bands.encode()).hexdigest() == "9eb86f536cd8f94ce2ce559b846d219aada782f0"


def test_furniture_line_keys_are_those_learned_furniture_carries() -> None:
    keys = [line_key(line) for line in TEXT.splitlines()]
    assert keys == [
        "6c1c5256f48b3508",
        "57b2affb1585c131",
        "86f683b097848698",
        "58b597c9c1d8eb3d",
        "3c2fa519a88aeeed",
        "093bd96b9b42b833",
    ]


def test_one_fold_with_its_two_options() -> None:
    assert fold("Wiadomości ＦＵＬＬ Straße Ḱ", compose=True) == "wiadomosci full strasse k"
    assert fold("Północna") == "połnocna"  # ł does not decompose
    assert fold("Północna", ascii_letters=True) == "polnocna"  # as Elasticsearch folds it
    assert fold("한국", compose=True) == "한국"
    assert fold("한국") != "한국"  # jamo: the form furniture keys were learned in
    assert words("Kyïv's PÓŁNOCNA") == ["kyiv", "s", "polnocna"]
