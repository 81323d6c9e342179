"""``--engine ray``: the same batch run on Ray Data, on this machine or on a cluster.

Plan: a custom Ray Data datasource reads the input (one read task per input file, streaming blocks
of records tagged with their ``(file, row)`` index, malformed lines included, exactly as the local
engine reads them); ``map_batches`` sends batches to a pool of actors (``concurrency=workers``) that
each hold one extractor and run :func:`extractor.batch.worker.process`; then either

* a file output (``results.jsonl``, ``.jsonl.gz``, ``.parquet`` on a local disk): results stream
  back to the driver in input order (``preserve_order``) and are written by the same resumable,
  checkpointed writer as the local engine, so outputs are identical, ``--resume`` included; or
* a directory output (a path ending in ``/``, an existing directory, or any URI such as
  ``s3://bucket/results.parquet``): every write task writes its own part file straight from the
  cluster, named ``part-<file>-<row>`` after its first record so that sorted names give input
  order. ``--resume`` is not available there (Ray retries failed tasks; rerun with ``--overwrite``).

Ray is an optional dependency (``pip install "interest-signal-extractor[ray]"``), imported only here.
"""

from __future__ import annotations

import functools
import json
import logging
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from extractor.batch.audit import AuditCounts
from extractor.batch.errors import BatchError
from extractor.batch.progress import stderr_is_terminal
from extractor.batch.sinks import encode_json_line, records_table
from extractor.batch.sources import (
    Format,
    InputSet,
    RawRecord,
    ReadProgress,
    count_records,
    encode_row,
    format_of,
    iter_file,
    resolve_inputs,
)
from extractor.batch.worker import ExtractorFactory, Processed, locator, process

if TYPE_CHECKING:
    from extractor.batch.runner import RunOptions, RunSummary

READ_BLOCK_ROWS = 1024
_READ_SCHEMA = pa.schema([("_file", pa.int64()), ("_row", pa.int64()), ("kind", pa.string()), ("payload", pa.binary())])


