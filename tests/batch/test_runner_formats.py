"""Local engine: formats in and out, malformed lines, order with workers, run failures."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from batch_fakes import MALFORMED, BrokenFactory, FakeExtractor, jsonl_lines, make_fake, read_output, write_input

from extractor.batch.errors import BatchError
from extractor.batch.runner import RunOptions, run_batch
from extractor.batch.sinks import OUTPUT_SCHEMA, records_table
from extractor.schema import Evidence, ExtractionResult, InterestSignal

FORMATS = ["jsonl", "jsonl.gz", "parquet"]


def _normalise(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records as JSON-shaped dicts whatever the format (Parquet has every column, timestamps as text)."""
    out = []
    for r in records:
        r = {k: v for k, v in r.items() if v is not None}
        if "timestamp" in r:
            r["timestamp"] = float(r["timestamp"])
        for i in r["interests"]:
            i.pop("iab_id", None)
        out.append(r)
    return out


def _run(inp: Path, out: Path, **kw: Any) -> Any:
    kw.setdefault("progress", False)
    return run_batch(RunOptions(str(inp), str(out), **kw), make_fake)


@pytest.mark.parametrize("in_ext", FORMATS)
@pytest.mark.parametrize("out_ext", FORMATS)
def test_formats_round_trip_to_the_same_records(tmp_path: Path, in_ext: str, out_ext: str) -> None:
    inp = write_input(tmp_path / f"in.{in_ext}", 300)
    summary = _run(inp, tmp_path / f"out.{out_ext}", checkpoint_every=70)
    reference = [r.to_dict() for r in FakeExtractor().pipe(json.loads(line) for line in jsonl_lines(300))]
    assert summary.processed == 300
    assert _normalise(read_output(tmp_path / f"out.{out_ext}")) == _normalise(reference)
    assert not list(tmp_path.glob("out.*.resume.json")) and not list(tmp_path.glob("*.parts"))


def test_parquet_output_has_the_declared_schema_and_row_groups(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 250)
    _run(inp, tmp_path / "out.parquet", checkpoint_every=100)
    pf = pq.ParquetFile(tmp_path / "out.parquet")
    assert pf.schema_arrow.equals(OUTPUT_SCHEMA)
    assert [pf.metadata.row_group(i).num_rows for i in range(pf.metadata.num_row_groups)] == [100, 100, 50]


def test_parquet_schema_covers_every_output_field() -> None:
    full = ExtractionResult(
        id="a",
        status="error",
        interests=(
            InterestSignal(
                id="x",
                name="X",
                path=("A", "X"),
                ad_categories=("C",),
                intent="purchase",
                score=0.5,
                evidence=(Evidence(turn=0, text="t"),),
                iab_id="IAB1",
            ),
        ),
        user_id="u",
        timestamp=1.5,
        error={"code": "c", "message": "m"},
    ).to_dict()
    (row,) = records_table([full]).to_pylist()
    assert row["timestamp"] == "1.5"
    assert {k: v for k, v in row.items() if k != "timestamp"} == {k: v for k, v in full.items() if k != "timestamp"}


def test_malformed_lines_get_one_error_record_each_naming_the_line_not_the_text(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 100, malformed_every=10)
    summary = _run(inp, tmp_path / "out.jsonl", audit=str(tmp_path / "audit.json"))
    out = read_output(tmp_path / "out.jsonl")
    assert len(out) == 100 == summary.processed
    errors = {i + 1: r for i, r in enumerate(out) if r["status"] == "error"}
    assert sorted(errors) == list(range(10, 101, 10))
    codes = {r["error"]["code"] for r in errors.values()}
    assert {"invalid_json", "empty_line", "not_an_object", "missing_field", "invalid_encoding"} <= codes
    for line_no, r in errors.items():
        assert r["error"]["message"].startswith(f"line {line_no}: ")
        assert "no id here" not in r["error"]["message"] and "broken" not in r["error"]["message"]
    assert summary.statuses["error"] == 10
    assert len(MALFORMED) == 5


def test_two_workers_keep_input_order(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 600, malformed_every=17)
    _run(inp, tmp_path / "one.jsonl", batch_size=16)
    _run(inp, tmp_path / "two.jsonl", batch_size=16, workers=2)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()


def test_a_worker_that_cannot_build_its_extractor_fails_the_run(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 50)
    with pytest.raises(BatchError, match="could not build its extractor: OSError: model files missing"):
        run_batch(RunOptions(str(inp), str(tmp_path / "o.jsonl"), workers=2, progress=False), BrokenFactory())
    with pytest.raises(BatchError, match="cannot build the extractor"):
        run_batch(RunOptions(str(inp), str(tmp_path / "p.jsonl"), overwrite=True, progress=False), BrokenFactory())


class _Dropping:
    """Breaks the pipe contract by losing a result."""

    def pipe(self, records: Iterable[Any], *, batch_size: int = 64) -> Iterator[ExtractionResult]:
        yield from list(FakeExtractor().pipe(records))[1:]


def test_an_extractor_breaking_the_contract_fails_the_run(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 20)
    with pytest.raises(BatchError, match="fewer results"):
        run_batch(RunOptions(str(inp), str(tmp_path / "o.jsonl"), progress=False), _Dropping)


def test_existing_output_needs_resume_or_overwrite(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 20)
    out = tmp_path / "out.jsonl"
    out.write_text("precious\n")
    with pytest.raises(BatchError, match=r"--resume .* or --overwrite"):
        _run(inp, out)
    assert out.read_text() == "precious\n"
    _run(inp, out, overwrite=True)
    assert len(read_output(out)) == 20
    with pytest.raises(BatchError, match="must not be the input"):
        _run(inp, inp, overwrite=True)
    with pytest.raises(BatchError, match="inside the input directory"):
        _run(tmp_path, tmp_path / "results.jsonl")
    with pytest.raises(BatchError, match="output format"):
        _run(inp, tmp_path / "out.csv")
    with pytest.raises(BatchError, match="does not exist"):
        _run(inp, tmp_path / "nowhere" / "out.jsonl")
