"""``extractor explain``: the decision trail for one text or one record of a batch input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_cli_explain_json_shows_why_an_interest_was_dropped() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "extractor", "explain", "--json", "I hate golf but I love tennis."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    reasons = {d["node"]: (d["kept"], d["reason"]) for d in out["decisions"]}
    assert reasons["sports.golf"] == (False, "stance: negated")
    assert reasons["sports.tennis"][0] is True
    assert [i["id"] for i in out["result"]["interests"]] == ["sports.tennis"]
    # every segment carries the gate's whole trail, each list empty for this clean sentence
    trail_keys = (
        "head_verdicts_without_support",
        "withheld_for",
        "head_verdicts_not_backed_by_words",
        "head_verdicts_below_category_margin",
    )
    assert all(seg[key] == [] for seg in out["segments"] for key in trail_keys)


def _explain(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", "explain", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


SWIM_TURNS = (
    {"speaker": "user", "text": "I swim laps at the pool four mornings a week."},
    {"speaker": "assistant", "text": "Nice routine! Are you working on anything?"},
    {"speaker": "user", "text": "My goggles keep leaking at the corners."},
)


def test_cli_explain_record_from_a_jsonl_file(tmp_path: Path) -> None:
    turns = list(SWIM_TURNS)
    path = tmp_path / "in.jsonl"
    path.write_text(
        "{not json\n"
        + json.dumps({"id": "other", "turns": turns[:1]})
        + "\n"
        + json.dumps({"id": "swim", "turns": turns})
        + "\n"
    )
    proc = _explain("--records", str(path), "--id", "swim", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["result"]["id"] == "swim"
    assert {d["turn"] for d in out["decisions"]} >= {0, 2}
    assert "sports.swimming" in [i["id"] for i in out["result"]["interests"]]


def test_cli_explain_record_id_not_in_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "turns": [{"speaker": "user", "text": "Secret words here."}]}) + "\n")
    proc = _explain("--records", str(path), "--id", "b")
    assert proc.returncode == 1
    assert "no record with id 'b'" in proc.stderr
    assert "Secret" not in proc.stderr


def test_cli_explain_invalid_record_names_the_problem_not_the_text(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "turns": [{"text": "Secret words here."}]}) + "\n")
    proc = _explain("--records", str(path), "--id", "a")
    assert proc.returncode == 1
    assert "record 'a': turns[0] has no 'speaker' (missing_field)" in proc.stderr
    assert "Secret" not in proc.stderr


def test_cli_explain_needs_a_text_or_a_record() -> None:
    proc = _explain()
    assert proc.returncode == 2
    assert "give either a TEXT or --records FILE --id ID" in proc.stderr


def _write_parquet_columns(folder: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "in.parquet"
    pq.write_table(
        pa.Table.from_pylist(
            [{"id": "other", "turns": list(SWIM_TURNS[:1])}, {"id": "swim", "turns": list(SWIM_TURNS)}]
        ),
        path,
    )
    return path


def _write_parquet_json_column(folder: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "in.parquet"
    rows = [json.dumps({"id": i, "turns": list(SWIM_TURNS)}) for i in ("other", "swim")]
    pq.write_table(pa.table({"raw": rows, "note": ["x", "y"]}), path)
    return path


def _write_gzipped_jsonl_folder(folder: Path) -> Path:
    import gzip

    (folder / "parts").mkdir()
    for n, record_id in enumerate(("other", "swim")):
        with gzip.open(folder / "parts" / f"part-{n}.jsonl.gz", "wt") as fh:
            fh.write(json.dumps({"id": record_id, "turns": list(SWIM_TURNS)}) + "\n")
    return folder / "parts"


@pytest.mark.parametrize(
    ("write", "extra"),
    [
        (_write_parquet_columns, ()),
        (_write_parquet_json_column, ("--json-column", "raw")),
        (_write_gzipped_jsonl_folder, ()),
    ],
    ids=["parquet-columns", "parquet-json-column", "jsonl-gz-folder"],
)
def test_cli_explain_record_from_any_batch_input(tmp_path: Path, write: Any, extra: tuple[str, ...]) -> None:
    proc = _explain("--records", str(write(tmp_path)), "--id", "swim", *extra, "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["result"]["id"] == "swim"
    assert "sports.swimming" in [i["id"] for i in out["result"]["interests"]]


def test_cli_explain_unknown_input_format_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,text\na,Secret words here.\n")
    proc = _explain("--records", str(path), "--id", "a")
    assert proc.returncode == 1
    assert "cannot tell the format" in proc.stderr
    assert "Secret" not in proc.stderr