def import_ray() -> Any:
    """Import Ray (with Ray Data) or explain how to install it."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise BatchError(
            'the Ray engine needs Ray Data: pip install "interest-signal-extractor[ray]" (ray[data]>=2.40)'
        ) from None
    return ray


# -- reading ------------------------------------------------------------------------------------------


def _encode(r: RawRecord) -> bytes:
    if r.kind == "row":
        return encode_row(r.payload)
    if r.kind == "invalid":
        return json.dumps(list(r.payload)).encode("utf-8")
    return bytes(r.payload)


def _decode(file_index: int, row: int, kind: str, payload: bytes) -> RawRecord:
    if kind == "row":
        return RawRecord(file_index, row, "row", json.loads(payload))
    if kind == "invalid":
        code, message = json.loads(payload)
        return RawRecord(file_index, row, "invalid", (code, message))
    return RawRecord(file_index, row, "line", payload)


def read_file_blocks(inputs: InputSet, file_index: int, skip: int, block_rows: int) -> Iterator[pa.Table]:
    """Ray read task: one input file as Arrow blocks of tagged raw records."""
    cols: dict[str, list[Any]] = {name: [] for name in _READ_SCHEMA.names}
    for r in iter_file(inputs, file_index, skip):
        cols["_file"].append(r.file_index)
        cols["_row"].append(r.row)
        cols["kind"].append(r.kind)
        cols["payload"].append(_encode(r))
        if len(cols["_row"]) >= block_rows:
            yield pa.table(cols, schema=_READ_SCHEMA)
            cols = {name: [] for name in _READ_SCHEMA.names}
    if cols["_row"]:
        yield pa.table(cols, schema=_READ_SCHEMA)


def make_datasource(inputs: InputSet, start: tuple[int, int], block_rows: int = READ_BLOCK_ROWS) -> Any:
    """A Ray Data datasource over ``inputs`` from ``start``: one read task per file, in order."""
    import_ray()
    from ray.data import Datasource, ReadTask
    from ray.data.block import BlockMetadata

    class TranscriptDatasource(Datasource):
        def estimate_inmemory_data_size(self) -> int | None:
            sizes = [inputs.filesystem.get_file_info(f.path).size for f in inputs.files[start[0] :]]
            return int(sum(s or 0 for s in sizes)) or None

        def get_read_tasks(
            self, parallelism: int, per_task_row_limit: int | None = None, data_context: Any = None
        ) -> list[Any]:
            tasks = []
            for i in range(start[0], len(inputs.files)):
                skip = start[1] if i == start[0] else 0
                meta = BlockMetadata(
                    num_rows=None, size_bytes=None, input_files=[inputs.files[i].path], exec_stats=None
                )
                read = functools.partial(read_file_blocks, inputs, i, skip, block_rows)
                tasks.append(ReadTask(read, meta, schema=_READ_SCHEMA, per_task_row_limit=per_task_row_limit))
            return tasks

    return TranscriptDatasource()


# -- extraction ----------------------------------------------------------------------------------------


class ExtractActor:
    """Ray actor: one extractor, applied to batches of tagged raw records."""

    def __init__(self, factory: ExtractorFactory, prefixes: tuple[str, ...], batch_size: int) -> None:
        try:
            self._extractor = factory()
        except Exception as exc:
            raise BatchError(f"a Ray actor could not build its extractor: {type(exc).__name__}: {exc}") from None
        self._prefixes = prefixes
        self._batch_size = batch_size

    def __call__(self, batch: pa.Table) -> pa.Table:
        files = batch.column("_file").to_pylist()
        rows = batch.column("_row").to_pylist()
        items = [
            _decode(f, r, k, p)
            for f, r, k, p in zip(
                files, rows, batch.column("kind").to_pylist(), batch.column("payload").to_pylist(), strict=True
            )
        ]
        done = process(self._extractor, items, self._prefixes, self._batch_size)
        return pa.table(
            {
                "_file": pa.array(files, pa.int64()),
                "_row": pa.array(rows, pa.int64()),
                "record": pa.array([json.dumps(d, ensure_ascii=True) for d, _, _ in done], pa.string()),
                "status": pa.array([s for _, s, _ in done], pa.string()),
                "audit": pa.array([json.dumps([list(c) for c in a]) for _, _, a in done], pa.string()),
            }
        )


def _processed(batch: pa.Table) -> list[Processed]:
    return [
        (json.loads(rec), status, tuple((str(k), int(n)) for k, n in json.loads(audit)))
        for rec, status, audit in zip(
            batch.column("record").to_pylist(),
            batch.column("status").to_pylist(),
            batch.column("audit").to_pylist(),
            strict=True,
        )
    ]


# -- directory output ------------------------------------------------------------------------------


_EXTENSIONS: dict[Format, str] = {"jsonl": ".jsonl", "jsonl.gz": ".jsonl.gz", "parquet": ".parquet"}


def make_part_datasink(root: str, fmt: Format) -> Any:
    """A Ray datasink writing one part file per write task into ``root`` (local path or URI)."""
    import_ray()
    from ray.data import Datasink

    class PartDatasink(Datasink):
        def __init__(self) -> None:
            self.audit = AuditCounts()
            self.rows = 0

        def _fs(self) -> tuple[pafs.FileSystem, str]:
            if "://" in root:
                return pafs.FileSystem.from_uri(root)
            return pafs.LocalFileSystem(), str(Path(root).resolve())

        def on_write_start(self, schema: pa.Schema | None = None) -> None:
            fs, path = self._fs()
            fs.create_dir(path, recursive=True)

        def write(self, blocks: Any, ctx: Any) -> dict[str, Any]:
            tables = [b for b in blocks if b.num_rows]
            if not tables:
                return {"statuses": {}, "counters": {}, "rows": 0}
            table = pa.concat_tables(tables)
            name = f"part-{table.column('_file')[0].as_py():05d}-{table.column('_row')[0].as_py():012d}"
            done = _processed(table)
            fs, path = self._fs()
            final = posixpath.join(path, name + _EXTENSIONS[fmt])
            with fs.open_output_stream(final, compression="gzip" if fmt == "jsonl.gz" else None) as out:
                if fmt == "parquet":
                    pq.write_table(records_table(d for d, _, _ in done), out)
                else:
                    for d, _, _ in done:
                        out.write(encode_json_line(d))
            audit = AuditCounts()
            for _, status, counters in done:
                audit.add(status, counters)
            return {"statuses": dict(audit.statuses), "counters": dict(audit.counters), "rows": len(done)}

        def on_write_complete(self, write_result: Any) -> None:
            for part in write_result.write_returns:
                self.audit.merge(AuditCounts.from_state(part))
                self.rows += int(part["rows"])

    return PartDatasink()


def is_directory_output(output: str) -> bool:
    """Whether ``output`` names a directory of part files rather than one file."""
    return "://" in output or output.endswith(("/", "\\")) or Path(output).is_dir()


def _clear_directory(output: str, *, overwrite: bool) -> None:
    fs, path = pafs.FileSystem.from_uri(output) if "://" in output else (pafs.LocalFileSystem(), output)
    info = fs.get_file_info(path)
    if info.type == pafs.FileType.NotFound:
        return
    if info.type != pafs.FileType.Directory:
        raise BatchError(f"output {output} exists and is not a directory")
    if fs.get_file_info(pafs.FileSelector(path, recursive=False)):
        if not overwrite:
            raise BatchError(f"output directory {output} is not empty: pass --overwrite to replace its contents")
        fs.delete_dir_contents(path)


# -- the run ----------------------------------------------------------------------------------------


def _start_ray(ray: Any, options: RunOptions) -> bool:
    if ray.is_initialized():
        return False
    try:
        if options.ray_address:
            ray.init(address=options.ray_address, logging_level=logging.WARNING, log_to_driver=False)
        else:
            ray.init(
                num_cpus=options.ray_cpus,
                include_dashboard=False,
                logging_level=logging.WARNING,
                log_to_driver=False,
            )
    except Exception as exc:
        where = options.ray_address or "a local Ray"
        raise BatchError(f"cannot start or join {where}: {type(exc).__name__}: {exc}") from None
    return True


def _unwrap(exc: BaseException) -> BatchError:
    """A Ray failure as a :class:`BatchError` (our own errors keep their message)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        cause = getattr(cur, "cause", None)  # RayTaskError wraps (and subclasses) the original error
        if isinstance(cause, BaseException) and cause is not cur:
            cur = cause
            continue
        if isinstance(cur, BatchError):
            return BatchError(str(cur))
        if getattr(cur, "actor_init_failed", False):  # only the text of the actor's error survives
            found = re.findall(r"BatchError: (.+)", getattr(cur, "error_msg", "") or "")
            return BatchError(found[-1] if found else "a Ray actor failed to start; see the Ray logs")
        cur = cur.__cause__
    return BatchError(f"the Ray run failed: {type(exc).__name__}")


