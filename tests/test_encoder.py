"""The sentence encoder: fine-tuned top layers over the shipped backbone, and the checks that keep
heads, support sets and encoder from drifting apart.

The layers used here are made in the test (the backbone's own last layer, slightly scaled), so the
tests do not depend on which layers, if any, the project ships.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from safetensors.torch import load_file, save_file

from extractor import Extractor, ExtractorConfig
from extractor.encoder import (
    TUNED_LAYERS_FILE,
    SentenceEncoder,
    backbone_weights_file,
    default_backbone_path,
    file_sha256,
    tuned_layers_in,
    tuned_layers_metadata,
)
from extractor.heads import ModelHeads, default_models_dir
from extractor.resources import shared_encoder, shared_interest_support, shared_support
from extractor.support import InterestSupport, SupportSet

SHIPPED = default_models_dir()
SENTENCES = ["I'm training for my first marathon.", "Congress passed the budget bill last night."]


@pytest.fixture(scope="module")
def tuned_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid tuned-layers file: the backbone's last layer with its output projection scaled by 1.1."""
    from transformers import AutoModel

    backbone = default_backbone_path()
    model = AutoModel.from_pretrained(str(backbone), local_files_only=True, use_safetensors=True)
    last = f"encoder.layer.{model.config.num_hidden_layers - 1}."
    state = {k: v.detach().clone().half() for k, v in model.state_dict().items() if k.startswith(last)}
    state[f"{last}output.dense.weight"] = state[f"{last}output.dense.weight"] * 1.1
    file = tmp_path_factory.mktemp("tuned") / TUNED_LAYERS_FILE
    metadata = {
        "backbone_sha256": file_sha256(backbone_weights_file(backbone)),
        "tensors": json.dumps(sorted(state)),
        "training": json.dumps({"layers": 1}),
    }
    save_file(state, str(file), metadata=metadata)
    return file


def _models_dir(tmp: Path, *, heads_fp: str, support_fp: str, tuned: Path | None) -> Path:
    heads = ModelHeads.from_disk(SHIPPED)
    ModelHeads(heads.interest, heads.protected, heads.intent, encoder_fingerprint=heads_fp).to_disk(tmp)
    support = SupportSet.from_disk(SHIPPED)
    SupportSet(
        positives=support.positives, negatives=support.negatives, k=support.k, encoder_fingerprint=support_fp
    ).to_disk(tmp)
    interest = InterestSupport.from_disk(SHIPPED)
    InterestSupport(
        examples=interest.examples,
        members=interest.members,
        negatives=interest.negatives,
        k=interest.k,
        encoder_fingerprint=support_fp,
    ).to_disk(tmp)
    if tuned is not None:
        shutil.copy(tuned, tmp / TUNED_LAYERS_FILE)
    return tmp


def test_encoder_tuned_layers_change_embeddings_deterministically(tuned_file: Path) -> None:
    plain = SentenceEncoder().embed(SENTENCES)
    tuned_a = SentenceEncoder(tuned_layers=tuned_file).embed(SENTENCES)
    tuned_b = SentenceEncoder(tuned_layers=tuned_file).embed(SENTENCES)
    np.testing.assert_array_equal(tuned_a, tuned_b)
    np.testing.assert_allclose(np.linalg.norm(tuned_a, axis=1), 1.0, atol=1e-5)
    assert not np.allclose(plain, tuned_a, atol=1e-3)


def _rewrite(src: Path, dst: Path, *, metadata: dict[str, str] | None = None, extra: bool = False) -> Path:
    tensors = load_file(str(src))
    meta = {**tuned_layers_metadata(src), **(metadata or {})}
    if extra:
        tensors["encoder.layer.99.output.dense.weight"] = next(iter(tensors.values())).clone()
        meta["tensors"] = json.dumps(sorted(tensors))
    save_file(tensors, str(dst), metadata=meta)
    return dst


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"metadata": {"backbone_sha256": "0" * 64}}, r"fine-tuned from a backbone with SHA-256 0000"),
        ({"metadata": {"backbone_sha256": ""}}, r"\(unrecorded\)"),
        ({"extra": True}, r"tensors the backbone does not have"),
        ({"metadata": {"tensors": "[]"}}, r"damaged"),
    ],
)
def test_encoder_tuned_layers_refuse_a_mismatched_file(
    tmp_path: Path, tuned_file: Path, change: dict, message: str
) -> None:
    bad = _rewrite(tuned_file, tmp_path / TUNED_LAYERS_FILE, **change)
    with pytest.raises(ValueError, match=message):
        SentenceEncoder(tuned_layers=bad).embed(SENTENCES)


def test_encoder_fingerprint_is_the_tuned_file_hash(tuned_file: Path) -> None:
    assert SentenceEncoder().fingerprint == ""
    assert SentenceEncoder(tuned_layers=tuned_file).fingerprint == file_sha256(tuned_file)
    assert tuned_layers_in(tuned_file.parent) == tuned_file


