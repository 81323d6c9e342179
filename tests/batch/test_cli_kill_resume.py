"""The command line: kill -9 in the middle of a run, then --resume, gives the output of a clean run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_fakes import make_fake, read_output, run_cli, write_input
from typer.testing import CliRunner

from extractor.batch.runner import RunOptions, run_batch
from extractor.cli import app

N = 1200
EVERY = 100


def _state(out: Path) -> Path:
    if out.suffix == ".parquet":
        return out.with_name(out.name + ".parts") / "resume.json"
    return Path(f"{out}.resume.json")


def _checkpointed(out: Path) -> int:
    try:
        return int(json.loads(_state(out).read_text())["records"])
    except (OSError, ValueError, KeyError):
        return 0


# .jsonl.gz resumes like .jsonl at the CLI level; its member logic is covered in test_sinks_resume.
@pytest.mark.parametrize("ext", ["jsonl", "parquet"])
def test_kill_9_mid_run_then_resume_equals_a_clean_run(tmp_path: Path, cli_env: dict[str, str], ext: str) -> None:
    inp = write_input(tmp_path / "in.jsonl", N, malformed_every=23)
    clean = tmp_path / f"clean.{ext}"
    run_batch(RunOptions(str(inp), str(clean), checkpoint_every=EVERY, progress=False), make_fake)

    out = tmp_path / f"out.{ext}"
    args = ["run", str(inp), "-o", str(out), "--factory", "batch_fakes:make_fake", "--checkpoint-every", str(EVERY)]
    slow = {**cli_env, "FAKE_EXTRACTOR_DELAY": "0.003"}  # about 4 s for the whole input
    proc = subprocess.Popen([sys.executable, "-m", "extractor", *args, "-q"], env=slow)
    deadline = time.monotonic() + 90
    while _checkpointed(out) < 3 * EVERY and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done = _checkpointed(out)
    assert 3 * EVERY <= done < N, "the run was not interrupted mid-way"

    resumed = run_cli([*args, "--resume"], cli_env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed after {done:,}" in resumed.stderr
    if ext == "parquet":
        assert read_output(out) == read_output(clean)
    assert out.read_bytes() == clean.read_bytes()


def test_cli_exit_codes_and_messages(tmp_path: Path, cli_env: dict[str, str]) -> None:
    inp = write_input(tmp_path / "in.jsonl", 30, malformed_every=7)
    out = tmp_path / "out.jsonl"
    fake = ["--factory", "batch_fakes:make_fake"]
    ok = run_cli(["run", str(inp), "-o", str(out), *fake], cli_env)
    assert ok.returncode == 0, ok.stderr
    assert "30 records" in ok.stderr and "error 4" in ok.stderr
    assert len(read_output(out)) == 30

    runner = CliRunner()
    again = runner.invoke(app, ["run", str(inp), "-o", str(out), *fake])
    assert again.exit_code == 1 and "--resume" in again.stderr

    missing = runner.invoke(app, ["run", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "x.jsonl"), *fake])
    assert missing.exit_code == 1 and "input not found" in missing.stderr

    unwritable = runner.invoke(app, ["run", str(inp), "-o", str(tmp_path / "no" / "x.jsonl"), *fake])
    assert unwritable.exit_code == 1 and "does not exist" in unwritable.stderr

    bad_config = tmp_path / "config.yaml"
    bad_config.write_text("interest_threshold: 7\n")
    invalid = runner.invoke(app, ["run", str(inp), "-o", str(tmp_path / "y.jsonl"), "--config", str(bad_config)])
    assert invalid.exit_code == 1 and "interest_threshold" in invalid.stderr

    both = runner.invoke(app, ["run", str(inp), "-o", str(tmp_path / "z.jsonl"), "--config", str(bad_config), *fake])
    assert both.exit_code == 1 and "cannot be combined" in both.stderr

    quiet = runner.invoke(app, ["run", str(inp), "-o", str(tmp_path / "q.jsonl"), *fake, "-q", "--workers", "1"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    assert (tmp_path / "q.jsonl").read_bytes() == out.read_bytes()
