"""The heads' example support: margin arithmetic, storage, and its effect on the detectors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import spacy

import extractor.components  # noqa: F401  (registers the factories)
from extractor.categories import PROTECTED_CATEGORIES
from extractor.components import InterestDetector, ProtectedDetector, Segment
from extractor.heads import Head, ModelHeads
from extractor.lexical import LexicalCheck
from extractor.privacy.rules import ProtectedRules
from extractor.support import InterestSupport, SupportSet

E1, E2, E3 = np.eye(3, dtype=np.float32)


def _support() -> SupportSet:
    return SupportSet(positives={"health": np.stack([E1, E1])}, negatives=np.stack([E2, E2]), k=2)


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (E1, 1.0),  # on the positives, orthogonal to the negatives
        (E2, -1.0),  # on the negatives
        ((E1 + E2) / np.sqrt(2), 0.0),  # equally close to both
        (E3, 0.0),  # far from both: no support either way
    ],
)
def test_support_margin_is_positive_minus_negative_similarity(x: np.ndarray, expected: float) -> None:
    margins = _support().margins(x[None, :], ["health", "religion"])
    assert margins[0, 0] == pytest.approx(expected, abs=1e-6)
    assert margins[0, 1] == -np.inf  # a category without examples never has support


def test_support_round_trips_through_disk(tmp_path: Path) -> None:
    _support().to_disk(tmp_path)
    loaded = SupportSet.from_disk(tmp_path)
    assert loaded.k == 2
    assert set(loaded.positives) == {"health"}
    assert loaded.negatives.dtype == np.float32
    np.testing.assert_allclose(loaded.margins(E1[None, :], ["health"]), [[1.0]], atol=1e-3)


def test_support_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"train_heads\.py"):
        SupportSet.from_disk(tmp_path)


def _constant_head(name: str, labels: tuple[str, ...], on: str | None = None) -> Head:
    """A head that says ``on`` (p ~ 1) for any input, and every other label p ~ 0."""
    bias = np.array([20.0 if label == on else -20.0 for label in labels], dtype=np.float32)
    return Head(name=name, labels=labels, layers=((np.zeros((len(labels), 3), np.float32), bias),))


def _always_health_heads() -> ModelHeads:
    """Heads whose protected output says 'health' for any input."""
    other = _constant_head("x", ("a",))
    return ModelHeads(
        interest=other, protected=_constant_head("protected", PROTECTED_CATEGORIES, "health"), intent=other
    )


@pytest.mark.parametrize(
    ("embedding", "margin", "flagged"),
    [
        (E1, 0.0, True),  # near the health examples: the verdict stands
        (E2, 0.0, False),  # near the clean examples: an extrapolation, dropped
        (E2, None, True),  # support check off: the head alone decides
        (E3, 0.0, True),  # equally far from both (margin 0 >= 0): fails closed
    ],
)
def test_support_gates_head_verdicts_not_rules(embedding: np.ndarray, margin: float | None, flagged: bool) -> None:
    seg = _read_by_health_head(embedding, support_margin=margin)
    assert ("health" in seg.protected) is flagged
    assert ("health" in seg.protected_unsupported) is (not flagged)


def _read_by_health_head(embedding: np.ndarray, *, lexical: LexicalCheck | None = None, **margins: Any) -> Segment:
    """One rule-free segment with ``embedding``, read by heads that always say health; the support
    check alone unless ``lexical_floor`` is given."""
    detector = ProtectedDetector(
        threshold=0.5,
        models_dir=None,
        rules_path=None,
        heads=_always_health_heads(),
        rules=ProtectedRules({"categories": {}}),
        support=_support(),
        lexical=lexical,
        **{"lexical_floor": None, **margins},
    )
    doc = spacy.blank("en").make_doc("Some sentence.")
    seg = Segment(turn=0, start=0, end=len(doc.text), text=doc.text, is_user=True, embedding=embedding)
    doc._.segments = [seg]
    detector(doc)
    return seg


_NEAR = (0.9 * E1 + E2) / np.linalg.norm(0.9 * E1 + E2)  # a little nearer the clean examples: margin ~ -0.07


@pytest.mark.parametrize(
    ("embedding", "withhold_margin", "withheld"),
    [
        (E3, -0.04, True),  # margin 0: short of the support margin (0.05), within the withhold margin
        (_NEAR, -0.04, False),  # margin ~ -0.07: past the withhold margin, an ordinary sentence
        (_NEAR, -0.1, True),
        (E2, -0.04, False),  # on the clean examples (margin -1)
        (E3, None, False),  # withholding off
        (E1, -0.04, False),  # supported: a verdict, nothing to withhold
    ],
)
def test_support_near_miss_is_withheld_not_reported(
    embedding: np.ndarray, withhold_margin: float | None, withheld: bool
) -> None:
    seg = _read_by_health_head(embedding, support_margin=0.05, withhold_margin=withhold_margin)
    assert ("health" in seg.protected_withheld) is withheld
    assert "health" not in seg.protected or not seg.protected_withheld  # never both reported and withheld


_BARELY = (E1 + 0.97 * E2) / np.linalg.norm(E1 + 0.97 * E2)  # support margin ~ +0.02: supported, barely


@pytest.mark.parametrize(
    ("embedding", "category_margins", "reported", "withheld"),
    [
        (_BARELY, {}, True, False),  # margin ~ +0.02 clears the reading's bar (0.005)
        (_BARELY, {"health": 0.05}, False, True),  # short of health's own bar: withheld, not reported
        (_BARELY, {"religion": 0.05}, True, False),  # another category's bar does not apply
        (_BARELY, {"health": -0.5}, True, False),
        (_NEAR, {"health": -0.5}, False, False),  # a laxer category bar does not lower the reading's
        (E1, {"health": 0.05}, True, False),  # well supported: clears both
    ],
)
def test_support_category_margin_is_a_stricter_bar_for_that_category(
    embedding: np.ndarray, category_margins: dict[str, float], reported: bool, withheld: bool
) -> None:
    seg = _read_by_health_head(
        embedding,
        support_margin=0.005,
        withhold_margin=-0.04,
        category_support_margins=list(category_margins.items()),
    )
    assert ("health" in seg.protected) is reported
    assert ("health" in seg.protected_withheld) is withheld
    assert ("health" in seg.protected_below_category_margin) is withheld


def test_support_category_margin_for_an_unknown_category_is_an_error() -> None:
    with pytest.raises(ValueError, match="hobbies"):
        ProtectedDetector(threshold=0.5, models_dir=None, rules_path=None, category_support_margins=[("hobbies", 0.1)])


def _constant_words(p: float) -> LexicalCheck:
    """A lexical check that gives 'health' probability ``p`` (and 'religion' ~0) for any text."""
    logit = float(np.log(p / (1.0 - p))) if 0.0 < p < 1.0 else -30.0
    return LexicalCheck(
        labels=("health", "religion"),
        vocabulary=("unused",),
        idf=np.ones(1, np.float32),
        coef=np.zeros((1, 2), np.float32),
        intercept=np.array([logit, -30.0], np.float32),
    )


@pytest.mark.parametrize(
    ("embedding", "words", "floor", "reported"),
    [
        (_BARELY, 0.05, 0.1, False),  # barely supported, words say no: withheld
        (_BARELY, 0.5, 0.1, True),  # barely supported, words agree: reported
        (E1, 0.0, 0.1, True),  # well supported (margin 1): the words are not asked
        (_BARELY, 0.0, None, True),  # the check off: the support check alone decides
    ],
)
def test_support_barely_supported_verdict_needs_the_lexical_check_to_back_it(
    embedding: np.ndarray, words: float, floor: float | None, reported: bool
) -> None:
    seg = _read_by_health_head(
        embedding, support_margin=0.0, lexical_floor=floor, lexical_band=0.05, lexical=_constant_words(words)
    )
    assert ("health" in seg.protected) is reported
    assert ("health" in seg.protected_unbacked) is (not reported)
    assert ("health" in seg.protected_withheld) is (not reported)  # never reported and never evidence


def test_support_never_overrides_a_phrase_rule() -> None:
    detector = ProtectedDetector(
        threshold=0.5,
        support_margin=0.0,
        models_dir=None,
        rules_path=None,
        heads=_always_health_heads(),
        support=_support(),
    )
    nlp = spacy.blank("en")
    text = "I was diagnosed with diabetes last year."
    doc = nlp.make_doc(text)
    seg = Segment(turn=0, start=0, end=len(text), text=text, is_user=True, embedding=E2)  # far from support
    doc._.segments = [seg]
    detector(doc)
    assert "health" in seg.protected
    assert any(src.startswith("rule:") for src in seg.protected_sources)


# -- interest support ---------------------------------------------------------------------------------


def _interest_support() -> InterestSupport:
    # Rows: two hiking examples (also listed under their parent, sports), one movie example.
    return InterestSupport(
        examples=np.stack([E1, E1, E3]),
        members={"sports.hiking": np.array([0, 1]), "sports": np.array([0, 1]), "movies": np.array([2])},
        negatives=np.stack([E2, E2]),
        k=2,
    )


@pytest.mark.parametrize(
    ("x", "node", "expected"),
    [
        (E1, "sports.hiking", 1.0),  # on the node's examples
        (E1, "sports", 1.0),  # a parent is supported by its children's examples
        (E2, "sports.hiking", -1.0),  # on the lines that name no interest
        (E3, "movies", 1.0),  # k larger than the node's examples: the mean of what there is
        (E1, "music", -np.inf),  # a node without examples never has support
    ],
)
def test_support_interest_margins_per_node(x: np.ndarray, node: str, expected: float) -> None:
    (margins,) = _interest_support().margins(x[None, :], [[node]])
    assert margins[node] == pytest.approx(expected, abs=1e-6)


def test_support_interest_round_trips_through_disk(tmp_path: Path) -> None:
    _interest_support().to_disk(tmp_path)
    loaded = InterestSupport.from_disk(tmp_path)
    assert loaded.k == 2
    assert {n: v.tolist() for n, v in loaded.members.items()} == {
        "movies": [2],
        "sports": [0, 1],
        "sports.hiking": [0, 1],
    }
    (margins,) = loaded.margins(E1[None, :], [["sports.hiking", "movies"]])
    assert margins["sports.hiking"] == pytest.approx(1.0, abs=1e-3)
    assert margins["movies"] == pytest.approx(0.0, abs=1e-3)


def test_support_interest_rejects_bad_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"train_heads\.py"):
        InterestSupport.from_disk(tmp_path)
    broken = InterestSupport(examples=np.stack([E1]), members={"sports": np.array([3])}, negatives=np.stack([E2]), k=1)
    broken.to_disk(tmp_path)
    with pytest.raises(ValueError, match="out of range"):
        InterestSupport.from_disk(tmp_path)


def _always_hiking_heads() -> ModelHeads:
    """Heads whose interest output says 'sports.hiking' for any input."""
    other = _constant_head("x", ("a",))
    return ModelHeads(
        interest=_constant_head("interest", ("sports.hiking",), "sports.hiking"), protected=other, intent=other
    )


@pytest.mark.parametrize(
    ("text", "embedding", "margin", "kept"),
    [
        ("Some weekend plans.", E1, -0.05, True),  # near the hiking examples
        ("Some weekend plans.", E2, -0.05, False),  # near the lines that name no interest: dropped
        ("Some weekend plans.", E2, None, True),  # check off: the head alone decides
        ("We love hiking.", E2, -0.05, True),  # a keyword names the node: no support needed
    ],
)
def test_support_gates_keywordless_interest_readings(
    text: str, embedding: np.ndarray, margin: float | None, kept: bool
) -> None:
    nlp = spacy.blank("en")
    detector = InterestDetector(
        vocab_nlp=nlp,
        threshold=0.7,
        lexicon_score=0.65,
        models_dir=None,
        taxonomy_path=None,
        support_margin=margin,
        heads=_always_hiking_heads(),
        support=_interest_support(),
    )
    doc = nlp.make_doc(text)
    seg = Segment(turn=0, start=0, end=len(text), text=text, is_user=True, embedding=embedding)
    doc._.segments = [seg]
    detector(doc)
    assert ("sports.hiking" in seg.interests) is kept
    assert ("sports.hiking" in seg.interests_unsupported) is (not kept)
