"""The pipeline runs with the network blocked: no model, tokenizer or data is fetched at run time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = textwrap.dedent(
    """
    import json, socket, sys

    attempts = []

    def blocked(*args, **kwargs):
        attempts.append(repr(args[:1]))
        raise OSError("network access blocked by test")

    socket.socket.connect = blocked
    socket.socket.connect_ex = blocked
    socket.create_connection = blocked
    socket.getaddrinfo = blocked

    from extractor import Extractor

    ex = Extractor()
    res = ex.extract({"id": "n1", "region": "US", "turns": [
        {"speaker": "user", "text": "I've been getting into long-distance walking on mountain trails."},
        {"speaker": "user", "text": "Call me on +1 415 555 0100 about it."}]})
    cats = sorted(ex.protected_categories("I was just diagnosed with diabetes"))
    print(json.dumps({"result": res.to_dict(), "categories": cats, "attempts": attempts}))
    """
)


def test_pipeline_runs_with_network_blocked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env["HF_HOME"] = str(tmp_path / "hf-home")  # an empty cache: nothing can come from there either
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["attempts"] == []
    assert out["result"]["status"] == "ok"
    assert out["result"]["interests"], "the pipeline must still find interests offline"
    assert out["categories"] == ["health"]
