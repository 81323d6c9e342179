"""``extractor explain``: the decision trail for one text, as JSON."""

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
