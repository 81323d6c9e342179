"""benchmarks/compare_predictions.py on hand-made prediction files (no eval data, no models)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import compare_predictions as cp

RUN = {"part": "run", "files": {"conversations": "c.jsonl", "sensitive": "s.jsonl"}, "limit": None, "set": []}


def _conv(rid: str, labels: list[str], topics: list[str]) -> dict[str, Any]:
    return {"part": "conversations", "id": rid, "labels": labels, "topics": topics, "nodes": topics}


def _sens(rid: str, labels: list[str], predicted: list[str]) -> dict[str, Any]:
    return {"part": "sensitive", "id": rid, "labels": labels, "predicted": predicted}


def _ctrl(rid: str, predicted: list[str], hard: bool = False) -> dict[str, Any]:
    return {"part": "controls", "id": rid, "hard_negative": hard, "predicted": predicted}


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _runs(tmp_path: Path, a: list[dict[str, Any]], b: list[dict[str, Any]]) -> tuple[Any, Any]:
    pa, pb = _write(tmp_path / "a.jsonl", [RUN, *a]), _write(tmp_path / "b.jsonl", [RUN, *b])
    return cp.Run.from_disk(pa), cp.Run.from_disk(pb)


def _rows(result: dict[str, Any]) -> dict[str, Any]:
    return {r.figure: r for r in result["rows"]}


def test_compare_predictions_topic_changes_in_both_directions(tmp_path: Path) -> None:
    a = [_conv("c1", ["music"], ["music"]), _conv("c2", ["sports"], ["travel"]), _conv("c3", ["books"], [])]
    b = [_conv("c1", ["music"], []), _conv("c2", ["sports"], ["sports"]), _conv("c3", ["books"], ["books", "movies"])]
    rows = _rows(cp.compare(*_runs(tmp_path, a, b)))
    recall = rows["topics micro recall"]
    assert (recall.a, recall.b) == (pytest.approx(1 / 3), pytest.approx(2 / 3))
    assert recall.better == [("c2", "sports"), ("c3", "books")]
    assert recall.worse == [("c1", "music")]
    precision = rows["topics micro precision"]
    assert precision.better == [("c2", "travel")]
    assert precision.worse == [("c3", "movies")]
    assert rows["topics micro f1"].p_value is None  # pooled outcomes: the interval is the test


def test_compare_predictions_protected_and_controls(tmp_path: Path) -> None:
    a = [_sens("s1", ["health"], []), _sens("s2", ["health"], ["health"]), _sens("s3", ["religion"], ["religion"])]
    a += [_ctrl("k1", ["politics"]), _ctrl("k2", []), _ctrl("h1", [], hard=True)]
    b = [_sens("s1", ["health"], ["health"]), _sens("s2", ["health"], ["health"]), _sens("s3", ["religion"], [])]
    b += [_ctrl("k1", []), _ctrl("k2", ["health"]), _ctrl("h1", ["religion"], hard=True)]
    rows = _rows(cp.compare(*_runs(tmp_path, a, b)))
    health = rows["protected recall, health"]
    assert (health.a, health.b, health.better, health.worse) == (0.5, 1.0, [("s1", "health")], [])
    assert rows["protected recall, religion"].worse == [("s3", "religion")]
    assert rows["protected mean recall"].a == pytest.approx(0.75)
    assert rows["protected mean recall"].b == pytest.approx(0.5)
    ordinary = rows["false-positive rate, ordinary controls"]
    assert (ordinary.better, ordinary.worse) == ([("k1", "cleared")], [("k2", "flagged")])
    assert rows["false-positive rate, hard negatives"].worse == [("h1", "flagged")]


def test_compare_predictions_p_value_separates_a_lopsided_change_from_noise(tmp_path: Path) -> None:
    a = [_sens(f"s{i}", ["politics"], []) for i in range(12)]
    b = [_sens(f"s{i}", ["politics"], ["politics"] if i < 10 else []) for i in range(12)]
    lopsided = _rows(cp.compare(*_runs(tmp_path, a, b)))["protected recall, politics"]
    assert lopsided.p_value == pytest.approx(2 * 0.5**10)
    b_mixed = [_sens(f"s{i}", ["politics"], ["politics"] if i < 2 else []) for i in range(12)]
    a_mixed = [_sens(f"s{i}", ["politics"], ["politics"] if 2 <= i < 4 else []) for i in range(12)]
    even = _rows(cp.compare(*_runs(tmp_path, a_mixed, b_mixed)))["protected recall, politics"]
    assert even.p_value == pytest.approx(1.0)


def test_compare_predictions_counts_changed_outputs_labelled_or_not(tmp_path: Path) -> None:
    a = [_conv("c1", [], ["music"]), _conv("c2", ["sports"], ["sports"])]
    b = [_conv("c1", [], ["movies"]), _conv("c2", ["sports"], ["sports"])]
    result = cp.compare(*_runs(tmp_path, a, b))
    assert result["conversations"] == {"compared": 2, "outputs_changed": 1, "changed_ids": ["c1"]}


@pytest.mark.parametrize(
    ("a", "b", "problem"),
    [
        ([_sens("s1", ["health"], [])], [_sens("s2", ["health"], [])], "1 record(s) only in a, 1 only in b"),
        ([_sens("s1", ["health"], [])], [_sens("s1", ["religion"], [])], "labelled differently"),
        ([_ctrl("k1", [])], [_ctrl("k1", [], hard=True)], "labelled differently"),
        ([_ctrl("k1", []), _ctrl("k1", [])], [_ctrl("k1", [])], "appears twice"),
        ([{"part": "verdicts", "id": "x"}], [], "not a quality.py --predictions line"),
    ],
)
def test_compare_predictions_refuses_runs_over_different_records(
    tmp_path: Path, a: list[dict[str, Any]], b: list[dict[str, Any]], problem: str
) -> None:
    with pytest.raises(cp.PredictionsError) as err:
        cp.compare(*_runs(tmp_path, a, b))
    assert problem in str(err.value)


def test_compare_predictions_needs_the_run_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", [_sens("s1", ["health"], [])])
    with pytest.raises(cp.PredictionsError, match="no run line"):
        cp.Run.from_disk(path)


def test_compare_predictions_main_prints_table_ids_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pa = _write(tmp_path / "a.jsonl", [RUN, _sens("s1", ["health"], []), _ctrl("k1", [])])
    pb = _write(tmp_path / "b.jsonl", [RUN, _sens("s1", ["health"], ["health"]), _ctrl("k1", [])])
    out = tmp_path / "cmp.json"
    assert cp.main([str(pa), str(pb), "--names", "shipped", "retrained", "--ids", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "retrained against shipped" in printed
    assert "protected recall, health, texts found: s1 (health)" in printed
    doc = json.loads(out.read_text(encoding="utf-8"))
    health = next(r for r in doc["rows"] if r["figure"] == "protected recall, health")
    assert health["difference"] == 1.0 and health["texts found"] == ["s1"] and health["p_value"] == 1.0


def test_compare_predictions_main_exits_2_on_unusable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pa = _write(tmp_path / "a.jsonl", [RUN, _sens("s1", ["health"], [])])
    assert cp.main([str(pa), str(tmp_path / "absent.jsonl")]) == 2
    assert "error" in capsys.readouterr().out
