"""Input side of a batch run: find the input files, detect their format and stream their records.

An input is one file or a directory of files (read in sorted path order, as one stream). Supported
formats, by extension: JSON Lines (``.jsonl``, ``.ndjson``), gzipped JSON Lines (``.jsonl.gz``,
``.ndjson.gz``) and Parquet (``.parquet``, ``.pq``). A Parquet file holds either one string column
with one raw JSON record per row (``json_column``, or detected when the file has exactly one
string/binary column and no ``id``) or one column per record field (``id``, ``turns``, ...).

Every line of a JSON Lines file is one record, blank and malformed lines included, so that the
output has exactly one result per line. Records are addressed by ``(file index, row index)``;
``where`` labels ("line 12", "part-0001.jsonl line 12", "row 7") name them in error messages.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, NamedTuple

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from extractor.batch.errors import BatchError
from extractor.schema import MAX_LINE_BYTES

Format = Literal["jsonl", "jsonl.gz", "parquet"]

_SUFFIXES: tuple[tuple[str, Format], ...] = (
    (".jsonl.gz", "jsonl.gz"),
    (".ndjson.gz", "jsonl.gz"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".parquet", "parquet"),
    (".pq", "parquet"),
)
READ_CHUNK_BYTES = 1 << 20
PARQUET_BATCH_ROWS = 1024


def format_of(path: str) -> Format | None:
    """The format a file name's extension announces, or ``None``."""
    name = path.rstrip("/").lower()
    for suffix, fmt in _SUFFIXES:
        if name.endswith(suffix):
            return fmt
    return None


@dataclass(frozen=True)
class InputFile:
    """One input file. ``label`` prefixes location labels when the input is a directory."""

    path: str
    fmt: Format
    label: str


@dataclass(frozen=True)
class InputSet:
    """The resolved input: a filesystem (local, or any pyarrow filesystem URI) and its files, in order."""

    filesystem: pafs.FileSystem
    files: tuple[InputFile, ...]
    json_column: str | None = None

    def where(self, file_index: int, row: int) -> str:
        """Human-readable location of record ``row`` (0-based) of file ``file_index``."""
        f = self.files[file_index]
        unit = "row" if f.fmt == "parquet" else "line"
        return f"{f.label} {unit} {row + 1}" if f.label else f"{unit} {row + 1}"


class RawRecord(NamedTuple):
    """One input record on its way to the extractor.

    ``kind`` says what ``payload`` is: ``"line"`` (the bytes of one JSON line), ``"row"`` (a
    Parquet row as a JSON-compatible dict) or ``"invalid"`` (a record rejected while reading;
    ``payload`` is then ``(code, message)``).
    """

    file_index: int
    row: int
    kind: Literal["line", "row", "invalid"]
    payload: Any


def _filesystem_and_path(spec: str) -> tuple[pafs.FileSystem, str]:
    if "://" in spec:
        try:
            return pafs.FileSystem.from_uri(spec)
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise BatchError(f"cannot open {spec}: {exc}") from None
    from pathlib import Path

    return pafs.LocalFileSystem(), str(Path(spec).expanduser().resolve())


def resolve_inputs(spec: str, *, json_column: str | None = None) -> InputSet:
    """Resolve a file or directory (local path or URI) into an :class:`InputSet`."""
    fs, path = _filesystem_and_path(spec)
    try:
        info = fs.get_file_info(path)
    except (pa.ArrowException, OSError) as exc:
        raise BatchError(f"cannot read input {spec}: {exc}") from None
    if info.type == pafs.FileType.NotFound:
        raise BatchError(f"input not found: {spec}")
    if info.type == pafs.FileType.File:
        fmt = format_of(path)
        if fmt is None:
            raise BatchError(f"cannot tell the format of {spec}: use .jsonl, .jsonl.gz or .parquet")
        return InputSet(fs, (InputFile(path, fmt, ""),), json_column)
    try:
        infos = fs.get_file_info(pafs.FileSelector(path, recursive=True))
    except (pa.ArrowException, OSError) as exc:
        raise BatchError(f"cannot list input directory {spec}: {exc}") from None
    files: list[InputFile] = []
    for fi in sorted((i for i in infos if i.type == pafs.FileType.File), key=lambda i: i.path):
        rel = posixpath.relpath(fi.path, path) if fi.path.startswith(path) else fi.base_name
        if any(part.startswith((".", "_")) for part in rel.split("/")):
            continue  # _SUCCESS, .crc files, hidden files
        fmt = format_of(fi.path)
        if fmt is not None:
            files.append(InputFile(fi.path, fmt, rel))
    if not files:
        raise BatchError(f"input directory {spec} holds no .jsonl, .jsonl.gz or .parquet files")
    return InputSet(fs, tuple(files), json_column)


