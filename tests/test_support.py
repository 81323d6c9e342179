"""The protected head's example support: margin arithmetic, storage, and its effect on the detector."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy

import extractor.components  # noqa: F401  (registers the factories)
from extractor.categories import PROTECTED_CATEGORIES
from extractor.components import ProtectedDetector, Segment
from extractor.heads import Head, ModelHeads
from extractor.privacy.rules import ProtectedRules
from extractor.support import SupportSet

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


def _always_health_heads() -> ModelHeads:
    """Heads whose protected output says 'health' (p ~ 1) for any input, the others ~ 0."""
    labels = tuple(PROTECTED_CATEGORIES)
    bias = np.full(len(labels), -20.0, dtype=np.float32)
    bias[labels.index("health")] = 20.0
    protected = Head(name="protected", labels=labels, layers=((np.zeros((len(labels), 3), np.float32), bias),))
    other = Head(name="x", labels=("a",), layers=((np.zeros((1, 3), np.float32), np.zeros(1, np.float32)),))
    return ModelHeads(interest=other, protected=protected, intent=other)


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
    detector = ProtectedDetector(
        threshold=0.5,
        support_margin=margin,
        models_dir=None,
        rules_path=None,
        heads=_always_health_heads(),
        rules=ProtectedRules({"categories": {}}),
        support=_support(),
    )
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Some sentence.")
    seg = Segment(turn=0, start=0, end=len(doc.text), text=doc.text, is_user=True, embedding=embedding)
    doc._.segments = [seg]
    detector(doc)
    assert ("health" in seg.protected) is flagged
    assert ("health" in seg.protected_unsupported) is (not flagged)


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
