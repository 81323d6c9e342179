"""benchmarks/gate_replay.py: replaying the protected gate's decision gives what the gate itself gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import gate_replay as gr
from extractor import Extractor, ExtractorConfig

# Our own texts: disclosures, borrowed words, a lookalike, a long mixed sentence (clause pass), a
# multi-sentence post, and plain requests.
TEXTS = [
    "I was diagnosed with type 2 diabetes last spring, any tips for meal prep?",
    "We pray at the mosque every Friday, so weekend trips have to start Saturday.",
    "Oh well, I suppose we must have faith in the bullpen this year.",
    "Our chess club holds a contested election for treasurer next week.",
    "Looking for a Christian Dior perfume gift set under 100 dollars.",
    "I love baking sourdough on weekends and honestly I have been sober for two years now, so no wine pairings.",
    "The senators voted the tax bill down again. Taxpayers will be stuck with the bill forever.",
    "Can you recommend a lightweight tent for two people?",
    "My boyfriend and I are looking for a gay-friendly hotel in Lisbon.",
    "",
    "The legislature keeps cutting school funding while handing out stadium subsidies.",
    "Honestly, eating meat is no better than poaching, and I say that at every barbecue.",
    "Growing up Korean in a small town meant comments about my lunchbox every day.",
    "The waiting period for a handgun here is fifteen days, plus fingerprints.",
]


@pytest.fixture(scope="module")
def gate(extractor: Extractor) -> gr.GateReadings:
    return gr.GateReadings.read(extractor, TEXTS, batch_size=4)  # several batches


def test_gate_replay_shipped_settings_give_protected_categories(extractor: Extractor, gate: gr.GateReadings) -> None:
    assert gate.decide({}, len(TEXTS)) == [extractor.protected_categories(t) for t in TEXTS]


@pytest.mark.parametrize(
    "settings",
    [
        {"protected_support_margin": 0.3},
        {"protected_support_margin": -0.1, "protected_lexical_floor": None},
        {"protected_lexical_floor": 0.99, "protected_lexical_band": 1.0},
        {"protected_threshold": 0.99, "protected_clause_threshold": 0.999},
        {"protected_support_margin": None, "protected_clause_support_margin": None},
        {"protected_category_support_margins": {"politics": 0.5, "religion": 0.5}},
    ],
)
def test_gate_replay_other_settings_give_what_that_configuration_gives(
    gate: gr.GateReadings, settings: dict[str, Any]
) -> None:
    configured = Extractor(config=ExtractorConfig(**settings))
    replayed = gate.decide(settings, len(TEXTS))
    assert replayed == [configured.protected_categories(t) for t in TEXTS]
    assert replayed != gate.decide({}, len(TEXTS))  # each setting changes some text's categories


def test_gate_replay_leaves_no_state_between_settings(gate: gr.GateReadings) -> None:
    first = gate.decide({}, len(TEXTS))
    gate.decide({"protected_support_margin": None, "protected_threshold": 0.1}, len(TEXTS))
    assert gate.decide({}, len(TEXTS)) == first


def test_gate_replay_sweep_is_every_combination() -> None:
    combos = gr.parse_sweep(["protected_support_margin=0,0.02", "protected_lexical_floor=null,0.1,0.3"])
    assert len(combos) == 6
    assert {"protected_support_margin": 0.02, "protected_lexical_floor": None} in combos


def test_gate_replay_sweep_reads_category_margins_as_json() -> None:
    combos = gr.parse_sweep(['protected_category_support_margins={},{"philosophical_beliefs":0.03}'])
    assert combos == [
        {"protected_category_support_margins": {}},
        {"protected_category_support_margins": {"philosophical_beliefs": 0.03}},
    ]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("protected_support_margin", "expected KEY=V1,V2"),
        ("interest_threshold=0.5", "not a gate decision setting"),
        ("protected_threshold=1.5", "less than or equal to 1"),
        ("protected_threshold=high", "Expecting value"),
    ],
)
def test_gate_replay_sweep_rejects_bad_settings(item: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gr.parse_sweep([item])


def test_gate_replay_set_fixes_configuration_for_the_whole_run(tmp_path: Path) -> None:
    record = {"id": "t1", "group": "control", "turns": [{"speaker": "user", "text": "Hi."}]}
    (tmp_path / "sensitive_dev.jsonl").write_text(json.dumps(record) + "\n")
    argv = ["--eval-dir", str(tmp_path), "--label-audit", "", "--set", "encoder_dtype=bfloat16"]
    run = gr.sweeps.Replay.start(argv, description="", parse=gr.parse_sweep, kind="sensitive")
    assert run is not None
    assert run.config.encoder_dtype == "bfloat16" and run.combos == [{}]
    assert [r["id"] for r in run.records] == ["t1"]


@pytest.mark.parametrize("item", ["encoder_dtype=float16", "no_such_field=1", "models_dir"])
def test_gate_replay_set_rejects_bad_configuration(tmp_path: Path, item: str) -> None:
    with pytest.raises(SystemExit) as exc:
        gr.sweeps.Replay.start(
            ["--eval-dir", str(tmp_path), "--set", item], description="", parse=gr.parse_sweep, kind="sensitive"
        )
    assert exc.value.code == 2


def test_gate_replay_reads_another_split_and_refuses_bad_records(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    record = {"id": "t1", "group": "control", "turns": [{"speaker": "user", "text": "Hi."}]}
    path = tmp_path / "sensitive_heldout.jsonl"
    path.write_text(json.dumps(record) + "\n")
    run = gr.sweeps.Replay.start(
        ["--eval-dir", str(tmp_path), "--label-audit", ""], description="", parse=gr.parse_sweep, kind="sensitive"
    )
    assert run is not None and [r["id"] for r in run.records] == ["t1"]
    path.write_text(
        json.dumps(record | {"id": "t2", "group": "sensitive", "labels": {"sensitive": ["astrology"]}}) + "\n"
    )
    with pytest.raises(SystemExit) as exc:
        gr.sweeps.Replay.start(["--eval-dir", str(tmp_path)], description="", parse=gr.parse_sweep, kind="sensitive")
    assert exc.value.code == 2
    assert "line 1 (record 't2'): labels.sensitive: not a protected category" in capsys.readouterr().err
