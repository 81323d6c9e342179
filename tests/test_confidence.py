"""Intervals and paired comparisons of benchmarks/confidence.py, on hand-made records (no eval data)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


cf = _load("confidence")

# 40 labelled conversations: gold topics and what a system predicted for each.
GOLD = [{"music"}, {"sports"}, {"travel", "food"}, {"books"}] * 10
RIGHT = [set(g) for g in GOLD]
WRONG = [{"movies"} for _ in GOLD]


def _pairs(preds: list[set[str]]) -> list[tuple[set[str], set[str]]]:
    return list(zip(GOLD, preds, strict=True))


@pytest.mark.parametrize(
    ("hits", "total", "low", "high"),
    [
        (43, 474, 0.068, 0.120),  # a control false-positive rate of 0.091
        (0, 40, 0.0, 0.088),  # none flagged: the interval still admits a few percent
        (40, 40, 0.912, 1.0),
    ],
)
def test_confidence_wilson_known_values(hits: int, total: int, low: float, high: float) -> None:
    interval = cf.wilson(hits, total)
    assert interval is not None
    assert interval[0] == pytest.approx(low, abs=0.001)
    assert interval[1] == pytest.approx(high, abs=0.001)


def test_confidence_wilson_nothing_to_count() -> None:
    assert cf.wilson(0, 0) is None


def test_confidence_topic_counts_per_record() -> None:
    counts = cf.topic_counts([({"music", "sports"}, {"music", "movies"}), ({"travel"}, set())])
    assert counts.tolist() == [[1, 1, 1], [0, 0, 1]]


@pytest.mark.parametrize("key", ["recall", "precision", "f1"])
def test_confidence_micro_matches_pooled_counts(key: str) -> None:
    preds = [{"music"}, {"movies"}, {"travel"}, set()] * 10
    counts = cf.topic_counts(_pairs(preds))
    tp, fp, fn = counts.sum(axis=0)
    expected = {"recall": tp / (tp + fn), "precision": tp / (tp + fp), "f1": 2 * tp / (2 * tp + fp + fn)}[key]
    assert cf.micro(key, *counts.T) == pytest.approx(expected)


def test_confidence_micro_unknown_figure_rejected() -> None:
    with pytest.raises(ValueError, match="unknown micro figure"):
        cf.micro("accuracy", np.ones(2), np.ones(2), np.ones(2))


def test_confidence_micro_interval_holds_the_point_and_narrows_with_more_records() -> None:
    preds = [{"music"}, {"movies"}, {"travel"}, set()] * 10
    counts = cf.topic_counts(_pairs(preds))
    point = float(cf.micro("precision", *counts.T))
    small = cf.micro_interval(counts, "precision")
    large = cf.micro_interval(np.tile(counts, (10, 1)), "precision")
    assert small is not None and large is not None
    assert 0.0 <= small[0] <= point <= small[1] <= 1.0
    assert large[0] <= point <= large[1]
    assert large[1] - large[0] < small[1] - small[0]


def test_confidence_bootstrap_is_deterministic() -> None:
    counts = cf.topic_counts(_pairs([{"music"}, {"movies"}, {"travel"}, set()] * 10))
    assert cf.micro_interval(counts, "f1") == cf.micro_interval(counts, "f1")


def test_confidence_bootstrap_needs_two_records() -> None:
    assert cf.micro_interval(cf.topic_counts(_pairs(RIGHT)[:1]), "recall") is None


@pytest.mark.parametrize(
    ("theirs", "verdict"),
    [
        (WRONG, "yes"),  # right everywhere against wrong everywhere
        (RIGHT, "tie"),  # the same system
        # one record of forty differs: better, but not beyond what resampling the records moves
        ([{"movies"}, *RIGHT[1:]], "yes (n.s.)"),
    ],
)
def test_confidence_micro_difference_verdicts(theirs: list[set[str]], verdict: str) -> None:
    ours_counts, their_counts = cf.topic_counts(_pairs(RIGHT)), cf.topic_counts(_pairs(theirs))
    difference = float(cf.micro("f1", *ours_counts.T) - cf.micro("f1", *their_counts.T))
    comparison = cf.Comparison(difference, cf.micro_difference(ours_counts, their_counts, "f1"))
    assert comparison.verdict == verdict


def test_confidence_worse_system_is_no_not_yes() -> None:
    ours, theirs = cf.topic_counts(_pairs(WRONG)), cf.topic_counts(_pairs(RIGHT))
    interval = cf.micro_difference(ours, theirs, "recall")
    assert interval is not None and interval[1] < 0
    assert cf.Comparison(-1.0, interval).verdict == "no"


def test_confidence_lower_is_better_for_false_positive_rates() -> None:
    ours = [False] * 95 + [True] * 5
    theirs = [True] * 40 + [False] * 60
    interval = cf.rate_difference(ours, theirs)
    assert interval is not None and interval[1] < 0
    assert cf.Comparison(0.05 - 0.40, interval, lower_is_better=True).verdict == "yes"
    assert cf.Comparison(0.40 - 0.05, (0.2, 0.5), lower_is_better=True).verdict == "no"


@pytest.mark.parametrize(
    "call",
    [
        lambda: cf.micro_difference(np.zeros((3, 3)), np.zeros((4, 3)), "f1"),
        lambda: cf.rate_difference([True, False], [True]),
        lambda: cf.mean_recall_difference(np.zeros((3, 2, 2)), np.zeros((4, 2, 2))),
    ],
)
def test_confidence_paired_comparison_needs_the_same_records(call: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="same"):
        call()


def test_confidence_mean_recall_is_unweighted_over_categories() -> None:
    # 30 health texts all found, 10 religion texts none found: mean 0.5, not 30/40.
    pairs = [({"health"}, {"health"})] * 30 + [({"religion"}, set())] * 10
    matrix = cf.recall_matrix(pairs, ["health", "religion"])
    assert float(cf._mean_recall(*matrix[:, 0].T, *matrix[:, 1].T)) == pytest.approx(0.5)
    interval = cf.mean_recall_interval(matrix)
    assert interval is not None and interval[0] <= 0.5 <= interval[1]


def test_confidence_mean_recall_difference_against_a_detector_that_finds_nothing() -> None:
    pairs = [({"politics"}, {"politics"})] * 20 + [({"religion"}, {"religion"})] * 20
    ours = cf.recall_matrix(pairs, ["politics", "religion"])
    theirs = cf.recall_matrix([(g, set()) for g, _ in pairs], ["politics", "religion"])
    interval = cf.mean_recall_difference(ours, theirs)
    assert interval == pytest.approx((1.0, 1.0))


def test_confidence_format_interval() -> None:
    assert cf.format_interval((0.0681, 0.12)) == "[0.068, 0.120]"
    assert cf.format_interval((-0.01, 0.03), signed=True) == "[-0.010, +0.030]"
    assert cf.format_interval(None) == "—"


@pytest.mark.parametrize(
    ("only_first", "only_second", "p"),
    [
        (0, 10, 2 * 0.5**10),  # ten records moved one way, none the other: far from a fair coin
        (10, 0, 2 * 0.5**10),
        (5, 5, 1.0),
        (1, 0, 1.0),  # one record is never evidence
        (2, 9, 0.06542969),
    ],
)
def test_confidence_mcnemar_exact_known_values(only_first: int, only_second: int, p: float) -> None:
    assert cf.mcnemar_exact(only_first, only_second) == pytest.approx(p, rel=1e-6)


def test_confidence_mcnemar_exact_nothing_changed() -> None:
    assert cf.mcnemar_exact(0, 0) is None


def test_confidence_mcnemar_exact_rejects_negative_counts() -> None:
    with pytest.raises(ValueError, match="negative"):
        cf.mcnemar_exact(-1, 3)
