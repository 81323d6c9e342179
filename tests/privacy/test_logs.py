"""Logs, errors and audits never contain transcript text.

A unique marker is planted in the transcript text of records that take every path through the
pipeline (ok, excluded, protected, PII, malformed JSON, wrong types, unsupported language, an
internal error); with every logger at DEBUG, no log record, error message, stderr line or audit
file may contain it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from extractor import Extractor

MARKER = "zq7xmarkerv93k"
REPO = Path(__file__).resolve().parents[2]


def _turns(*texts: str) -> list[dict[str, str]]:
    return [{"speaker": "user", "text": t} for t in texts]


def _records() -> list[object]:
    """One record per pipeline path, each carrying the marker in its transcript text."""
    m = MARKER
    return [
        {"id": "ok", "region": "US", "turns": _turns(f"I love hiking {m} and trail running shoes.")},
        {"id": "ok-multi", "region": "US", "messages": [
            {"role": "user", "content": f"Which acoustic guitar {m} should I buy?"},
            {"role": "assistant", "content": f"Try a Yamaha {m} FG800."},
            {"role": "user", "content": "That sounds great!"},
        ]},
        {"id": "excluded-region", "region": "DE", "turns": _turns(f"I love cycling {m}.")},
        {"id": "excluded-consent", "region": "US", "consent": False, "turns": _turns(f"I love chess {m}.")},
        {"id": "excluded-minor", "region": "US", "turns": _turns(f"I'm 15 and I love skateboarding {m}.")},
        {"id": "protected", "region": "US", "turns": _turns(f"I was diagnosed with diabetes {m}, want new shoes.")},
        {"id": "pii", "region": "US", "turns": _turns(f"Email {m}@example.com about road bikes, I'm Dana {m}.")},
        {"id": "unsupported", "region": "US", "turns": _turns(f"Ik hou echt heel erg van fietsen in de bergen {m}.")},
        f'{{"id": "broken", "turns": [{{"speaker": "user", "text": "hiking {m}"',  # malformed JSON
        json.dumps({"id": "bad-text", "turns": [{"speaker": "user", "text": [m]}]}),
        {"id": "bad-turns", "turns": {"speaker": "user", "text": m}},
        {"id": "bad-speaker", "turns": [{"speaker": 3, "text": f"kayaks {m}"}]},
        {"id": "no-id", "turns": _turns(f"kayaks {m}")},
        {"id": "bad-region", "region": m, "turns": _turns(f"kayaks {m}")},
        {"id": "empty-text", "turns": [{"speaker": "user", "text": "   "}, {"speaker": "user", "text": m}]},
        f"[{json.dumps(m)}]",  # valid JSON, not an object
        ("x" * 64 + m).encode("utf-16"),  # not UTF-8
    ]  # fmt: skip


class _FailingEncoder:
    """An encoder that fails with the transcript text in its message, as a careless library might."""

    def embed(self, sentences: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        raise RuntimeError(f"cannot embed {sentences!r}")


@pytest.fixture
def debug_logs() -> Iterator[list[logging.LogRecord]]:
    """Every log record of every logger at DEBUG, formatted as a handler would."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            self.format(record)  # renders message, args and exc_info into the record
            records.append(record)

    root = logging.getLogger()
    handler = Collect(level=logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    old_level = root.level
    old_levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in old_levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name, level in old_levels.items():
            logging.getLogger(name).setLevel(level)


def _log_text(records: list[logging.LogRecord]) -> str:
    parts = []
    for r in records:
        parts.append(r.getMessage())
        parts.append(getattr(r, "exc_text", None) or "")
        parts.append(r.stack_info or "")
    return "\n".join(parts)


def test_marker_never_in_logs_or_errors(extractor: Extractor, debug_logs: list[logging.LogRecord]) -> None:
    records = _records()
    results = list(extractor.pipe(records))
    assert len(results) == len(records)
    statuses = {r.status for r in results}
    assert {"ok", "excluded", "error"} <= statuses
    for result in results:
        if result.error is not None:
            assert MARKER not in result.error.message
            assert MARKER not in result.error.code
        if result.status != "ok":  # errors and exclusions carry no text at all
            assert MARKER not in json.dumps(result.to_dict(), ensure_ascii=False)
    logging.getLogger("extractor.pipeline").debug("capture probe")  # the handler sees extractor's DEBUG records
    assert any(r.getMessage() == "capture probe" for r in debug_logs)
    assert MARKER not in _log_text(debug_logs)


def test_internal_error_path_keeps_text_out(debug_logs: list[logging.LogRecord]) -> None:
    broken = Extractor(encoder=_FailingEncoder())  # type: ignore[arg-type]
    records = [
        {"id": f"r{i}", "region": "US", "turns": _turns(f"I love hiking {MARKER} number {i}.")} for i in range(3)
    ]
    results = list(broken.pipe(records))
    assert [r.status for r in results] == ["error"] * 3
    for result in results:
        assert result.error is not None and result.error.code == "internal_error"
        assert MARKER not in result.error.message
    assert any(r.levelno >= logging.WARNING for r in debug_logs)
    assert MARKER not in _log_text(debug_logs)


def test_cli_debug_run_keeps_text_out(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = []
    for rec in _records():
        if isinstance(rec, bytes):
            continue  # one line of a text file cannot be UTF-16
        lines.append(rec if isinstance(rec, str) else json.dumps(rec))
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, audit = tmp_path / "out.jsonl", tmp_path / "audit.json"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "extractor", "--log-level", "debug", "run", str(src), "-o", str(out),
         "--audit", str(audit)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert MARKER not in proc.stderr
    assert MARKER not in proc.stdout
    assert audit.exists()
    assert MARKER not in audit.read_text(encoding="utf-8")
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(results) == len(lines)
    for result in results:
        assert MARKER not in json.dumps(result.get("error", {}), ensure_ascii=False)
