"""The spaCy components work on their own, assembled by name with ``nlp.add_pipe``."""

from __future__ import annotations

import pytest
import spacy
from pydantic import ValidationError

import extractor.components  # noqa: F401  (registers the factories)
from extractor import ExtractorConfig
from extractor.components import segments_of
from extractor.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    nlp = spacy.blank("en")
    for name in ("sentencizer", "ise_segmenter", "ise_encoder", "ise_protected", "ise_interests", "ise_stance"):
        nlp.add_pipe(name)
    nlp.add_pipe("ise_intent")
    return nlp


def test_components_registered_with_default_config() -> None:
    for name in ("ise_segmenter", "ise_encoder", "ise_protected", "ise_interests", "ise_stance", "ise_intent"):
        assert spacy.Language.has_factory(name)
    assert spacy.Language.get_factory_meta("ise_interests").default_config["threshold"] == 0.7


def test_components_default_config_matches_extractor_config() -> None:
    """A pipeline assembled by name gates like one built from ``ExtractorConfig()``."""
    config = ExtractorConfig()
    protected = spacy.Language.get_factory_meta("ise_protected").default_config
    interests = spacy.Language.get_factory_meta("ise_interests").default_config
    assert protected["threshold"] == config.protected_threshold
    assert protected["support_margin"] == config.protected_support_margin
    assert protected["clause_min_words"] == config.protected_clause_min_words
    assert protected["clause_threshold"] == config.protected_clause_threshold
    assert protected["clause_support_margin"] == config.protected_clause_support_margin
    assert protected["withhold_margin"] == config.protected_withhold_margin
    assert [tuple(pair) for pair in protected["category_support_margins"]] == list(
        config.protected_category_support_margins
    )
    assert interests["threshold"] == config.interest_threshold


def test_components_annotate_a_user_turn(nlp: spacy.Language) -> None:
    doc = nlp.make_doc("I can't stand golf but I love tennis. I was just diagnosed with diabetes.")
    doc._.speaker, doc._.turn = "user", 0
    doc = nlp(doc)
    segs = segments_of(doc)
    by_text = {s.text: s for s in segs}
    assert by_text["I can't stand golf"].stance == "negated"
    assert any(n.startswith("sports.tennis") for n in by_text["I love tennis."].interests)
    assert by_text["I was just diagnosed with diabetes."].protected.keys() == {"health"}
    assert all(s.embedding is not None for s in segs)


def test_components_do_not_embed_assistant_turns(nlp: spacy.Language) -> None:
    doc = nlp.make_doc("You could try tennis or golf.")
    doc._.speaker = "assistant"
    segs = segments_of(nlp(doc))
    assert all(s.embedding is None and not s.interests for s in segs)
    assert segs[0].lexicon >= {"sports.tennis", "sports.golf"}


def test_components_config_is_validated() -> None:
    with pytest.raises(ValidationError):
        ExtractorConfig(taint_scope="paragraph")
    with pytest.raises(ValidationError):
        ExtractorConfig(not_a_field=1)
    assert ExtractorConfig(excluded_regions=["de", " fr"]).excluded_regions == frozenset({"DE", "FR"})


@pytest.mark.parametrize(
    ("margins", "problem"),
    [
        ({"hobbies": 0.1}, "health"),  # not a protected category: pydantic lists the ones there are
        ({"health": 2.0}, "less than or equal to 1"),
        ([("health", 0.1), ("health", 0.2)], "more than one margin for \\['health'\\]"),
    ],
)
def test_components_config_category_support_margins_are_validated(margins: object, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        ExtractorConfig(protected_category_support_margins=margins)


def test_components_config_category_support_margins_reach_the_detector() -> None:
    """Given as a mapping, held as sorted pairs (the config is frozen), and used as given: an empty
    mapping turns the per-category bars off rather than falling back to spaCy's default config."""
    config = ExtractorConfig(protected_category_support_margins={"religion": 0.1, "health": 0.02})
    assert config.protected_category_support_margins == (("health", 0.02), ("religion", 0.1))
    assert ExtractorConfig.model_validate_json(config.model_dump_json()) == config
    for given, expected in (({"health": 0.02}, {"health": 0.02}), ({}, {})):
        nlp = build_nlp(ExtractorConfig(protected_category_support_margins=given))
        assert nlp.get_pipe("ise_protected").category_support_margins == expected
