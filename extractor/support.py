"""Example support for the heads: is a segment near the team's training examples?

A classifier head on frozen embeddings extrapolates freely on text unlike anything it was trained on
(a BIOS question read as biometrics, a config-file tip as health). The support set keeps the
embeddings of the labelled training sentences and lets a head verdict stand only where the segment
is at least about as close to that category's examples as to the examples with no protected content:

    margin(segment, category) = mean cosine to its k nearest positives - mean cosine to its k nearest negatives

Stored as float16 safetensors beside the heads (``protected_support.safetensors``). The interest head's
keyword-less verdicts get the same check against the interest examples (``InterestSupport``,
``interest_support.safetensors``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

SUPPORT_FILE = "protected_support.safetensors"


def _top_k_mean(sims: np.ndarray, k: int) -> np.ndarray:
    """Mean of each row's ``k`` largest values (all of them when a row has fewer)."""
    if sims.shape[1] == 0:
        return np.full(sims.shape[0], -1.0, dtype=np.float32)
    k = min(k, sims.shape[1])
    return np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:].mean(axis=1)


def _read(file: Path, what: str) -> tuple[dict[str, str], dict[str, np.ndarray]]:
    """Metadata and float32 tensors of a support file (float16 on disk: half the size; float32 in
    memory: matrix products on float16 are slow in NumPy)."""
    if not file.is_file():
        raise FileNotFoundError(f"no {what} at {file}: run `python models/train_heads.py`")
    with safe_open(str(file), framework="numpy") as fh:
        metadata = dict(fh.metadata() or {})
    return metadata, {name: v.astype(np.float32) for name, v in load_file(str(file)).items()}


@dataclass(frozen=True)
class SupportSet:
    """L2-normalised example embeddings: positives per category and one pool of negatives."""

    positives: Mapping[str, np.ndarray]  # category -> [n, dim]
    negatives: np.ndarray  # [n, dim]
    k: int = 3
    # Which encoder embedded the examples (see ``ModelHeads.encoder_fingerprint``).
    encoder_fingerprint: str = ""

    def margins(self, x: np.ndarray, categories: Sequence[str]) -> np.ndarray:
        """``[len(x), len(categories)]`` support margins; a category with no examples gets -inf."""
        x = np.asarray(x, dtype=np.float32)
        neg = _top_k_mean(x @ self.negatives.T, self.k)
        out = np.full((len(x), len(categories)), -np.inf, dtype=np.float32)
        for j, category in enumerate(categories):
            pos = self.positives.get(category)
            if pos is not None and len(pos):
                out[:, j] = _top_k_mean(x @ pos.T, self.k) - neg
        return out

    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        tensors = {f"positive.{c}": np.ascontiguousarray(v, dtype=np.float16) for c, v in self.positives.items()}
        tensors["negative"] = np.ascontiguousarray(self.negatives, dtype=np.float16)
        metadata = {"k": json.dumps(self.k), "encoder_fingerprint": self.encoder_fingerprint}
        save_file(tensors, str(path / SUPPORT_FILE), metadata=metadata)

    @classmethod
    def from_disk(cls, path: str | Path) -> SupportSet:
        file = Path(path) / SUPPORT_FILE
        metadata, tensors = _read(file, "protected support set")
        if "negative" not in tensors:
            raise ValueError(f"{file}: the negative examples are missing")
        positives = {name.split(".", 1)[1]: v for name, v in tensors.items() if name.startswith("positive.")}
        return cls(
            positives=positives,
            negatives=tensors["negative"],
            k=int(json.loads(metadata.get("k", "3"))),
            encoder_fingerprint=metadata.get("encoder_fingerprint", ""),
        )


INTEREST_SUPPORT_FILE = "interest_support.safetensors"


@dataclass(frozen=True)
class InterestSupport:
    """The interest training sentences, for the same check on the interest head's keyword-less verdicts.

    A head reading with no keyword behind it stands only where the sentence is at least about as close
    to that node's examples (its own and its descendants') as to the training lines that name no
    interest ("Can you double-check that?"): generic requests and small talk otherwise pick up
    whichever topic their embedding happens to lean towards ("Excuse me, would you please do me a
    favor?" read as Movies). Every example is stored once; ``members`` lists each node's rows.
    """

    examples: np.ndarray  # [n, dim], sentences labelled with at least one node
    members: Mapping[str, np.ndarray]  # node -> row indices into ``examples`` (node and descendants)
    negatives: np.ndarray  # [m, dim], sentences that name no interest
    k: int = 3
    encoder_fingerprint: str = ""

    def margins(self, x: np.ndarray, nodes: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        """Per row of ``x``: margin of each node asked for (-inf for a node with no examples)."""
        x = np.asarray(x, dtype=np.float32)
        if not len(x):
            return []
        neg = _top_k_mean(x @ self.negatives.T, self.k)
        sims = x @ self.examples.T
        out: list[dict[str, float]] = []
        for i, wanted in enumerate(nodes):
            row: dict[str, float] = {}
            for node in wanted:
                idx = self.members.get(node)
                row[node] = (
                    float(_top_k_mean(sims[i : i + 1, idx], self.k)[0] - neg[i])
                    if idx is not None and len(idx)
                    else float("-inf")
                )
            out.append(row)
        return out

    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        tensors = {
            "examples": np.ascontiguousarray(self.examples, dtype=np.float16),
            "negative": np.ascontiguousarray(self.negatives, dtype=np.float16),
        }
        # One metadata entry: safetensors writes several in no fixed order, and the same data should
        # give the same file.
        config = {
            "k": self.k,
            "encoder_fingerprint": self.encoder_fingerprint,
            "members": {n: [int(i) for i in v] for n, v in sorted(self.members.items())},
        }
        metadata = {"support": json.dumps(config, sort_keys=True)}
        save_file(tensors, str(path / INTEREST_SUPPORT_FILE), metadata=metadata)

    @classmethod
    def from_disk(cls, path: str | Path) -> InterestSupport:
        file = Path(path) / INTEREST_SUPPORT_FILE
        metadata, tensors = _read(file, "interest support set")
        config = json.loads(metadata.get("support", "{}"))
        missing = sorted({"examples", "negative"} - set(tensors)) + ([] if "members" in config else ["members"])
        if missing:
            raise ValueError(f"{file}: incomplete interest support set (missing {', '.join(missing)})")
        members = {n: np.asarray(v, dtype=np.int64) for n, v in config["members"].items()}
        if any(len(v) and (v.min() < 0 or v.max() >= len(tensors["examples"])) for v in members.values()):
            raise ValueError(f"{file}: a node's example index is out of range")
        return cls(
            examples=tensors["examples"],
            members=members,
            negatives=tensors["negative"],
            k=int(config.get("k", 3)),
            encoder_fingerprint=str(config.get("encoder_fingerprint", "")),
        )
