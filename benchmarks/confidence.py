"""Uncertainty of the evaluation figures: 95% intervals and paired comparisons with the baselines.

The dev split is a few hundred records per figure, so a difference of one or two records is noise.
Rates over independent texts (per-category recall, false-positive rate) get Wilson score intervals;
figures that pool counts over records (micro precision / recall / F1, the mean of per-category
recalls) and every ours-minus-baseline difference get a percentile bootstrap that resamples records
(paired: both systems are scored on the same resampled records). A seeded generator makes the
intervals the same on every run.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

LEVEL = 0.95
N_RESAMPLES = 2000
SEED = 0

Interval = tuple[float, float]


def wilson(hits: int, total: int, *, level: float = LEVEL) -> Interval | None:
    """Wilson score interval of ``hits / total`` (None when there is nothing to count)."""
    if total <= 0:
        return None
    ci = stats.binomtest(hits, total).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)


def bootstrap(
    samples: Sequence[np.ndarray],
    statistic: Callable[..., np.ndarray],
    *,
    level: float = LEVEL,
    n_resamples: int = N_RESAMPLES,
    seed: int = SEED,
) -> Interval | None:
    """Percentile interval of ``statistic(*samples, axis=-1)`` over records resampled with replacement.

    ``samples`` are per-record arrays of one length, resampled together (row ``i`` of every array is
    record ``i``). None when there are fewer than two records or a resample leaves the statistic
    undefined (nothing to divide by).
    """
    arrays = [np.asarray(s, dtype=np.float64) for s in samples]
    if not arrays or len(arrays[0]) < 2:
        return None
    # Every resample giving the same value (a system right on every record) is a valid, zero-width
    # interval, not a problem worth a warning.
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        result = stats.bootstrap(
            arrays,
            statistic,
            paired=True,
            vectorized=True,
            method="percentile",
            confidence_level=level,
            n_resamples=n_resamples,
            random_state=np.random.default_rng(seed),
        )
    low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    if np.isnan(low) or np.isnan(high):
        return None
    return low, high


# -- topic micro figures ----------------------------------------------------------------------------


def topic_counts(pairs: Iterable[tuple[set[str], set[str]]]) -> np.ndarray:
    """``[n, 3]`` true positives, false positives and false negatives of each (gold, predicted) pair."""
    rows = [(len(gold & pred), len(pred - gold), len(gold - pred)) for gold, pred in pairs]
    return np.asarray(rows, dtype=np.float64).reshape(-1, 3)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def micro(key: str, tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, axis: int = -1) -> np.ndarray:
    """Micro recall, precision or F1 from per-record counts (summed along ``axis``)."""
    t, p, n = tp.sum(axis=axis), fp.sum(axis=axis), fn.sum(axis=axis)
    if key == "recall":
        return _ratio(t, t + n)
    if key == "precision":
        return _ratio(t, t + p)
    if key == "f1":
        return _ratio(2 * t, 2 * t + p + n)
    raise ValueError(f"unknown micro figure {key!r}")


def micro_interval(counts: np.ndarray, key: str) -> Interval | None:
    """Bootstrap interval of one micro figure over the records behind ``counts`` (see ``topic_counts``)."""
    return bootstrap(list(counts.T), lambda tp, fp, fn, axis=-1: micro(key, tp, fp, fn, axis))


def micro_difference(ours: np.ndarray, theirs: np.ndarray, key: str) -> Interval | None:
    """Interval of ours minus theirs for one micro figure, both scored on the same resampled records."""
    if ours.shape != theirs.shape:
        raise ValueError("paired comparison needs both systems' counts on the same records")

    def diff(*cols: np.ndarray, axis: int = -1) -> np.ndarray:
        return micro(key, *cols[:3], axis=axis) - micro(key, *cols[3:], axis=axis)

    return bootstrap([*ours.T, *theirs.T], diff)


# -- protected figures ------------------------------------------------------------------------------


def recall_matrix(pairs: Sequence[tuple[set[str], set[str]]], categories: Sequence[str]) -> np.ndarray:
    """``[n, 2, k]``: per text, whether it is labelled with each category and whether that was found."""
    out = np.zeros((len(pairs), 2, len(categories)), dtype=np.float64)
    for i, (gold, pred) in enumerate(pairs):
        for j, c in enumerate(categories):
            out[i, 0, j] = c in gold
            out[i, 1, j] = c in gold and c in pred
    return out


def _mean_recall(*cols: np.ndarray, axis: int = -1) -> np.ndarray:
    k = len(cols) // 2
    labelled, found = np.stack(cols[:k]), np.stack(cols[k:])
    # A category that a resample leaves without labelled texts has no recall; average the others.
    with np.errstate(divide="ignore", invalid="ignore"):
        recalls = _ratio(found.sum(axis=axis), labelled.sum(axis=axis))
    return np.nanmean(recalls, axis=0)


def mean_recall_interval(matrix: np.ndarray) -> Interval | None:
    """Bootstrap interval of the unweighted mean of per-category recalls (see ``recall_matrix``)."""
    return bootstrap([*matrix[:, 0].T, *matrix[:, 1].T], _mean_recall)


def mean_recall_difference(ours: np.ndarray, theirs: np.ndarray) -> Interval | None:
    """Interval of ours minus theirs for the mean per-category recall, on the same resampled texts."""
    if ours.shape != theirs.shape:
        raise ValueError("paired comparison needs both systems' results on the same texts")
    k = ours.shape[2]

    def diff(*cols: np.ndarray, axis: int = -1) -> np.ndarray:
        return _mean_recall(*cols[: 2 * k], axis=axis) - _mean_recall(*cols[2 * k :], axis=axis)

    return bootstrap([*ours[:, 0].T, *ours[:, 1].T, *theirs[:, 0].T, *theirs[:, 1].T], diff)


def rate_difference(ours: Sequence[bool], theirs: Sequence[bool]) -> Interval | None:
    """Interval of ours minus theirs for the share of texts flagged, on the same resampled texts."""
    if len(ours) != len(theirs):
        raise ValueError("paired comparison needs both systems' results on the same texts")
    return bootstrap([np.asarray(ours), np.asarray(theirs)], lambda a, b, axis=-1: a.mean(axis) - b.mean(axis))


def mcnemar_exact(only_first: int, only_second: int) -> float | None:
    """Two-sided exact McNemar p-value for paired yes/no outcomes (None when no pair differs).

    ``only_first`` and ``only_second`` count the pairs where only one of the two systems got it right:
    under "no difference" each such pair is a fair coin, so the p-value is a binomial test on them.
    """
    if only_first < 0 or only_second < 0:
        raise ValueError("counts of discordant pairs cannot be negative")
    n = only_first + only_second
    if n == 0:
        return None
    return float(stats.binomtest(min(only_first, only_second), n, 0.5).pvalue)


# -- verdicts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Ours against one baseline on one figure: the point difference and its interval."""

    difference: float
    interval: Interval | None
    lower_is_better: bool = False

    @property
    def verdict(self) -> str:
        """ "yes" / "no" when the interval excludes 0, "yes (n.s.)" / "no (n.s.)" when it does not."""
        if self.difference == 0:
            return "tie"
        better = self.difference < 0 if self.lower_is_better else self.difference > 0
        word = "yes" if better else "no"
        if self.interval is None or self.interval[0] <= 0 <= self.interval[1]:
            return f"{word} (n.s.)"
        return word

    def to_dict(self) -> dict[str, Any]:
        return {
            "difference": self.difference,
            "interval": interval_dict(self.interval),
            "verdict": self.verdict,
        }


def interval_dict(interval: Interval | None) -> list[float] | None:
    return list(interval) if interval else None


def format_interval(interval: Sequence[float] | None, *, signed: bool = False) -> str:
    """``[low, high]`` for an interval or its JSON form (a two-item list); "—" for none."""
    if not interval:
        return "—"
    fmt = "{:+.3f}" if signed else "{:.3f}"
    return f"[{fmt.format(interval[0])}, {fmt.format(interval[1])}]"
