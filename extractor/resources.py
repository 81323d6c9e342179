"""Process-wide caches of the heavy, read-only resources, so each process loads them once.

Components look resources up here unless they were handed their own (every one is injectable).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from extractor.encoder import SentenceEncoder
from extractor.heads import ModelHeads, default_models_dir
from extractor.privacy.rules import ProtectedRules
from extractor.support import SupportSet
from extractor.taxonomy import Taxonomy


@lru_cache(maxsize=4)
def shared_encoder(model_path: str | None = None) -> SentenceEncoder:
    return SentenceEncoder(model_path=Path(model_path) if model_path else None)


@lru_cache(maxsize=4)
def shared_heads(models_dir: str | None = None) -> ModelHeads:
    return ModelHeads.from_disk(Path(models_dir) if models_dir else default_models_dir())


@lru_cache(maxsize=4)
def shared_support(models_dir: str | None = None) -> SupportSet:
    return SupportSet.from_disk(Path(models_dir) if models_dir else default_models_dir())


@lru_cache(maxsize=4)
def shared_rules(path: str | None = None) -> ProtectedRules:
    return ProtectedRules.from_disk(path) if path else ProtectedRules.default()


@lru_cache(maxsize=4)
def shared_taxonomy(path: str | None = None) -> Taxonomy:
    return Taxonomy.from_disk(path) if path else Taxonomy.default()
