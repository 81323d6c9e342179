"""Classification heads on top of the sentence embeddings, stored as safetensors.

Each head is a small feed-forward net (one or more linear layers, ReLU between them, sigmoid
output: every head is multi-label) evaluated with NumPy, so inference adds almost nothing to the
backbone's cost. Label names travel in the safetensors metadata.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file, save_file

HEADS_FILE = "heads.safetensors"
HEAD_NAMES = ("interest", "protected", "intent")


@dataclass(frozen=True)
class Head:
    name: str
    labels: tuple[str, ...]
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weight [out, in], bias [out]) per layer

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probabilities, shape ``[len(x), len(labels)]``."""
        h = x
        for i, (w, b) in enumerate(self.layers):
            h = h @ w.T + b
            if i < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return 1.0 / (1.0 + np.exp(-np.clip(h, -30.0, 30.0)))


@dataclass(frozen=True)
class ModelHeads:
    interest: Head
    protected: Head
    intent: Head
    # SHA-256 of the fine-tuned encoder layers the heads were trained on; "" for the frozen backbone.
    encoder_fingerprint: str = ""
    # SHA-256 of the backbone's weights file they were trained on; "" in files written before it was kept.
    backbone_sha256: str = ""

    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        tensors: dict[str, np.ndarray] = {}
        metadata: dict[str, str] = {
            "encoder_fingerprint": self.encoder_fingerprint,
            "backbone_sha256": self.backbone_sha256,
        }
        for head in (self.interest, self.protected, self.intent):
            metadata[f"{head.name}.labels"] = json.dumps(list(head.labels))
            for i, (w, b) in enumerate(head.layers):
                tensors[f"{head.name}.{i}.weight"] = np.ascontiguousarray(w, dtype=np.float32)
                tensors[f"{head.name}.{i}.bias"] = np.ascontiguousarray(b, dtype=np.float32)
        save_file(tensors, str(path / HEADS_FILE), metadata=metadata)

    @classmethod
    def from_disk(cls, path: str | Path) -> ModelHeads:
        file = Path(path) / HEADS_FILE
        if not file.is_file():
            raise FileNotFoundError(f"no trained heads at {file}: run `python models/train_heads.py` or set models_dir")
        from safetensors import safe_open

        with safe_open(str(file), framework="numpy") as fh:
            metadata: Mapping[str, str] = fh.metadata() or {}
        tensors = load_file(str(file))
        heads: dict[str, Head] = {}
        for name in HEAD_NAMES:
            layers = []
            i = 0
            while f"{name}.{i}.weight" in tensors:
                layers.append((tensors[f"{name}.{i}.weight"], tensors[f"{name}.{i}.bias"]))
                i += 1
            if not layers or f"{name}.labels" not in metadata:
                raise ValueError(f"{file}: head {name!r} is missing")
            heads[name] = Head(name=name, labels=tuple(json.loads(metadata[f"{name}.labels"])), layers=tuple(layers))
        return cls(
            **heads,
            encoder_fingerprint=metadata.get("encoder_fingerprint", ""),
            backbone_sha256=metadata.get("backbone_sha256", ""),
        )


def default_models_dir() -> Path:
    """``$EXTRACTOR_MODELS_DIR``, else the ``models/`` folder of this source tree."""
    env = os.environ.get("EXTRACTOR_MODELS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models"
