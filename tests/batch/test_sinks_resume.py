"""Resuming outputs left by crashed runs (simulated in-process; see test_cli_kill_resume for kill -9)."""

from __future__ import annotations

import gzip
import json
import shutil
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from batch_fakes import make_fake, read_output, write_input

from extractor.batch.audit import AuditCounts
from extractor.batch.errors import BatchError
from extractor.batch.runner import RunOptions, run_batch
from extractor.batch.sinks import JsonlSink, ParquetSink, open_sink
from extractor.batch.sources import fingerprint, iter_records, resolve_inputs
from extractor.batch.worker import locator, process

N = 230
EVERY = 50


def _run(inp: Path, out: Path, **kw: Any) -> Any:
    return run_batch(RunOptions(str(inp), str(out), checkpoint_every=EVERY, progress=False, **kw), make_fake)


@pytest.fixture
def clean(tmp_path: Path) -> dict[str, Path]:
    inp = write_input(tmp_path / "in.jsonl", N, malformed_every=9)
    outs = {}
    for ext in ("jsonl", "jsonl.gz", "parquet"):
        outs[ext] = tmp_path / f"clean.{ext}"
        _run(inp, outs[ext], audit=str(tmp_path / f"clean-{ext}.audit.json"))
    outs["in"] = inp
    return outs


def _crash_after(inp: Path, out: Path, records: int) -> None:
    """Write ``records`` results with the normal checkpoints, then stop as a kill -9 would (no finish)."""
    inputs = resolve_inputs(str(inp))
    sink, _ = open_sink(out, "new")
    audit = AuditCounts()
    items = list(islice(iter_records(inputs), records))
    for record, status, counters in process(make_fake(), items, locator(inputs), 64):
        sink.write(record)
        audit.add(status, counters)
        if sink.records % EVERY == 0:
            sink.commit({"audit": audit.to_state(), "input": fingerprint(inputs)})
    if isinstance(sink, JsonlSink):
        sink._fh.flush()  # what reached the OS before the kill
    sink.close()


@pytest.mark.parametrize("ext", ["jsonl", "jsonl.gz", "parquet"])
def test_resume_after_crash_gives_the_clean_output(tmp_path: Path, clean: dict[str, Path], ext: str) -> None:
    out = tmp_path / f"out.{ext}"
    _crash_after(clean["in"], out, 137)
    if ext == "jsonl":
        with open(out, "ab") as fh:
            fh.write(b'{"id": "half a li')  # torn write
    summary = _run(clean["in"], out, resume=True, audit=str(tmp_path / "audit.json"))
    assert summary.resumed_from == 100  # the last checkpoint
    assert summary.total == N
    assert out.read_bytes() == clean[ext].read_bytes()
    assert (tmp_path / "audit.json").read_text() == (tmp_path / f"clean-{ext}.audit.json").read_text()
    assert not (tmp_path / f"out.{ext}.resume.json").exists()
    assert not (tmp_path / f"out.{ext}.parts").exists()


def test_resume_without_state_counts_complete_lines_and_drops_a_partial_one(
    tmp_path: Path, clean: dict[str, Path]
) -> None:
    out = tmp_path / "out.jsonl"
    lines = clean["jsonl"].read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:77]) + lines[77][:20])
    summary = _run(clean["in"], out, resume=True, audit=str(tmp_path / "audit.json"))
    assert summary.resumed_from == 77
    assert out.read_bytes() == clean["jsonl"].read_bytes()
    audit = json.loads((tmp_path / "audit.json").read_text())
    assert audit["records_without_counters"] == 77  # counters of the earlier part are unknown; statuses are not
    assert audit["records"] == N


def test_resume_of_gzip_without_state_keeps_complete_members(tmp_path: Path, clean: dict[str, Path]) -> None:
    data = gzip.decompress(clean["jsonl.gz"].read_bytes())
    lines = data.splitlines(keepends=True)
    out = tmp_path / "out.jsonl.gz"
    member1 = gzip.compress(b"".join(lines[:60]), mtime=0)
    member2 = gzip.compress(b"".join(lines[60:120]), mtime=0)
    out.write_bytes(member1 + member2[: len(member2) // 2])  # second member torn
    summary = _run(clean["in"], out, resume=True)
    assert summary.resumed_from == 60
    assert gzip.decompress(out.read_bytes()) == data


def test_resume_of_a_finished_output_does_nothing(tmp_path: Path, clean: dict[str, Path]) -> None:
    for ext in ("jsonl", "jsonl.gz", "parquet"):
        out = tmp_path / f"done.{ext}"
        shutil.copy(clean[ext], out)
        summary = _run(clean["in"], out, resume=True)
        assert (summary.processed, summary.resumed_from) == (0, N)
        assert read_output(out) == read_output(clean[ext])


def test_resume_on_a_longer_input_appends_to_a_finished_parquet(tmp_path: Path) -> None:
    small = write_input(tmp_path / "small.jsonl", 120)
    big = write_input(tmp_path / "big.jsonl", 180)
    out = tmp_path / "out.parquet"
    _run(small, out)
    summary = _run(big, out, resume=True)
    assert (summary.resumed_from, summary.processed) == (120, 60)
    _run(big, tmp_path / "ref.parquet")
    assert pq.read_table(out).equals(pq.read_table(tmp_path / "ref.parquet"))


def test_resume_refuses_an_output_longer_than_the_input(tmp_path: Path, clean: dict[str, Path]) -> None:
    short = write_input(tmp_path / "short.jsonl", 10)
    out = tmp_path / "out.jsonl"
    shutil.copy(clean["jsonl"], out)
    with pytest.raises(BatchError, match="more than the input has"):
        _run(short, out, resume=True)
    assert out.read_bytes() == clean["jsonl"].read_bytes()


def test_leftovers_of_an_interrupted_parquet_run_need_resume_or_overwrite(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 120)
    out = tmp_path / "out.parquet"
    _crash_after(inp, out, 70)
    assert ParquetSink.parts_dir_for(out).is_dir() and not out.exists()
    with pytest.raises(BatchError, match="interrupted run"):
        _run(inp, out)
    summary = _run(inp, out, overwrite=True)
    assert (summary.resumed_from, summary.processed) == (0, 120)
    assert not ParquetSink.parts_dir_for(out).exists()


def test_resume_refuses_a_different_input(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 120)
    out = tmp_path / "out.jsonl"
    _crash_after(inp, out, 70)
    write_input(inp, 130)  # the input changed since
    with pytest.raises(BatchError, match="input differs"):
        _run(inp, out, resume=True)


def test_a_crash_while_merging_parquet_parts_is_resumed_with_exact_counters(
    tmp_path: Path, clean: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor.batch import sinks

    class _DiskFull:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            raise OSError(28, "No space left on device")

    out = tmp_path / "out.parquet"
    with monkeypatch.context() as patch:
        patch.setattr(sinks.pq, "ParquetWriter", _DiskFull)
        with pytest.raises(BatchError, match="No space left"):
            _run(clean["in"], out, audit=str(tmp_path / "audit.json"))
    assert not out.exists() and ParquetSink.parts_dir_for(out).is_dir()
    summary = _run(clean["in"], out, resume=True, audit=str(tmp_path / "audit.json"))
    assert (summary.resumed_from, summary.processed) == (N, 0)
    assert out.read_bytes() == clean["parquet"].read_bytes()
    assert (tmp_path / "audit.json").read_text() == (tmp_path / "clean-parquet.audit.json").read_text()