def test_resources_load_a_consistent_folder(tmp_path: Path, tuned_file: Path) -> None:
    fp = file_sha256(tuned_file)
    folder = _models_dir(tmp_path, heads_fp=fp, support_fp=fp, tuned=tuned_file)
    encoder = shared_encoder(None, str(folder))
    assert encoder.fingerprint == fp
    assert shared_support(str(folder)).encoder_fingerprint == fp
    assert shared_interest_support(str(folder)).encoder_fingerprint == fp


def test_resources_refuse_heads_without_their_tuned_layers(tmp_path: Path, tuned_file: Path) -> None:
    fp = file_sha256(tuned_file)
    folder = _models_dir(tmp_path, heads_fp=fp, support_fp=fp, tuned=None)
    with pytest.raises(ValueError, match=r"heads were trained on fine-tuned layers \w+, but the folder has no fine"):
        shared_encoder(None, str(folder))


def test_resources_refuse_tuned_layers_the_heads_were_not_trained_on(tmp_path: Path, tuned_file: Path) -> None:
    folder = _models_dir(tmp_path, heads_fp="", support_fp="", tuned=tuned_file)
    with pytest.raises(ValueError, match="trained on the backbone as shipped"):
        shared_encoder(None, str(folder))


def test_resources_refuse_a_support_set_from_another_encoder(tmp_path: Path, tuned_file: Path) -> None:
    fp = file_sha256(tuned_file)
    folder = _models_dir(tmp_path, heads_fp=fp, support_fp="", tuned=tuned_file)
    with pytest.raises(ValueError, match="support set and the heads were embedded with different encoders"):
        shared_support(str(folder))
    with pytest.raises(ValueError, match="interest support set and the heads were embedded with different encoders"):
        shared_interest_support(str(folder))


def test_heads_round_trip_their_encoder_fingerprint(tmp_path: Path) -> None:
    heads = ModelHeads.from_disk(SHIPPED)
    ModelHeads(heads.interest, heads.protected, heads.intent, encoder_fingerprint="ab" * 32).to_disk(tmp_path)
    assert ModelHeads.from_disk(tmp_path).encoder_fingerprint == "ab" * 32


# A run-on chat message (no full stops) longer than the encoder's 128-token window.
RUN_ON = " and ".join(f"we hiked to the {n} lake and set up camp by the water" for n in ("first", "next", "last") * 4)


def test_encoder_windows_leave_a_short_text_whole() -> None:
    encoder = shared_encoder()
    assert encoder.windows(SENTENCES[0]) == [SENTENCES[0]]


def test_encoder_windows_cover_a_long_text_in_overlapping_pieces() -> None:
    encoder = shared_encoder()
    pieces = encoder.windows(RUN_ON)
    assert len(pieces) > 1
    assert RUN_ON.startswith(pieces[0]) and RUN_ON.endswith(pieces[-1])
    starts = [RUN_ON.index(p) for p in pieces]  # each piece is a stretch of the text, in order
    ends = [s + len(p) for s, p in zip(starts, pieces, strict=True)]
    assert starts == sorted(starts)
    assert all(nxt < end for nxt, end in zip(starts[1:], ends, strict=False))  # consecutive pieces overlap
    tokenizer = encoder._tokenizer
    assert tokenizer is not None
    assert all(len(tokenizer(p)["input_ids"]) <= encoder.max_length for p in pieces)


