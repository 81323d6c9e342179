"""Evaluation files of benchmarks/eval_data.py: finding a split's files and validating their records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchmarks import eval_data as ed

TOPICS = ("sports", "music", "travel")
CATEGORIES = ("health", "religion", "politics")
SECRET = "my chemotherapy starts on Monday"  # stands for record text: it must never reach an error


def _conv(rid: str, **over: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "turns": [{"speaker": "speaker_a", "text": "We hiked the ridge."}],
        "labels": {"topics": ["sports"]},
        **over,
    }


def _text(rid: str, group: str, categories: list[str], text: str = "A plain sentence.") -> dict[str, Any]:
    return {
        "id": rid,
        "turns": [{"speaker": "user", "text": text}],
        "labels": {"sensitive": categories},
        "group": group,
    }


def _write(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


def _read(path: Path, kind: str = "conversations") -> list[dict[str, Any]]:
    return ed.read_records(path, kind=kind, topics=TOPICS, categories=CATEGORIES)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (["conversations_dev.jsonl", "conversations_test.jsonl"], "conversations_dev.jsonl"),
        (["conversations_heldout.jsonl", "sensitive_heldout.jsonl"], "conversations_heldout.jsonl"),
        (["sensitive_dev.jsonl"], None),
        ([], None),
    ],
)
def test_eval_data_find_file_prefers_dev_then_the_only_split(
    tmp_path: Path, files: list[str], expected: str | None
) -> None:
    for name in files:
        (tmp_path / name).write_text("", encoding="utf-8")
    found = ed.find_file(tmp_path, "conversations")
    assert (found.name if found else None) == expected


def test_eval_data_find_file_several_splits_without_dev_is_an_error(tmp_path: Path) -> None:
    for name in ("conversations_test.jsonl", "conversations_heldout.jsonl"):
        (tmp_path / name).write_text("", encoding="utf-8")
    with pytest.raises(ed.EvalDataError, match=r"several conversations files.*--conversations"):
        ed.find_file(tmp_path, "conversations")


def test_eval_data_read_records_fills_defaults_and_keeps_extra_fields(tmp_path: Path) -> None:
    path = _write(tmp_path / "conversations_x.jsonl", [_conv("c1", meta={"note": "kept"}), "", _conv("c2")])
    records = _read(path)
    assert [r["id"] for r in records] == ["c1", "c2"]
    assert records[0]["source"] == "unknown" and records[0]["original_label"] == ""
    assert records[0]["labels"] == {"topics": ["sports"], "sensitive": []}
    assert records[0]["meta"] == {"note": "kept"}


def test_eval_data_read_records_accepts_sensitive_and_control_texts(tmp_path: Path) -> None:
    path = _write(tmp_path / "sensitive_x.jsonl", [_text("s1", "sensitive", ["health"]), _text("k1", "control", [])])
    assert [r["group"] for r in _read(path, "sensitive")] == ["sensitive", "control"]


@pytest.mark.parametrize(
    ("row", "kind", "problem"),
    [
        ("{not json", "conversations", "not valid JSON"),
        ("[1, 2]", "conversations", "expected a JSON object, got list"),
        ({"turns": [{"speaker": "user", "text": SECRET}]}, "conversations", "id: Field required"),
        (_conv("c9", turns=[]), "conversations", "turns: List should have at least 1 item"),
        (
            _conv("c9", turns=[{"speaker": "user", "text": 7}]),
            "conversations",
            "turns.0.text: Input should be a valid string",
        ),
        (
            _conv("c9", labels={"topics": ["knitting"]}),
            "conversations",
            "labels.topics: not in the coarse topic vocabulary: ['knitting']",
        ),
        (
            _text("s9", "sensitive", ["astrology"], SECRET),
            "sensitive",
            "labels.sensitive: not a protected category: ['astrology']",
        ),
        (_text("s9", "sensitive", [], SECRET), "sensitive", "needs at least one category in labels.sensitive"),
        (_text("s9", "control", ["health"], SECRET), "sensitive", "must have no labels.sensitive categories"),
        (_text("s9", "bystander", [], SECRET), "sensitive", "group: Input should be 'sensitive' or 'control'"),
        ({k: v for k, v in _text("s9", "control", [], SECRET).items() if k != "group"}, "sensitive", "group: required"),
    ],
)
def test_eval_data_bad_record_names_file_line_and_field_never_text(
    tmp_path: Path, row: Any, kind: str, problem: str
) -> None:
    good = _conv("ok") if kind == "conversations" else _text("ok", "control", [])
    path = _write(tmp_path / f"{kind}_x.jsonl", [good, row])
    with pytest.raises(ed.EvalDataError) as err:
        _read(path, kind)
    message = str(err.value)
    assert f"{kind}_x.jsonl line 2" in message
    assert problem in message
    assert "nothing was scored" in message
    assert SECRET not in message and "hiked" not in message


def test_eval_data_bad_record_message_names_the_record_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "conversations_x.jsonl", [_conv("conv-17", labels={"topics": ["knitting"]})])
    with pytest.raises(ed.EvalDataError, match=r"line 1 \(record 'conv-17'\)"):
        _read(path)


def test_eval_data_every_bad_record_is_listed_not_only_the_first(tmp_path: Path) -> None:
    rows = [_conv("a", turns=[]), _conv("b"), _conv("c", labels={"topics": ["knitting"]}), _conv("b")]
    path = _write(tmp_path / "conversations_x.jsonl", rows)
    with pytest.raises(ed.EvalDataError) as err:
        _read(path)
    message = str(err.value)
    assert "3 bad record(s)" in message
    assert "line 1 (record 'a')" in message
    assert "line 3 (record 'c')" in message
    assert "line 4 (record 'b'): id also used on line 2" in message


def test_eval_data_long_error_lists_are_cut_with_a_count(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "conversations_x.jsonl", [_conv(f"c{i}", turns=[]) for i in range(ed.MAX_LISTED_ERRORS + 5)]
    )
    with pytest.raises(ed.EvalDataError, match=r"\.\.\. and 5 more"):
        _read(path)


def test_eval_data_dev_files_validate_when_present() -> None:
    """The shipped vocabularies cover every label of the dev split (skipped without ../shared/eval)."""
    from benchmarks import quality as q
    from extractor.categories import PROTECTED_CATEGORIES

    topics = q.CoarseMap.from_disk().topics
    for kind in ed.KINDS:
        path = ed.find_file(q.DEFAULT_EVAL_DIR, kind) if q.DEFAULT_EVAL_DIR.is_dir() else None
        if path is None:
            pytest.skip("no dev evaluation data")
        assert ed.read_records(path, kind=kind, topics=topics, categories=PROTECTED_CATEGORIES)
