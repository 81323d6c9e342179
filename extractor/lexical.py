"""A word-level second opinion on the protected head: TF-IDF features and one logistic model per category.

The protected head and its support check both read the sentence embedding, so they share its
blind spots: a sports post that says "we must have faith" or "a hotly contested election" sits close
enough to religion or politics examples in embedding space. This model reads words and word pairs
instead, trained on the same examples; where the support check is unsure (a margin in the band just
above ``protected_support_margin``), a head verdict the words do not back is withheld rather than
reported (``ExtractorConfig.protected_lexical_floor``).

Stored as safetensors: the IDF weights, the coefficients and intercepts as tensors, the vocabulary
(in column order), label names and vectoriser settings in the metadata. Vectorising is scikit-learn's
``TfidfVectorizer`` with that fixed vocabulary, so reading a text is the same at training and at run time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

LEXICAL_FILE = "protected_lexical.safetensors"


def _vectorizer(ngram_max: int, vocabulary: Sequence[str] | None = None, min_df: int = 1) -> TfidfVectorizer:
    return TfidfVectorizer(
        ngram_range=(1, ngram_max),
        lowercase=True,
        sublinear_tf=True,
        min_df=min_df,
        dtype=np.float32,
        vocabulary=None if vocabulary is None else {term: i for i, term in enumerate(vocabulary)},
    )


@dataclass(frozen=True)
class LexicalCheck:
    """Per-category probabilities of protected content from the words of a text."""

    labels: tuple[str, ...]
    vocabulary: tuple[str, ...]  # term of each column
    idf: np.ndarray  # [V]
    coef: np.ndarray  # [V, len(labels)]
    intercept: np.ndarray  # [len(labels)]
    ngram_max: int = 2

    def __post_init__(self) -> None:
        v, n = len(self.vocabulary), len(self.labels)
        if self.idf.shape != (v,) or self.coef.shape != (v, n) or self.intercept.shape != (n,):
            raise ValueError(
                f"tensor shapes do not match {v} terms and {n} labels: idf {self.idf.shape}, "
                f"coef {self.coef.shape}, intercept {self.intercept.shape}"
            )
        vectorizer = _vectorizer(self.ngram_max, self.vocabulary)
        vectorizer.idf_ = self.idf  # the fitted weights: no fitting at run time
        object.__setattr__(self, "_vectorizer", vectorizer)

    @classmethod
    def fit(
        cls,
        texts: Sequence[str],
        y: np.ndarray,
        labels: Sequence[str],
        *,
        c: float = 4.0,
        ngram_max: int = 2,
        min_df: int = 2,
    ) -> LexicalCheck:
        """Fit the vectoriser and one class-balanced logistic regression per label (``y``: [n, labels])."""
        vectorizer = _vectorizer(ngram_max, min_df=min_df)
        x = vectorizer.fit_transform(texts)
        coef = np.zeros((x.shape[1], len(labels)), dtype=np.float32)
        intercept = np.full(len(labels), -30.0, dtype=np.float32)  # a label with no examples: never
        for j in range(len(labels)):
            target = y[:, j] > 0
            if target.any() and not target.all():
                model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced").fit(x, target)
                coef[:, j], intercept[j] = model.coef_[0], model.intercept_[0]
        vocabulary = tuple(sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__))
        return cls(
            labels=tuple(labels),
            vocabulary=vocabulary,
            idf=vectorizer.idf_.astype(np.float32),
            coef=coef,
            intercept=intercept,
            ngram_max=ngram_max,
        )

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities, shape ``[len(texts), len(labels)]``."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        x = self._vectorizer.transform(texts)  # type: ignore[attr-defined]
        logits = np.asarray(x @ self.coef) + self.intercept
        return (1.0 / (1.0 + np.exp(-np.clip(logits, -30.0, 30.0)))).astype(np.float32)

    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        tensors = {
            "idf": np.ascontiguousarray(self.idf, dtype=np.float32),
            "coef": np.ascontiguousarray(self.coef, dtype=np.float32),
            "intercept": np.ascontiguousarray(self.intercept, dtype=np.float32),
        }
        # One metadata entry, as in extractor/support.py: safetensors writes several in no fixed order,
        # and the same fit should give the same file.
        config = {"labels": list(self.labels), "vocabulary": list(self.vocabulary), "ngram_max": self.ngram_max}
        metadata = {"lexical": json.dumps(config, sort_keys=True, ensure_ascii=False)}
        save_file(tensors, str(path / LEXICAL_FILE), metadata=metadata)

    @classmethod
    def from_disk(cls, path: str | Path) -> LexicalCheck:
        file = Path(path) / LEXICAL_FILE
        if not file.is_file():
            raise FileNotFoundError(
                f"no lexical check at {file}: run `python models/train_heads.py`, "
                "or set protected_lexical_floor to None"
            )
        with safe_open(str(file), framework="numpy") as fh:
            config = json.loads((fh.metadata() or {}).get("lexical", "{}"))
        tensors = load_file(str(file))
        try:
            check = cls(
                labels=tuple(config["labels"]),
                vocabulary=tuple(config["vocabulary"]),
                idf=tensors["idf"],
                coef=tensors["coef"],
                intercept=tensors["intercept"],
                ngram_max=int(config["ngram_max"]),
            )
        except KeyError as err:
            raise ValueError(f"{file}: {err.args[0]!r} is missing") from None
        except ValueError as err:  # tensor shapes that do not match the vocabulary and labels
            raise ValueError(f"{file}: {err}") from None
        return check
