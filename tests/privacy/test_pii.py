"""PII detection and scrubbing (Presidio over the bundled spaCy pipeline, fully offline)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import spacy
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from extractor.privacy.pii import DEFAULT_SPACY_MODEL, PiiScrubber, PiiSpan, build_analyzer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return spacy.load(DEFAULT_SPACY_MODEL)


@pytest.fixture(scope="module")
def scrubber(nlp: spacy.Language) -> PiiScrubber:
    return PiiScrubber(nlp=nlp)


PII_CASES = [
    # names
    ("My name is Maria Gonzalez and I like hiking", "PERSON", "Maria Gonzalez"),
    ("I talked to Peter about the trip", "PERSON", "Peter"),
    ("my friend Jessica Alvarez recommended it", "PERSON", "Jessica Alvarez"),
    ("Sarah and I went to Paris last spring", "PERSON", "Sarah"),
    # e-mail
    ("email john.doe@example.com please", "EMAIL_ADDRESS", "john.doe@example.com"),
    ("escríbeme a lucia.martin@correo.es", "EMAIL_ADDRESS", "lucia.martin@correo.es"),
    # phones, several national and international formats
    ("Call me at +44 20 7946 0958 tomorrow", "PHONE_NUMBER", "+44 20 7946 0958"),
    ("my number is +49 30 123456", "PHONE_NUMBER", "+49 30 123456"),
    ("reach me on (555) 123-4567", "PHONE_NUMBER", "(555) 123-4567"),
    ("+33 1 23 45 67 89 is the office", "PHONE_NUMBER", "+33 1 23 45 67 89"),
    ("mi teléfono es +34 612 34 56 78", "PHONE_NUMBER", "+34 612 34 56 78"),
    ("call me on 07700 900123", "PHONE_NUMBER", "07700 900123"),
    ("ligue para +55 11 91234-5678", "PHONE_NUMBER", "+55 11 91234-5678"),
    ("text 415-555-0134 when you land", "PHONE_NUMBER", "415-555-0134"),
    # street addresses
    ("I live at 221B Baker Street", "STREET_ADDRESS", "221B Baker Street"),
    ("1600 Pennsylvania Ave NW is famous", "STREET_ADDRESS", "1600 Pennsylvania Ave NW"),
    ("vivo en Calle Mayor 5, Madrid", "STREET_ADDRESS", "Calle Mayor 5"),
    ("ich wohne in der Hauptstrasse 12", "STREET_ADDRESS", "Hauptstrasse 12"),
    ("Paket an Berliner Straße 5a", "STREET_ADDRESS", "Berliner Straße 5a"),
    ("j'habite au 12 rue de la Paix", "STREET_ADDRESS", "12 rue de la Paix"),
    ("moro na Rua Augusta 274", "STREET_ADDRESS", "Rua Augusta 274"),
    # cards and national identifiers
    ("card 4111 1111 1111 1111 expires soon", "CREDIT_CARD", "4111 1111 1111 1111"),
    ("my SSN is 536-22-8745", "US_SSN", "536-22-8745"),
    ("my NI number is AB 12 34 56 C", "UK_NINO", "AB 12 34 56 C"),
    ("IBAN GB82 WEST 1234 5698 7654 32", "IBAN_CODE", "GB82 WEST 1234 5698 7654 32"),
    ("mi DNI es 12345678Z", "ES_NIF", "12345678Z"),
    ("NIE X1234567L", "ES_NIE", "X1234567L"),
    ("my PESEL is 44051401359", "PL_PESEL", "44051401359"),
    ("codice fiscale RSSMRA85T10A562S", "IT_FISCAL_CODE", "RSSMRA85T10A562S"),
    ("server at 192.168.1.10 is down", "IP_ADDRESS", "192.168.1.10"),
]

NO_PII = [
    "Hiking Trails in Colorado are great",
    "Hiking is my favourite hobby",
    "Trails are muddy after the rain",
    "I bought Nike Pegasus shoes last week",
    "Can you recommend Salomon or Merrell boots?",
    "the Pixel 8 costs 699 dollars",
    "Is the Garmin Forerunner 265 good for trail running?",
    "We watched Frozen with the kids",
    "I run 10 km in 55 minutes",
    "Barcelona is lovely in October",
    "I'm training for the Boston Marathon in April",
    "the 2019 model costs 1200 euros",
    "quiero aprender a cocinar paella este fin de semana",
    "ich suche gute Wanderschuhe für die Alpen",
]


@pytest.mark.parametrize(("text", "entity", "value"), PII_CASES)
def test_finds_pii(scrubber: PiiScrubber, text: str, entity: str, value: str) -> None:
    found = {(s.entity_type, text[s.start : s.end]) for s in scrubber.find(text)}
    assert (entity, value) in found
    scrubbed = scrubber.scrub(text)
    assert value not in scrubbed
    assert "[REDACTED]" in scrubbed


@pytest.mark.parametrize("text", NO_PII)
def test_leaves_text_without_pii_unchanged(scrubber: PiiScrubber, text: str) -> None:
    assert scrubber.find(text) == []
    assert scrubber.scrub(text) == text


def test_spans_are_sorted_and_typed(scrubber: PiiScrubber) -> None:
    text = "Call Maria Gonzalez at +44 20 7946 0958 or maria@example.com"
    spans = scrubber.find(text)
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert all(isinstance(s, PiiSpan) and 0.4 <= s.score <= 1.0 for s in spans)
    assert {s.entity_type for s in spans} >= {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"}
    assert scrubber.scrub(text, placeholder="<pii>") == "Call <pii> at <pii> or <pii>"


def test_overlapping_spans_are_merged(scrubber: PiiScrubber) -> None:
    text = "Das Hotel liegt am Marktplatz 3 in Bonn"
    assert scrubber.scrub(text, placeholder="#") == "Das Hotel liegt am # in Bonn"


def test_blank_text(scrubber: PiiScrubber) -> None:
    assert scrubber.find("") == []
    assert scrubber.scrub("   ") == "   "


def test_constructor_is_lazy_and_uses_injected_pipeline(nlp: spacy.Language) -> None:
    scrubber = PiiScrubber(nlp=nlp)
    assert not scrubber.is_loaded
    assert scrubber.find("write to ana@example.org")[0].entity_type == "EMAIL_ADDRESS"
    assert scrubber.is_loaded
    assert scrubber.analyzer.nlp_engine.get_nlp("en") is nlp


def test_entity_subset(nlp: spacy.Language) -> None:
    scrubber = PiiScrubber(nlp=nlp, entities=["EMAIL_ADDRESS"])
    text = "mail ana@example.org or call +44 20 7946 0958"
    assert [s.entity_type for s in scrubber.find(text)] == ["EMAIL_ADDRESS"]


def test_unknown_entity_and_bad_threshold_rejected() -> None:
    with pytest.raises(ValueError):
        PiiScrubber(entities=["SHOE_SIZE"])
    with pytest.raises(ValueError):
        PiiScrubber(score_threshold=1.5)


def test_injected_analyzer_gets_street_addresses(nlp: spacy.Language) -> None:
    base = build_analyzer(nlp)
    registry = RecognizerRegistry(recognizers=[PhoneRecognizer()], supported_languages=["en"])
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=base.nlp_engine, supported_languages=["en"])
    scrubber = PiiScrubber(analyzer=analyzer, entities=["PHONE_NUMBER", "STREET_ADDRESS"])
    text = "I live at 221B Baker Street, call (555) 123-4567"
    assert {s.entity_type for s in scrubber.find(text)} == {"STREET_ADDRESS", "PHONE_NUMBER"}


OFFLINE_SCRIPT = textwrap.dedent(
    """
    import json, socket

    attempts = []

    def blocked(*args, **kwargs):
        attempts.append("connect")
        raise OSError("network blocked by test")

    socket.socket.connect = blocked
    socket.socket.connect_ex = blocked
    socket.create_connection = blocked
    socket.getaddrinfo = blocked

    from extractor.privacy.pii import PiiScrubber

    out = PiiScrubber().scrub("mail bob@mail.example.co.uk or call Maria Gonzalez on +44 20 7946 0958")
    print(json.dumps({"out": out, "attempts": attempts}))
    """
)


def test_runs_offline_in_a_fresh_process() -> None:
    """Default construction loads the bundled pipeline; nothing (spaCy model, suffix list) is fetched."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT], cwd=root, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"out": "mail [REDACTED] or call [REDACTED] on [REDACTED]", "attempts": []}


def test_logs_carry_no_transcript_text(scrubber: PiiScrubber, caplog: pytest.LogCaptureFixture) -> None:
    text = "Secret Person Rosalind Franklin lives at 12 rue de la Paix, tel +33 1 23 45 67 89"
    with caplog.at_level("DEBUG"):
        scrubber.find(text)
    logged = " ".join(r.getMessage() for r in caplog.records)
    for fragment in ("Rosalind", "Franklin", "rue", "+33"):
        assert fragment not in logged


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("My name is Marcus Holloway and I want to learn to sail.", "Holloway"),
        ("Call me Dana if you like.", "Dana"),
        ("Ship it to 12 Oak Lane, Sebastopol, CA 95472 please", "95472"),
    ],
)
def test_pii_self_introductions_and_postcodes_are_scrubbed(scrubber: PiiScrubber, text: str, secret: str) -> None:
    scrubbed = scrubber.scrub(text)
    assert secret not in scrubbed and "[REDACTED]" in scrubbed
