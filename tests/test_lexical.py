"""The lexical check: fitting, storage, the shipped model, and what a verdict it does not back costs in the pipeline."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from safetensors import safe_open
from safetensors.numpy import load_file, save_file

from extractor import Extractor, ExtractorConfig
from extractor.categories import PROTECTED_CATEGORIES
from extractor.heads import default_models_dir
from extractor.lexical import LEXICAL_FILE, LexicalCheck

MODELS = Path(__file__).resolve().parent.parent / "models"
TOY_TEXTS = (
    "my doctor changed my insulin dose",
    "the clinic booked my insulin review",
    "we pray at the temple on sunday",
    "the temple choir sang at the service",
    "i bought new running shoes",
    "the bakery sells sourdough bread",
    "my running club meets on sunday",
    "the bread at the market was great",
)
TOY_LABELS = ("health", "religion")
TOY_Y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [0, 0], [0, 0], [0, 0], [0, 0]], dtype=np.float32)


def _toy(min_df: int = 1) -> LexicalCheck:
    return LexicalCheck.fit(list(TOY_TEXTS), TOY_Y, TOY_LABELS, min_df=min_df)


def test_lexical_scores_words_seen_with_a_label_above_unrelated_ones() -> None:
    probs = _toy().predict(["is insulin covered by the clinic", "new shoes for the running club", "a temple service"])
    assert probs.shape == (3, 2)
    assert probs[0, 0] > 0.5 > probs[1, 0]
    assert probs[2, 1] > 0.5 > probs[1, 1]


def test_lexical_fit_is_deterministic() -> None:
    a, b = _toy(), _toy()
    assert a.vocabulary == b.vocabulary
    np.testing.assert_array_equal(a.coef, b.coef)


def test_lexical_round_trips_through_disk(tmp_path: Path) -> None:
    check = _toy()
    check.to_disk(tmp_path)
    loaded = LexicalCheck.from_disk(tmp_path)
    assert loaded.labels == TOY_LABELS
    texts = ["insulin at the temple", "", "Ünïcode words only"]
    np.testing.assert_array_equal(loaded.predict(texts), check.predict(texts))


def test_lexical_same_fit_gives_the_same_file(tmp_path: Path) -> None:
    _toy().to_disk(tmp_path / "a")
    _toy().to_disk(tmp_path / "b")
    assert (tmp_path / "a" / LEXICAL_FILE).read_bytes() == (tmp_path / "b" / LEXICAL_FILE).read_bytes()


def test_lexical_empty_batch_gives_no_rows() -> None:
    assert _toy().predict([]).shape == (0, 2)


def test_lexical_missing_file_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"train_heads\.py.*protected_lexical_floor"):
        LexicalCheck.from_disk(tmp_path)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("drop_labels", r"'labels' is missing"),
        ("short_idf", r"shapes do not match"),
    ],
)
def test_lexical_damaged_file_says_what_is_wrong(tmp_path: Path, damage: str, message: str) -> None:
    _toy().to_disk(tmp_path)
    file = tmp_path / LEXICAL_FILE
    with safe_open(str(file), framework="numpy") as fh:
        config = json.loads(fh.metadata()["lexical"])
    tensors = load_file(str(file))
    if damage == "drop_labels":
        del config["labels"]
    else:
        tensors["idf"] = tensors["idf"][:-1]
    save_file(tensors, str(file), metadata={"lexical": json.dumps(config)})
    with pytest.raises(ValueError, match=message):
        LexicalCheck.from_disk(tmp_path)


# Disclosures the lexical check must back (probability at or above the shipped floor), or it would
# withhold a barely supported verdict on them; none of these sentences is in the training data.
BACKED = [
    ("I was diagnosed with type 2 diabetes in March and I'm still figuring out my meals.", "health"),
    ("My therapist thinks my panic attacks are getting better.", "health"),
    ("We keep kosher at home, so the recipes need to work without mixing meat and dairy.", "religion"),
    ("I light candles at the mosque every Friday after prayers.", "religion"),
    ("I canvass for the Green Party every weekend before the election.", "politics"),
    ("Honestly the new immigration bill is a disgrace and my senator voted for it.", "politics"),
    ("I came out as bi to my parents last month.", "sexual_orientation"),
    ("My girlfriend and I are both lesbians and we want a venue that is queer-friendly.", "sexual_orientation"),
    ("As a Nigerian immigrant I get asked where I'm really from all the time.", "racial_ethnic_origin"),
    ("My grandparents were Korean and I want to learn more about the culture.", "racial_ethnic_origin"),
    ("I'm an atheist and I don't think morality needs a god.", "philosophical_beliefs"),
    ("I'm a committed vegan because I think killing animals is wrong.", "philosophical_beliefs"),
    ("I'm a shop steward for the teamsters local.", "trade_union_membership"),
]


@pytest.fixture(scope="module")
def shipped() -> LexicalCheck:
    return LexicalCheck.from_disk(default_models_dir())


def test_lexical_shipped_check_covers_every_gate_category(shipped: LexicalCheck) -> None:
    assert set(shipped.labels) == set(PROTECTED_CATEGORIES)


@pytest.mark.parametrize(("text", "category"), BACKED)
def test_lexical_shipped_check_backs_clear_disclosures(shipped: LexicalCheck, text: str, category: str) -> None:
    probs = shipped.predict([text])[0]
    assert probs[shipped.labels.index(category)] >= ExtractorConfig().protected_lexical_floor


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("The Senators lost again last night, what a terrible power play.", "politics"),
        ("Selling my old bike, smoke-free home, pickup only.", "health"),
        ("Our chess club is holding an election for treasurer next week.", "politics"),
    ],
)
def test_lexical_shipped_check_scores_borrowed_words_below_disclosures(
    shipped: LexicalCheck, text: str, category: str
) -> None:
    probs = shipped.predict([text])[0]
    assert probs[shipped.labels.index(category)] < 0.5


# -- in the pipeline (the gate's own decision with it: tests/test_support.py) -----------------------


def test_lexical_veto_taints_the_whole_turn_but_reports_nothing() -> None:
    """A verdict the words do not back keeps the turn out of the evidence, as a reported one would."""
    text = "My wife grew up speaking Tigrinya and I miss her family's cooking. Any good cookbook for Ethiopian stews?"
    # Every head verdict supported but inside the band, and no word probability reaches the floor.
    vetoing = Extractor(
        config=ExtractorConfig(protected_support_margin=-1.0, protected_lexical_band=1.0, protected_lexical_floor=1.0)
    )
    trusting = Extractor(config=ExtractorConfig(protected_support_margin=-1.0, protected_lexical_floor=None))
    result, segments, _ = vetoing.explain(text)
    assert "racial_ethnic_origin" in segments[0].protected_unbacked
    assert vetoing.protected_categories(text) == set()
    assert not result.interests  # the second sentence is in the same turn: not evidence
    assert "racial_ethnic_origin" in trusting.protected_categories(text)
    assert not trusting.explain(text)[0].interests
    assert "unbacked" not in json.dumps(result.to_dict())


def test_lexical_shipped_check_is_what_train_heads_fits(shipped: LexicalCheck) -> None:
    """The shipped file is the fit of today's training data: a training line edited without rerunning
    ``models/train_heads.py`` fails here (the heads need the backbone to check; this one does not)."""
    spec = importlib.util.spec_from_file_location("train_heads", MODELS / "train_heads.py")
    assert spec is not None and spec.loader is not None
    train_heads = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_heads)
    interest_rows, protected_rows = train_heads.read_training_data(MODELS / "training_data")
    texts, y = train_heads.protected_targets(protected_rows, interest_rows, list(PROTECTED_CATEGORIES))
    fitted = LexicalCheck.fit(texts, y, PROTECTED_CATEGORIES, **train_heads.LEXICAL_PARAMS)
    assert fitted.vocabulary == shipped.vocabulary
    # The solver's float sums differ across CPUs (an AMX/AVX-512 machine refits up to 1.6e-4 away);
    # a stale file (any training line added or removed) moves the weights far more than 1e-3.
    np.testing.assert_allclose(fitted.coef, shipped.coef, atol=1e-3)
    np.testing.assert_allclose(fitted.intercept, shipped.intercept, atol=1e-3)