def _fake_backbone(folder: Path, *, hidden_size: int, weights: bytes) -> Path:
    """A backbone folder whose config and weights file differ from the installed MiniLM's (not loadable)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps({"model_type": "mpnet", "hidden_size": hidden_size}))
    (folder / "model.safetensors").write_bytes(weights)
    return folder


def test_encoder_dim_is_the_backbones_hidden_size(tmp_path: Path) -> None:
    assert SentenceEncoder().dim == 384
    assert SentenceEncoder().embed([]).shape == (0, 384)
    other = SentenceEncoder(model_path=_fake_backbone(tmp_path / "wide", hidden_size=768, weights=b"x"))
    # Read from config.json alone: the weights (here not a model at all) are never loaded for it.
    assert other.dim == 768
    assert other.embed([]).shape == (0, 768)


def test_encoder_dim_names_a_folder_without_a_config(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"config\.json: not a readable transformer config"):
        _ = SentenceEncoder(model_path=tmp_path).dim


def test_encoder_backbone_sha256_is_the_weights_file_hash(tmp_path: Path) -> None:
    installed = SentenceEncoder()
    assert installed.backbone_sha256 == file_sha256(backbone_weights_file(default_backbone_path()))
    other = SentenceEncoder(model_path=_fake_backbone(tmp_path / "b", hidden_size=384, weights=b"other weights"))
    assert other.backbone_sha256 == hashlib.sha256(b"other weights").hexdigest()


def test_heads_round_trip_their_backbone_sha256(tmp_path: Path) -> None:
    heads = ModelHeads.from_disk(SHIPPED)
    replace(heads, backbone_sha256="cd" * 32).to_disk(tmp_path)
    assert ModelHeads.from_disk(tmp_path).backbone_sha256 == "cd" * 32


def test_shipped_heads_record_the_installed_backbone() -> None:
    assert ModelHeads.from_disk(SHIPPED).backbone_sha256 == SentenceEncoder().backbone_sha256


def test_resources_refuse_a_backbone_the_heads_were_not_trained_on(tmp_path: Path) -> None:
    # Same width, other weights: without the check its vectors would go through the heads unnoticed.
    other = _fake_backbone(tmp_path / "other", hidden_size=384, weights=b"not MiniLM")
    with pytest.raises(ValueError, match=r"trained on a backbone whose weights have SHA-256 53aa51172d14\.\.\., but"):
        shared_encoder(str(other), None)


def test_resources_accept_heads_from_before_the_backbone_was_recorded(tmp_path: Path) -> None:
    folder = _models_dir(tmp_path, heads_fp="", support_fp="", tuned=None)
    assert ModelHeads.from_disk(folder).backbone_sha256 == ""
    assert shared_encoder(None, str(folder)).backbone_sha256 == SentenceEncoder().backbone_sha256


def test_extractor_backbone_path_reaches_every_encoder_user(tmp_path: Path) -> None:
    other = _fake_backbone(tmp_path / "other", hidden_size=384, weights=b"not MiniLM")
    ex = Extractor(config=ExtractorConfig(backbone_path=other))
    assert ex.nlp.get_pipe("ise_encoder").model_path == str(other)
    assert ex.nlp.get_pipe("ise_protected").model_path == str(other)
    with pytest.raises(ValueError, match="set backbone_path to the backbone they were trained on"):
        ex.protected_categories("I go to church every Sunday.")


def test_encoder_bfloat16_vectors_are_float32_close_to_float32_and_repeatable() -> None:
    full = SentenceEncoder().embed(SENTENCES)
    half = SentenceEncoder(dtype="bfloat16").embed(SENTENCES)
    assert half.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    assert ((full * half).sum(1) > 0.999).all()
    np.testing.assert_array_equal(half, SentenceEncoder(dtype="bfloat16").embed(SENTENCES))


def test_encoder_refuses_an_unknown_dtype() -> None:
    with pytest.raises(ValueError, match="dtype must be one of float32, bfloat16, not 'float16'"):
        SentenceEncoder(dtype="float16")  # type: ignore[arg-type]


def test_extractor_encoder_dtype_reaches_every_encoder_user() -> None:
    ex = Extractor(config=ExtractorConfig(encoder_dtype="bfloat16"))
    assert ex.nlp.get_pipe("ise_encoder").dtype == "bfloat16"
    assert ex.nlp.get_pipe("ise_protected").dtype == "bfloat16"
    assert ex.nlp.get_pipe("ise_protected").resolved_encoder().dtype == "bfloat16"
    with pytest.raises(ValueError, match="encoder_dtype"):
        ExtractorConfig(encoder_dtype="float16")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "interest", "protected"),
    [
        ("I'm training for my first marathon and need new running shoes.", "sports.fitness.running", set()),
        ("My husband and I go to Mass every Sunday.", None, {"religion"}),
        ("I was just diagnosed with type 2 diabetes.", None, {"health"}),
    ],
)
def test_extractor_bfloat16_decides_clear_cases_as_float32(text: str, interest: str | None, protected: set) -> None:
    record = {"id": "r", "turns": [{"speaker": "user", "text": text}]}
    for dtype in ("float32", "bfloat16"):
        ex = Extractor(config=ExtractorConfig(encoder_dtype=dtype))
        ids = {i.id for i in ex.extract(record).interests}
        assert (interest in ids) if interest else not ids
        assert ex.protected_categories(text) == protected


# On CPUs with AMX (Sapphire Rapids and later) oneDNN blocks bfloat16 matrix products by batch size,
# so a vector moves by up to ~5e-4 with the batch's size; elsewhere bfloat16 must hold as float32 does.
_AMX = Path("/proc/cpuinfo").exists() and "amx_bf16" in Path("/proc/cpuinfo").read_text()


@pytest.mark.parametrize(
    "dtype",
    [
        "float32",
        pytest.param(
            "bfloat16",
            marks=pytest.mark.xfail(_AMX, reason="AMX bfloat16 kernels depend on the batch size", strict=False),
        ),
    ],
)
def test_encoder_vector_does_not_depend_on_the_rest_of_the_batch(dtype: str) -> None:
    # Sentences of several token lengths; in a padded batch, bfloat16 vectors moved with their neighbours.
    others = [
        "Hi.",
        "Which tent should I take for a week of hiking in the Alps in late September?",
        "I'm a nurse and I work nights, so any podcasts for long drives home would be great.",
        *SENTENCES,
    ]
    encoder = SentenceEncoder(dtype=dtype)  # type: ignore[arg-type]
    alone = np.stack([encoder.embed([s])[0] for s in others])
    # Within float32 rounding (the matrix kernels block by batch size); padded bfloat16 batches were 1e-3 off.
    np.testing.assert_allclose(encoder.embed(others[::-1], batch_size=2)[::-1], alone, rtol=0, atol=1e-6)
    np.testing.assert_allclose(encoder.embed(others * 3, batch_size=64)[: len(others)], alone, rtol=0, atol=1e-6)
