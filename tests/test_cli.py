"""``extractor explain``: the decision trail for one text or one record of a JSONL file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def _explain(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", "explain", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_cli_explain_record_from_a_jsonl_file(tmp_path: Path) -> None:
    turns = [
        {"speaker": "user", "text": "I swim laps at the pool four mornings a week."},
        {"speaker": "assistant", "text": "Nice routine! Are you working on anything?"},
        {"speaker": "user", "text": "My goggles keep leaking at the corners."},
    ]
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
