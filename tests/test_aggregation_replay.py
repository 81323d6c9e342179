"""benchmarks/aggregation_replay.py: results rebuilt from docs read once equal the extractor's own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import aggregation_replay as ar
from extractor import Extractor, ExtractorConfig

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "transcripts.jsonl"


@pytest.fixture(scope="module")
def records(extractor: Extractor) -> list[dict[str, Any]]:
    """Our example conversations that the region policy lets through (the replay starts after it)."""
    rows = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r, res in zip(rows, extractor.pipe(rows), strict=True) if res.status == "ok"]


@pytest.fixture(scope="module")
def readings(extractor: Extractor, records: list[dict[str, Any]]) -> ar.ConversationReadings:
    return ar.ConversationReadings.read(extractor, records, batch_size=8)  # several batches


def _dicts(results: Any) -> list[dict[str, Any]]:
    return [r.to_dict() for r in results]


def test_aggregation_replay_shipped_settings_give_the_extractors_results(
    extractor: Extractor, records: list[dict[str, Any]], readings: ar.ConversationReadings
) -> None:
    assert len(records) > 30
    assert _dicts(readings.results({})) == _dicts(extractor.pipe(records))


@pytest.mark.parametrize(
    "settings",
    [
        {"min_relative_mass": 0.05, "side_topic_min_mass": None},
        {"max_interests": 1, "max_evidence": 1},
        {"taint_scope": "conversation"},
        {"long_conversation_segments": 1, "long_chat_fallback": None},
        {"specialize": False},
    ],
)
def test_aggregation_replay_other_settings_give_what_that_configuration_gives(
    records: list[dict[str, Any]], readings: ar.ConversationReadings, settings: dict[str, Any]
) -> None:
    configured = Extractor(config=ExtractorConfig(**settings))
    replayed = _dicts(readings.results(settings))
    assert replayed == _dicts(configured.pipe(records))
    assert replayed != _dicts(readings.results({}))  # each setting changes some conversation's result


def test_aggregation_replay_leaves_no_state_between_settings(readings: ar.ConversationReadings) -> None:
    first = _dicts(readings.results({}))
    readings.results({"taint_scope": "sentence", "min_interest_score": 0.1, "max_interests": 10})
    assert _dicts(readings.results({})) == first


def test_aggregation_replay_refuses_a_setting_the_pipeline_reads(readings: ar.ConversationReadings) -> None:
    with pytest.raises(ValueError, match="not replayable"):
        readings.results({"interest_threshold": 0.5})


def test_aggregation_replay_sweep_is_every_combination() -> None:
    combos = ar.parse_sweep(["min_relative_mass=0.4,0.5", "long_chat_fallback=null,0.8,0.9"])
    assert len(combos) == 6
    assert {"min_relative_mass": 0.5, "long_chat_fallback": None} in combos


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("min_relative_mass", "expected KEY=V1,V2"),
        ("protected_threshold=0.5", "not an aggregation setting"),
        ("min_relative_mass=1.5", "less than or equal to 1"),
        ("max_interests=many", "Expecting value"),
    ],
)
def test_aggregation_replay_sweep_rejects_bad_settings(item: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ar.parse_sweep([item])