def _dataset(ray: Any, inputs: InputSet, start: tuple[int, int], factory: ExtractorFactory, options: RunOptions) -> Any:
    ds = ray.data.read_datasource(make_datasource(inputs, start))
    return ds.map_batches(
        ExtractActor,
        fn_constructor_kwargs={"factory": factory, "prefixes": locator(inputs), "batch_size": options.batch_size},
        batch_size=options.batch_size,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=options.workers),
        num_cpus=options.ray_cpus_per_worker,
    )


def run_ray(options: RunOptions, factory: ExtractorFactory) -> RunSummary:
    """Run ``options`` on Ray Data (see the module docstring)."""
    import time

    from extractor.batch.runner import RunSummary, write_all

    ray = import_ray()
    inputs = resolve_inputs(options.input, json_column=options.json_column)
    directory = is_directory_output(options.output)
    if directory:
        fmt = options.output_format or format_of(options.output)
        if fmt is None:
            raise BatchError(f"cannot tell the format of directory output {options.output}: pass --output-format")
        if options.resume:
            raise BatchError("--resume needs a file output; a directory output is rewritten with --overwrite")
        _clear_directory(options.output, overwrite=options.overwrite)
    started = _start_ray(ray, options)
    try:
        from ray.data import DataContext

        ctx = DataContext.get_current()
        ctx.execution_options.preserve_order = True
        ctx.enable_progress_bars = directory and options.progress and stderr_is_terminal()
        ctx.print_on_execution_start = False
        if not options.progress:
            for name in ("ray", "ray.data"):
                logging.getLogger(name).setLevel(logging.ERROR)
        if directory:
            t0 = time.monotonic()
            sink = make_part_datasink(options.output, fmt)  # type: ignore[arg-type]
            try:
                _dataset(ray, inputs, (0, 0), factory, options).write_datasink(sink)
            except Exception as exc:
                raise _unwrap(exc) from None
            if options.audit:
                sink.audit.write(options.audit)
            return RunSummary(options.output, sink.rows, 0, dict(sink.audit.statuses), time.monotonic() - t0)

        all_parquet = all(f.fmt == "parquet" for f in inputs.files)
        total = sum(count_records(inputs, i) for i in range(len(inputs.files))) if all_parquet else None

        def results_for(start: tuple[int, int], read: ReadProgress) -> Iterator[list[Processed]]:
            if all_parquet:
                read.done = sum(count_records(inputs, i) for i in range(start[0])) + start[1]
            expected = start
            try:
                ds = _dataset(ray, inputs, start, factory, options)
                for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
                    if batch.num_rows == 0:
                        continue
                    first = (batch.column("_file")[0].as_py(), batch.column("_row")[0].as_py())
                    if first < expected:
                        raise BatchError("Ray returned records out of order")
                    expected = (batch.column("_file")[-1].as_py(), batch.column("_row")[-1].as_py() + 1)
                    read.add(batch.num_rows)
                    yield _processed(batch)
            except Exception as exc:
                raise _unwrap(exc) from None

        return write_all(options, results_for, inputs=inputs, total=total)
    finally:
        if started:
            ray.shutdown()