# -- JSON Lines ---------------------------------------------------------------------------------------


class _CountingReader:
    """Wraps a binary stream and counts the bytes read through it (progress of compressed input)."""

    def __init__(self, stream: Any, on_bytes: Callable[[int], None] | None) -> None:
        self._stream = stream
        self._on_bytes = on_bytes

    def read(self, n: int = -1) -> bytes:
        data = self._stream.read(n)
        if self._on_bytes is not None and data:
            self._on_bytes(len(data))
        return data

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()


def iter_lines(read: Callable[[int], bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """Split a byte stream into lines (without the newline); ``None`` stands for a line over ``limit``.

    Memory stays bounded by ``limit`` plus one read chunk, however long a line is.
    """
    pending = bytearray()
    oversized = False
    while data := read(READ_CHUNK_BYTES):
        start = 0
        while (nl := data.find(b"\n", start)) >= 0:
            if oversized:
                oversized = False
                yield None
            elif pending:
                pending += data[start:nl]
                line = bytes(pending)
                pending.clear()
                yield None if len(line) > limit else line
            else:
                yield None if nl - start > limit else data[start:nl]
            start = nl + 1
        if not oversized and start < len(data):
            pending += data[start:]
            if len(pending) > limit:
                oversized = True
                pending.clear()
    if oversized:
        yield None
    elif pending:
        yield bytes(pending)


def _open_jsonl(fs: pafs.FileSystem, f: InputFile, on_bytes: Callable[[int], None] | None) -> Any:
    raw = _CountingReader(fs.open_input_stream(f.path, compression=None), on_bytes)
    return gzip.GzipFile(fileobj=raw, mode="rb") if f.fmt == "jsonl.gz" else raw


def _jsonl_records(
    fs: pafs.FileSystem, index: int, f: InputFile, skip: int, on_bytes: Callable[[int], None] | None
) -> Iterator[RawRecord]:
    # Progress: plain files count the bytes of each line as it is handed on; gzip files count
    # compressed bytes as they are read (the only position they have).
    gz = f.fmt == "jsonl.gz"
    stream = _open_jsonl(fs, f, on_bytes if gz else None)
    per_line = None if gz else on_bytes
    try:
        for row, line in enumerate(iter_lines(stream.read, MAX_LINE_BYTES)):
            if per_line is not None:
                per_line(MAX_LINE_BYTES if line is None else len(line) + 1)
            if row < skip:
                continue
            if line is None:
                yield RawRecord(index, row, "invalid", ("too_large", f"line is longer than {MAX_LINE_BYTES} bytes"))
            elif not line.strip():
                yield RawRecord(index, row, "invalid", ("empty_line", "line is empty"))
            else:
                yield RawRecord(index, row, "line", line)
    finally:
        stream.close()


def _count_lines(fs: pafs.FileSystem, f: InputFile) -> int:
    stream = _open_jsonl(fs, f, None)
    count = 0
    last = b"\n"
    try:
        while data := stream.read(READ_CHUNK_BYTES):
            count += data.count(b"\n")
            last = data[-1:]
    finally:
        stream.close()
    return count + (last != b"\n")


# -- Parquet ------------------------------------------------------------------------------------------


def _json_safe(value: Any) -> Any:
    """A Parquet value made JSON-compatible (timestamps as ISO 8601, decimals as floats, ...)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(value).decode("ascii")
    return value


def _raw_json_column(schema: pa.Schema, requested: str | None, label: str) -> str | None:
    if requested is not None:
        if requested not in schema.names:
            raise BatchError(f"Parquet input {label or 'file'} has no column {requested!r}")
        return requested
    if "id" not in schema.names and len(schema) == 1:
        t = schema.field(0).type
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t):
            return schema.names[0]
    return None


def _open_parquet(fs: pafs.FileSystem, f: InputFile) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(fs.open_input_file(f.path))
    except (pa.ArrowException, OSError) as exc:
        raise BatchError(f"cannot read Parquet input {f.label or f.path}: {exc}") from None


def _parquet_records(
    fs: pafs.FileSystem,
    index: int,
    f: InputFile,
    skip: int,
    json_column: str | None,
    on_rows: Callable[[int], None] | None,
) -> Iterator[RawRecord]:
    pf = _open_parquet(fs, f)
    column = _raw_json_column(pf.schema_arrow, json_column, f.label)
    groups: list[int] = []
    row = 0
    for g in range(pf.metadata.num_row_groups):
        n = pf.metadata.row_group(g).num_rows
        if row + n <= skip:
            row += n
            if on_rows is not None:
                on_rows(n)
            continue
        groups.append(g)
    if not groups:
        return
    columns = [column] if column else None
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, row_groups=groups, columns=columns):
        if row < skip:
            cut = min(skip - row, batch.num_rows)
            batch = batch.slice(cut)
            row += cut
            if on_rows is not None:
                on_rows(cut)
        if column is not None:
            for value in batch.column(0).to_pylist():
                if value is None:
                    yield RawRecord(index, row, "invalid", ("missing_field", f"column {column!r} is null"))
                else:
                    yield RawRecord(index, row, "line", value.encode("utf-8") if isinstance(value, str) else value)
                row += 1
        else:
            for values in batch.to_pylist():
                yield RawRecord(index, row, "row", {k: _json_safe(v) for k, v in values.items()})
                row += 1
        if on_rows is not None:
            on_rows(batch.num_rows)


# -- whole input --------------------------------------------------------------------------------------


def fingerprint(inputs: InputSet) -> list[list[Any]]:
    """Names and sizes of the input files, to tell whether a resumed run reads the same input."""
    return [[f.label or posixpath.basename(f.path), inputs.filesystem.get_file_info(f.path).size] for f in inputs.files]


def count_records(inputs: InputSet, file_index: int) -> int:
    """Number of records in one input file (Parquet: from the footer; JSON Lines: by counting lines)."""
    f = inputs.files[file_index]
    try:
        if f.fmt == "parquet":
            return _open_parquet(inputs.filesystem, f).metadata.num_rows
        return _count_lines(inputs.filesystem, f)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise BatchError(f"cannot read input {f.label or f.path}: {exc}") from None


def locate(inputs: InputSet, records: int) -> tuple[int, int]:
    """Map a count of records already done to ``(file index, rows to skip in that file)``."""
    remaining = records
    for i in range(len(inputs.files)):
        if remaining == 0:
            return i, 0
        n = count_records(inputs, i)
        if remaining < n:
            return i, remaining
        remaining -= n
    if remaining:
        raise BatchError(
            f"the output already holds {records} records, more than the input has; is this the input it was made from?"
        )
    return len(inputs.files), 0


@dataclass
class ReadProgress:
    """How far reading has got, in the unit of :func:`progress_total` (bytes or rows)."""

    done: int = 0

    def add(self, n: int) -> None:
        self.done += n


def progress_total(inputs: InputSet) -> tuple[int, str]:
    """Total work for a progress bar: rows when every file is Parquet, else file bytes (compressed)."""
    if all(f.fmt == "parquet" for f in inputs.files):
        return sum(count_records(inputs, i) for i in range(len(inputs.files))), "rows"
    total = 0
    for f in inputs.files:
        total += inputs.filesystem.get_file_info(f.path).size or 0
    return total, "bytes"


def iter_file(
    inputs: InputSet, file_index: int, skip: int = 0, progress: ReadProgress | None = None, unit: str = "bytes"
) -> Iterator[RawRecord]:
    """Records of one file, from row ``skip`` on."""
    f = inputs.files[file_index]
    fs = inputs.filesystem
    on_bytes = progress.add if progress is not None and unit == "bytes" else None
    on_rows = progress.add if progress is not None and unit == "rows" else None
    try:
        if f.fmt == "parquet":
            if on_bytes is not None:
                size = fs.get_file_info(f.path).size or 0
                yield from _parquet_records(fs, file_index, f, skip, inputs.json_column, None)
                on_bytes(size)
            else:
                yield from _parquet_records(fs, file_index, f, skip, inputs.json_column, on_rows)
        else:
            yield from _jsonl_records(fs, file_index, f, skip, on_bytes)
    except (OSError, EOFError, gzip.BadGzipFile, pa.ArrowException) as exc:
        raise BatchError(f"cannot read input {f.label or f.path}: {exc}") from None


def iter_records(
    inputs: InputSet, start: tuple[int, int] = (0, 0), progress: ReadProgress | None = None, unit: str = "bytes"
) -> Iterator[RawRecord]:
    """All records of the input in order, starting at ``start`` (as returned by :func:`locate`)."""
    first, skip = start
    for i in range(first, len(inputs.files)):
        yield from iter_file(inputs, i, skip if i == first else 0, progress, unit)


def record_objects(inputs: InputSet) -> Iterator[dict[str, Any] | None]:
    """Each record of the input as a JSON object, in order; ``None`` for one that is not an object
    (a malformed or non-object line, a row rejected while reading)."""
    for raw in iter_records(inputs):
        if raw.kind == "row":
            value = raw.payload
        elif raw.kind == "line":
            try:
                value = json.loads(raw.payload)
            except ValueError:  # also UnicodeDecodeError
                value = None
        else:
            value = None
        yield value if isinstance(value, dict) else None


def encode_row(payload: dict[str, Any]) -> bytes:
    """A Parquet row dict as JSON bytes, for transport (decoded back with :func:`json.loads`)."""
    return json.dumps(payload, ensure_ascii=True, allow_nan=True).encode("ascii")
