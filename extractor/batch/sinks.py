"""Output side of a batch run: crash-safe, resumable writers for JSON Lines, gzipped JSON Lines and Parquet.

Durability and resume
---------------------
Records are written as they come. Every ``checkpoint`` (``commit``) makes what was written durable
(flush + fsync) and then atomically replaces a small *resume state* file recording how many records
the output holds, where they end, and the caller's running counters (the audit). After a crash,
even ``kill -9``, resuming truncates the output back to the last checkpoint and carries on, so the
finished output is the same as that of an uninterrupted run.

* ``.jsonl``: state in ``OUT.resume.json`` (record count and byte offset). Without a state file
  (an output finished earlier, or written by something else) the complete lines are counted and a
  partial last line is cut off.
* ``.jsonl.gz``: one gzip member per checkpoint (a valid multi-member gzip file; ``gzip -d`` and
  Python's ``gzip`` read it as one stream); state as for ``.jsonl``. Without a state file the file
  is cut back to the end of its last complete member.
* ``.parquet``: a Parquet file is only readable once its footer is written, so the run writes one
  small Parquet file per checkpoint into ``OUT.parts/`` (written to a temporary name, fsynced,
  renamed) with the state in ``OUT.parts/resume.json``. When the input is done the parts are
  copied, row group by row group, into ``OUT`` (via a temporary file and an atomic rename) and
  ``OUT.parts/`` is removed. A crash during that last step is resumed by redoing it.

The state file (or the ``.parts`` directory) is removed when a run completes.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import zlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from extractor.batch.errors import BatchError
from extractor.batch.sources import Format, format_of

STATE_VERSION = 1
_CHUNK = 1 << 20

Mode = Literal["new", "overwrite", "resume"]

_EVIDENCE = pa.struct([("turn", pa.int64()), ("text", pa.string())])
_INTEREST = pa.struct(
    [
        ("id", pa.string()),
        ("name", pa.string()),
        ("path", pa.list_(pa.string())),
        ("iab_id", pa.string()),
        ("ad_categories", pa.list_(pa.string())),
        ("intent", pa.string()),
        ("score", pa.float64()),
        ("evidence", pa.list_(_EVIDENCE)),
    ]
)
#: Columns of Parquet output: the fields of :meth:`ExtractionResult.to_dict`. ``timestamp`` is a
#: string column (ISO 8601 as given, or the epoch number written out) because input may mix both.
OUTPUT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("status", pa.string()),
        ("interests", pa.list_(_INTEREST)),
        ("policy", pa.struct([("excluded", pa.bool_()), ("reason", pa.string()), ("notes", pa.list_(pa.string()))])),
        ("user_id", pa.string()),
        ("timestamp", pa.string()),
        ("error", pa.struct([("code", pa.string()), ("message", pa.string())])),
    ]
)
_COLUMNS = frozenset(OUTPUT_SCHEMA.names)


def encode_json_line(record: dict[str, Any]) -> bytes:
    """One output record as a UTF-8 JSON line (lone surrogates fall back to ``\\u`` escapes)."""
    text = json.dumps(record, ensure_ascii=False)
    try:
        return text.encode("utf-8") + b"\n"
    except UnicodeEncodeError:
        return json.dumps(record, ensure_ascii=True).encode("ascii") + b"\n"


def to_parquet_row(record: dict[str, Any]) -> dict[str, Any]:
    """An output record shaped for :data:`OUTPUT_SCHEMA`."""
    extra = record.keys() - _COLUMNS
    if extra:
        raise BatchError(f"output field(s) {sorted(extra)} have no Parquet column; update OUTPUT_SCHEMA")
    row = dict(record)
    ts = row.get("timestamp")
    if ts is not None and not isinstance(ts, str):
        row["timestamp"] = json.dumps(ts)
    return row


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def records_table(records: Iterable[dict[str, Any]]) -> pa.Table:
    """Output records as an Arrow table with :data:`OUTPUT_SCHEMA`."""
    rows = [to_parquet_row(r) for r in records]
    try:
        return pa.Table.from_pylist(rows, schema=OUTPUT_SCHEMA)
    except UnicodeEncodeError:  # a lone surrogate from the input: Parquet strings must be valid UTF-8
        return pa.Table.from_pylist([_scrub(r) for r in rows], schema=OUTPUT_SCHEMA)


def _status_of(line: bytes) -> str:
    try:
        status = json.loads(line).get("status")
    except (ValueError, AttributeError):
        return "unknown"
    return status if isinstance(status, str) else "unknown"


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be opened
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as JSON to ``path`` so that a crash leaves either the old or the new file."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _read_state(path: Path, fmt: Format) -> dict[str, Any] | None:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise BatchError(f"cannot read resume state {path}: {exc}; remove it to count the output instead") from None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION or state.get("format") != fmt:
        raise BatchError(f"resume state {path} is not one this version wrote; remove it to count the output instead")
    return state


@dataclass
class ResumePoint:
    """What an existing output already holds when a run resumes."""

    records: int = 0
    #: ``extra`` saved with the last checkpoint (the caller's counters), or ``None`` when the output
    #: had no resume state; then ``statuses`` holds the statuses counted from the output itself.
    extra: dict[str, Any] | None = None
    statuses: Counter[str] = field(default_factory=Counter)


class Sink(ABC):
    """A resumable output. ``records`` counts every record in the output, earlier runs included."""

    records: int

    @abstractmethod
    def write(self, record: dict[str, Any]) -> None:
        """Append one output record."""

    @abstractmethod
    def commit(self, extra: dict[str, Any]) -> None:
        """Make everything written so far durable and record a resume point carrying ``extra``."""

    @abstractmethod
    def finish(self) -> None:
        """Complete the output (a plain, finished file) and drop the resume state.

        The last checkpoint is taken with the ``extra`` of the previous one, so a crash during
        completion resumes with the right counters (it redoes only the completion).
        """

    @abstractmethod
    def close(self) -> None:
        """Release files without completing the output (after a failure); resume state stays."""


# -- JSON Lines -----------------------------------------------------------------------------------------


def _scan_jsonl(path: Path) -> tuple[int, int, Counter[str]]:
    """Complete lines of a plain JSON Lines file: (count, byte offset after the last one, statuses)."""
    count = 0
    end = 0
    pos = 0
    statuses: Counter[str] = Counter()
    pending = bytearray()
    with open(path, "rb") as fh:
        while data := fh.read(_CHUNK):
            start = 0
            while (nl := data.find(b"\n", start)) >= 0:
                line = bytes(pending) + data[start:nl] if pending else data[start:nl]
                pending.clear()
                statuses[_status_of(line)] += 1
                count += 1
                end = pos + nl + 1
                start = nl + 1
            pending += data[start:]
            pos += len(data)
    return count, end, statuses


def _scan_gzip(path: Path) -> tuple[int, int, Counter[str]]:
    """Complete gzip members of a file: (lines in them, byte offset after the last one, statuses)."""
    count = 0
    end = 0
    pos = 0
    statuses: Counter[str] = Counter()
    member_count = 0
    member_statuses: Counter[str] = Counter()
    pending = bytearray()
    d = zlib.decompressobj(31)
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            data = chunk
            while data:
                try:
                    out = d.decompress(data)
                except zlib.error:
                    return count, end, statuses  # corrupt tail: keep what came before it
                pending += out
                *lines, rest = bytes(pending).split(b"\n")
                pending = bytearray(rest)
                for line in lines:
                    member_statuses[_status_of(line)] += 1
                member_count += len(lines)
                if not d.eof:
                    pos += len(data)
                    break
                used = len(data) - len(d.unused_data)
                pos += used
                if pending:  # a member that ends inside a line: not one of ours; stop here
                    return count, end, statuses
                count += member_count
                statuses.update(member_statuses)
                end = pos
                member_count = 0
                member_statuses = Counter()
                data = d.unused_data
                d = zlib.decompressobj(31)
    return count, end, statuses


class JsonlSink(Sink):
    """JSON Lines output, plain or gzipped (one gzip member per checkpoint)."""

    def __init__(self, path: Path, fmt: Format, fh: BinaryIO, records: int) -> None:
        self.path = path
        self.fmt = fmt
        self.state_path = path.with_name(path.name + ".resume.json")
        self.records = records
        self._fh = fh
        self._gz: gzip.GzipFile | None = None
        self._extra: dict[str, Any] = {}

    @classmethod
    def open(cls, path: Path, fmt: Format, mode: Mode) -> tuple[JsonlSink, ResumePoint]:
        state_path = path.with_name(path.name + ".resume.json")
        point = ResumePoint()
        offset = 0
        if mode == "resume" and path.exists():
            state = _read_state(state_path, fmt)
            if state is not None:
                offset = int(state["offset"])
                if path.stat().st_size < offset:
                    raise BatchError(f"{path} is shorter than its resume state says; was it replaced?")
                point = ResumePoint(int(state["records"]), dict(state.get("extra") or {}))
            else:
                count, offset, statuses = _scan_gzip(path) if fmt == "jsonl.gz" else _scan_jsonl(path)
                point = ResumePoint(count, None, statuses)
            fh = open(path, "r+b")
            fh.truncate(offset)
            fh.seek(offset)
        else:
            fh = open(path, "wb")
        sink = cls(path, fmt, fh, point.records)
        sink._extra = point.extra or {}
        sink._write_state(offset, sink._extra)
        return sink, point

    def _write_state(self, offset: int, extra: dict[str, Any]) -> None:
        write_json_atomic(
            self.state_path,
            {"version": STATE_VERSION, "format": self.fmt, "records": self.records, "offset": offset, "extra": extra},
        )

    def write(self, record: dict[str, Any]) -> None:
        line = encode_json_line(record)
        if self.fmt == "jsonl.gz":
            if self._gz is None:
                self._gz = gzip.GzipFile(fileobj=self._fh, mode="wb", compresslevel=6, mtime=0, filename="")
            self._gz.write(line)
        else:
            self._fh.write(line)
        self.records += 1

    def commit(self, extra: dict[str, Any]) -> None:
        if self._gz is not None:
            self._gz.close()  # ends the member; leaves the file open
            self._gz = None
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._write_state(self._fh.tell(), extra)
        self._extra = extra

    def finish(self) -> None:
        self.commit(self._extra)
        self._fh.close()
        self.state_path.unlink(missing_ok=True)

    def close(self) -> None:
        # Deliberately no gzip trailer or state update: the state file still names the last
        # checkpoint, and resuming cuts back to it.
        with contextlib.suppress(OSError, ValueError):
            self._fh.close()


# -- Parquet ------------------------------------------------------------------------------------------


class ParquetSink(Sink):
    """Parquet output built from one part file per checkpoint, merged when the run completes."""

    def __init__(self, path: Path, parts_dir: Path, parts: int, records: int) -> None:
        self.path = path
        self.parts_dir = parts_dir
        self.state_path = parts_dir / "resume.json"
        self.parts = parts
        self.records = records
        self._buffer: list[dict[str, Any]] = []
        self._extra: dict[str, Any] = {}

    @staticmethod
    def parts_dir_for(path: Path) -> Path:
        return path.with_name(path.name + ".parts")

    def _part(self, n: int) -> Path:
        return self.parts_dir / f"part-{n:06d}.parquet"

    @classmethod
    def open(cls, path: Path, mode: Mode) -> tuple[ParquetSink, ResumePoint]:
        parts_dir = cls.parts_dir_for(path)
        point = ResumePoint()
        parts = 0
        if mode == "resume" and parts_dir.is_dir():
            state = _read_state(parts_dir / "resume.json", "parquet")
            if state is None:
                raise BatchError(f"{parts_dir} has no resume state; remove it, or run with --overwrite")
            parts = int(state["parts"])
            point = ResumePoint(int(state["records"]), dict(state.get("extra") or {}))
            keep = {"resume.json"} | {f"part-{n:06d}.parquet" for n in range(parts)}
            for p in parts_dir.iterdir():  # parts written after the last checkpoint, temporary files
                if p.name not in keep:
                    p.unlink()
        elif mode == "resume" and path.exists():
            try:
                meta = pq.ParquetFile(path).metadata
                status = pq.read_table(path, columns=["status"]).column("status").to_pylist()
            except (pa.ArrowException, OSError) as exc:
                raise BatchError(
                    f"cannot resume {path}: not a complete Parquet file and no {parts_dir.name} directory ({exc})"
                ) from None
            parts_dir.mkdir()
            os.replace(path, parts_dir / "part-000000.parquet")
            parts = 1
            point = ResumePoint(meta.num_rows, None, Counter(s or "unknown" for s in status))
        else:
            if parts_dir.exists():
                shutil.rmtree(parts_dir)
            parts_dir.mkdir()
        sink = cls(path, parts_dir, parts, point.records)
        sink._extra = point.extra or {}
        sink._write_state(sink._extra)
        return sink, point

    def _write_state(self, extra: dict[str, Any]) -> None:
        write_json_atomic(
            self.state_path,
            {
                "version": STATE_VERSION,
                "format": "parquet",
                "records": self.records,
                "parts": self.parts,
                "extra": extra,
            },
        )

    def write(self, record: dict[str, Any]) -> None:
        self._buffer.append(record)
        self.records += 1

    def commit(self, extra: dict[str, Any]) -> None:
        if self._buffer:
            table = records_table(self._buffer)
            final = self._part(self.parts)
            tmp = final.with_name(final.name + ".tmp")
            with open(tmp, "wb") as fh:
                pq.write_table(table, fh, row_group_size=max(len(self._buffer), 1))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, final)
            _fsync_dir(self.parts_dir)
            self.parts += 1
            self._buffer = []
        self._write_state(extra)
        self._extra = extra

    def _iter_parts(self) -> Iterator[pq.ParquetFile]:
        for n in range(self.parts):
            yield pq.ParquetFile(self._part(n))

    def finish(self) -> None:
        self.commit(self._extra)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            with pq.ParquetWriter(fh, OUTPUT_SCHEMA) as writer:
                for pf in self._iter_parts():
                    for g in range(pf.metadata.num_row_groups):
                        writer.write_table(pf.read_row_group(g))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.path.parent)
        shutil.rmtree(self.parts_dir)

    def close(self) -> None:
        self._buffer = []


# -- choosing a sink --------------------------------------------------------------------------------------


def output_format(path: str) -> Format:
    """The output format announced by a file name, or a :class:`BatchError`."""
    fmt = format_of(path)
    if fmt is None:
        raise BatchError(f"cannot tell the output format of {path}: use .jsonl, .jsonl.gz or .parquet")
    return fmt


def leftovers(path: Path) -> list[Path]:
    """Files an interrupted run left next to ``path`` (resume state, Parquet parts)."""
    found = [path.with_name(path.name + ".resume.json"), ParquetSink.parts_dir_for(path)]
    return [p for p in found if p.exists()]


def open_sink(path: str | Path, mode: Mode) -> tuple[Sink, ResumePoint]:
    """Open the output for a run: ``new`` (must not exist), ``overwrite`` or ``resume``."""
    out = Path(path)
    fmt = output_format(str(out))
    if out.is_dir():
        raise BatchError(f"output {out} is a directory (directory outputs need --engine ray)")
    if not out.parent.is_dir():
        raise BatchError(f"output directory {out.parent} does not exist")
    if mode == "new" and (out.exists() or leftovers(out)):
        what = "exists" if out.exists() else "has leftovers of an interrupted run"
        raise BatchError(f"output {out} {what}: pass --resume to continue it or --overwrite to replace it")
    if mode == "overwrite":
        for p in leftovers(out):
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
    try:
        if fmt == "parquet":
            return ParquetSink.open(out, mode)
        return JsonlSink.open(out, fmt, mode)
    except OSError as exc:
        raise BatchError(f"cannot write output {out}: {exc}") from None
