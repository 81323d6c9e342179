"""End to end with the real Extractor: the batch run adds nothing to ``Extractor.pipe`` but order,
line numbers in error messages, and the output format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batch_fakes import read_output
from typer.testing import CliRunner

pipeline = pytest.importorskip("extractor.pipeline", reason="the extraction pipeline is not importable")
pytestmark = pytest.mark.slow

LINES = [
    {
        "id": "walk",
        "user_id": "u1",
        "timestamp": "2024-05-01T10:00:00Z",
        "turns": [
            {"speaker": "user", "text": "I'm planning a weekend of trail walking in the hills and need new boots."},
            {"speaker": "assistant", "text": "Look for waterproof boots with good ankle support."},
        ],
    },
    {"id": "eu", "region": "DE", "turns": [{"speaker": "user", "text": "Which espresso grinder should I get?"}]},
    "this line is not JSON",
    {"id": "optout", "consent": False, "turns": [{"speaker": "user", "text": "Suggest a beginner guitar."}]},
    {"id": "empty", "turns": []},
    {
        "id": "cook",
        "user_id": "u2",
        "timestamp": 1_714_557_600,
        "messages": [{"role": "user", "content": "I bake sourdough every weekend; is a cast iron pot worth it?"}],
    },
]


def test_cli_run_with_the_real_extractor_matches_pipe(tmp_path: Path) -> None:
    from extractor.cli import app

    inp = tmp_path / "in.jsonl"
    inp.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in LINES))
    out = tmp_path / "out.parquet"
    done = CliRunner().invoke(app, ["run", str(inp), "-o", str(out), "--audit", str(tmp_path / "audit.json")])
    assert done.exit_code == 0, done.stderr
    got = read_output(out)
    assert [r["id"] for r in got] == ["walk", "eu", None, "optout", "empty", "cook"]
    assert [r["status"] for r in got] == ["ok", "excluded", "error", "excluded", "error", "ok"]
    assert got[2]["error"]["code"] == "invalid_json" and got[2]["error"]["message"].startswith("line 3: ")
    assert "not JSON" not in got[2]["error"]["message"]
    assert got[4]["error"]["message"].startswith("line 5: ")

    direct = [r.to_dict() for r in pipeline.Extractor().pipe(inp.read_bytes().splitlines())]
    for i, (batch, ref) in enumerate(zip(got, direct, strict=True)):
        if ref.get("error"):
            ref["error"]["message"] = f"line {i + 1}: {ref['error']['message']}"
        if not isinstance(ref.get("timestamp"), str | None):
            ref["timestamp"] = json.dumps(ref["timestamp"])  # Parquet output holds timestamps as text
        assert {k: v for k, v in batch.items() if v is not None} == {k: v for k, v in ref.items() if v is not None}
    assert json.loads((tmp_path / "audit.json").read_text())["records"] == "<10"
