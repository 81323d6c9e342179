"""Process-wide caches of the heavy, read-only resources, so each process loads them once.

Components look resources up here unless they were handed their own (every one is injectable).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from extractor.encoder import EncoderDtype, SentenceEncoder, tuned_layers_in
from extractor.heads import ModelHeads, default_models_dir
from extractor.lexical import LexicalCheck
from extractor.privacy.rules import ProtectedRules
from extractor.support import InterestSupport, SupportSet
from extractor.taxonomy import Taxonomy


def _folder(models_dir: str | None) -> Path:
    return Path(models_dir) if models_dir else default_models_dir()


@lru_cache(maxsize=4)
def shared_encoder(
    model_path: str | None = None, models_dir: str | None = None, dtype: EncoderDtype = "float32"
) -> SentenceEncoder:
    """The backbone at ``model_path`` (default: the installed package) with the fine-tuned layers
    that the heads in ``models_dir`` were trained on, so embeddings and heads always match."""
    folder = _folder(models_dir)
    encoder = SentenceEncoder(
        model_path=Path(model_path) if model_path else None, tuned_layers=tuned_layers_in(folder), dtype=dtype
    )
    heads = shared_heads(models_dir)
    if heads.backbone_sha256 and encoder.backbone_sha256 != heads.backbone_sha256:
        raise ValueError(
            f"{folder}: the heads were trained on a backbone whose weights have SHA-256 "
            f"{heads.backbone_sha256[:12]}..., but the backbone at {encoder.backbone_path} has "
            f"{encoder.backbone_sha256[:12]}...; set backbone_path to the backbone they were trained on, "
            "or train heads for this one (models/train_heads.py --backbone)"
        )
    expected = heads.encoder_fingerprint
    if encoder.fingerprint != expected:
        # Heads read one embedding space; another encoder's vectors would give confident nonsense.
        found = f"fine-tuned layers {encoder.fingerprint[:12]}" if encoder.fingerprint else "no fine-tuned layers"
        wanted = f"fine-tuned layers {expected[:12]}" if expected else "the backbone as shipped"
        raise ValueError(
            f"{folder}: the heads were trained on {wanted}, but the folder has {found}; "
            "rerun models/train_heads.py (after models/finetune_encoder.py) so they match"
        )
    return encoder


@lru_cache(maxsize=4)
def shared_heads(models_dir: str | None = None) -> ModelHeads:
    return ModelHeads.from_disk(_folder(models_dir))


def _same_encoder_as_heads(models_dir: str | None, fingerprint: str, what: str) -> None:
    """Support examples embedded by another encoder than the heads' would give meaningless margins."""
    if fingerprint != shared_heads(models_dir).encoder_fingerprint:
        raise ValueError(
            f"{_folder(models_dir)}: the {what} and the heads were embedded with different encoders; "
            "rerun models/train_heads.py"
        )


@lru_cache(maxsize=4)
def shared_support(models_dir: str | None = None) -> SupportSet:
    support = SupportSet.from_disk(_folder(models_dir))
    _same_encoder_as_heads(models_dir, support.encoder_fingerprint, "support set")
    return support


@lru_cache(maxsize=4)
def shared_interest_support(models_dir: str | None = None) -> InterestSupport:
    support = InterestSupport.from_disk(_folder(models_dir))
    _same_encoder_as_heads(models_dir, support.encoder_fingerprint, "interest support set")
    return support


@lru_cache(maxsize=4)
def shared_lexical(models_dir: str | None = None) -> LexicalCheck:
    return LexicalCheck.from_disk(_folder(models_dir))


@lru_cache(maxsize=4)
def shared_rules(path: str | None = None) -> ProtectedRules:
    return ProtectedRules.from_disk(path) if path else ProtectedRules.default()


@lru_cache(maxsize=4)
def shared_taxonomy(path: str | None = None) -> Taxonomy:
    return Taxonomy.from_disk(path) if path else Taxonomy.default()
