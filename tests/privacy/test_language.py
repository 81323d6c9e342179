"""Language gate: en/es/pt/fr/de are readable, other languages and non-Latin scripts are not."""

from __future__ import annotations

import pytest

from extractor.privacy.language import (
    CANDIDATE_LANGUAGES,
    SUPPORTED_LANGUAGES,
    detect_language,
    identify,
    is_supported,
)

# (text, detect_language result, is_supported result)
CASES = [
    # supported languages, full sentences
    ("I've been walking about twenty miles every weekend and my boots are falling apart", "en", True),
    ("can you help me plan a trip to the mountains next month?", "en", True),
    ("HELLO CAN YOU HELP ME FIND CHEAP FLIGHTS TO ROME", "en", True),
    ("What about Barcelona in October?", "en", True),
    ("¿Me recomiendas unas zapatillas para correr en montaña?", "es", True),
    ("mi hija empieza la universidad y necesito un portátil barato", "es", True),
    ("vamos a Lisboa en agosto, que me recomiendas", "es", True),
    ("estou procurando um tênis bom para corrida", "pt", True),
    ("meu filho precisa de um computador novo para a escola", "pt", True),
    ("tô pensando em comprar uma bike nova", "pt", True),
    ("je cherche des chaussures de randonnée pas trop chères", "fr", True),
    ("mon chat ne mange plus ses croquettes depuis hier", "fr", True),
    ("tu connais un bon resto à Lyon", "fr", True),
    ("ich suche gute Wanderschuhe für die Alpen", "de", True),
    ("kannst du mir ein Rezept für Apfelkuchen geben?", "de", True),
    ("welches Handy hat die beste Kamera", "de", True),
    # unsupported Latin-script languages
    ("sto cercando un ristorante vicino alla stazione", "it", False),
    ("puoi aiutarmi a scegliere una bicicletta da corsa?", "it", False),
    ("ik zoek een goede fiets voor mijn dochter", "nl", False),
    ("szukam dobrych butów do biegania w górach", "pl", False),
    ("hafta sonu için güzel bir tatil yeri arıyorum", "tr", False),
    ("jag letar efter ett par bra vandringskängor", "sv", False),
    ("caut o bicicletă bună pentru copilul meu", "ro", False),
    ("saya sedang mencari sepatu lari yang bagus", "id", False),
    # non-Latin scripts are never supported, however short
    ("Я ищу хорошие кроссовки для бега", "ru", False),
    ("我在找一双好的跑鞋", "zh", False),
    ("أبحث عن حذاء جيد للجري", "ar", False),
    ("いいランニングシューズを探しています", "ja", False),
    ("좋은 러닝화를 찾고 있어요", "ko", False),
    ("אני מחפש נעליים חדשות", "he", False),
    ("मैं अच्छे जूते ढूंढ रहा हूं", "hi", False),
    ("спасибо", "und", False),
    ("谢谢", None, False),
    # short Latin-only texts are too short to tell, and accepted
    ("ok thanks", "und", True),
    ("yes please", "und", True),
    ("grazie mille", "und", True),
    ("danke", "und", True),
    ("haha nice", "und", True),
    ("R\u0435publican?", "und", True),  # one Cyrillic lookalike in a Latin word
    ("", "und", True),
    ("👍 100%", "und", True),
]


@pytest.mark.parametrize(("text", "language", "supported"), CASES)
def test_language_table(text: str, language: str | None, supported: bool) -> None:
    if language is not None:
        assert detect_language(text) == language
    assert is_supported(text) is supported


def test_custom_supported_set() -> None:
    text = "sto cercando un ristorante vicino alla stazione"
    assert is_supported(text, supported={"it"})
    assert not is_supported("je cherche des chaussures de randonnée pas trop chères", supported={"en"})


def test_mostly_latin_text_with_a_foreign_word_is_classified() -> None:
    assert is_supported("I would love to try real 寿司 when we visit Tokyo next spring")


def test_identify_is_deterministic_and_restricted() -> None:
    text = "mi hija empieza la universidad y necesito un portátil barato"
    first = identify(text)
    assert first == identify(text)
    assert first.language in CANDIDATE_LANGUAGES
    assert 0.0 <= first.confidence <= 1.0
    assert identify("1234 !!") == ("und", 0.0)


def test_supported_languages_are_candidates() -> None:
    assert SUPPORTED_LANGUAGES <= set(CANDIDATE_LANGUAGES)
