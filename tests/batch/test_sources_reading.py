"""Reading inputs: line splitting, formats, directories, Parquet layouts, skipping."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from batch_fakes import record, write_input

from extractor.batch import sources
from extractor.batch.errors import BatchError
from extractor.batch.sources import count_records, iter_lines, iter_records, locate, resolve_inputs


def _lines(data: bytes, limit: int = 100) -> list[bytes | None]:
    return list(iter_lines(io.BytesIO(data).read, limit))


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1 << 20])
def test_iter_lines_splits_the_same_whatever_the_chunk_size(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(sources, "READ_CHUNK_BYTES", chunk)
    assert _lines(b"a\n\nbc\r\nd") == [b"a", b"", b"bc\r", b"d"]
    assert _lines(b"a\nb\n") == [b"a", b"b"]
    assert _lines(b"") == []
    assert _lines(b"\n") == [b""]


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
def test_iter_lines_replaces_oversized_lines_without_holding_them(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(sources, "READ_CHUNK_BYTES", chunk)
    data = b"ok\n" + b"x" * 50 + b"\nfine\n" + b"y" * 40
    assert _lines(data, limit=10) == [b"ok", None, b"fine", None]


def test_blank_and_oversized_lines_become_invalid_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_LINE_BYTES", 30)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"id": "a"}\n   \n' + b'{"id": "' + b"z" * 40 + b'"}\n')
    got = list(iter_records(resolve_inputs(str(path))))
    assert [r.kind for r in got] == ["line", "invalid", "invalid"]
    assert got[1].payload[0] == "empty_line"
    assert got[2].payload[0] == "too_large"
    assert [r.row for r in got] == [0, 1, 2]


@pytest.mark.parametrize("ext", ["jsonl", "jsonl.gz", "parquet"])
def test_every_format_yields_every_record_in_order(tmp_path: Path, ext: str) -> None:
    path = write_input(tmp_path / f"in.{ext}", 250)
    inputs = resolve_inputs(str(path))
    got = list(iter_records(inputs))
    assert [r.row for r in got] == list(range(250))
    first = got[0].payload if got[0].kind == "row" else json.loads(got[0].payload)
    assert first["id"] == record(0)["id"]
    assert count_records(inputs, 0) == 250


@pytest.mark.parametrize("ext", ["jsonl", "jsonl.gz", "parquet"])
def test_skipping_starts_at_the_right_record(tmp_path: Path, ext: str) -> None:
    inputs = resolve_inputs(str(write_input(tmp_path / f"in.{ext}", 250)))
    got = list(iter_records(inputs, (0, 137)))
    assert [r.row for r in got] == list(range(137, 250))


def test_parquet_raw_json_column_is_detected_or_named(tmp_path: Path) -> None:
    lines = [json.dumps(record(i)) for i in range(5)] + ["{not json"]
    single = tmp_path / "raw.parquet"
    pq.write_table(pa.table({"json": lines}), single)
    got = list(iter_records(resolve_inputs(str(single))))
    assert [r.kind for r in got] == ["line"] * 6
    assert got[-1].payload == b"{not json"
    named = tmp_path / "named.parquet"
    pq.write_table(pa.table({"payload": lines, "source": ["x"] * 6}), named)
    got = list(iter_records(resolve_inputs(str(named), json_column="payload")))
    assert json.loads(got[0].payload)["id"] == "c000000"
    with pytest.raises(BatchError, match="no column 'nope'"):
        list(iter_records(resolve_inputs(str(named), json_column="nope")))


def test_parquet_rows_are_json_compatible(tmp_path: Path) -> None:
    import datetime as dt

    path = tmp_path / "typed.parquet"
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    pq.write_table(pa.table({"id": ["a"], "turns": [[{"speaker": "user", "text": "hi"}]], "timestamp": [when]}), path)
    (got,) = iter_records(resolve_inputs(str(path)))
    assert got.kind == "row"
    assert got.payload["timestamp"] == "2024-05-01T12:00:00+00:00"
    assert json.loads(sources.encode_row(got.payload)) == got.payload


def test_directory_input_reads_files_in_name_order_and_labels_them(tmp_path: Path) -> None:
    d = tmp_path / "ds"
    d.mkdir()
    write_input(d / "b.jsonl", 3)
    (d / "a.jsonl.gz").write_bytes(gzip.compress(b'{"id": "first", "turns": []}\n'))
    (d / "_SUCCESS").write_text("")
    (d / "notes.txt").write_text("ignored")
    inputs = resolve_inputs(str(d))
    assert [f.label for f in inputs.files] == ["a.jsonl.gz", "b.jsonl"]
    assert inputs.where(1, 2) == "b.jsonl line 3"
    assert [(r.file_index, r.row) for r in iter_records(inputs)] == [(0, 0), (1, 0), (1, 1), (1, 2)]
    assert locate(inputs, 2) == (1, 1)
    assert locate(inputs, 4) == (2, 0)
    with pytest.raises(BatchError, match="more than the input has"):
        locate(inputs, 5)


def test_unusable_inputs_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="input not found"):
        resolve_inputs(str(tmp_path / "missing.jsonl"))
    (tmp_path / "data.csv").write_text("a,b\n")
    with pytest.raises(BatchError, match="cannot tell the format"):
        resolve_inputs(str(tmp_path / "data.csv"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(BatchError, match="holds no"):
        resolve_inputs(str(tmp_path / "empty"))
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"not gzip at all\n")
    with pytest.raises(BatchError, match="cannot read input"):
        list(iter_records(resolve_inputs(str(bad))))
