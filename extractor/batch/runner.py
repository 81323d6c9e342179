"""Batch runs: input files in, one output record per input record out, in input order.

The local engine reads the input as a stream, sends chunks of ``batch_size`` records to the
extractor (in this process, or in ``workers`` spawned processes that each build one extractor) with
at most two chunks per worker in flight, and writes results in input order as they complete, so
memory stays bounded whatever the input size. See :mod:`extractor.batch.sinks` for checkpoints and
``--resume``, and :mod:`extractor.batch.ray_engine` for the Ray Data engine.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from extractor.batch.audit import AuditCounts
from extractor.batch.errors import BatchError
from extractor.batch.progress import RunProgress, stderr_is_terminal
from extractor.batch.sinks import ResumePoint, Sink, open_sink
from extractor.batch.sources import (
    Format,
    InputSet,
    RawRecord,
    ReadProgress,
    fingerprint,
    iter_records,
    locate,
    progress_total,
)
from extractor.batch.worker import (
    DefaultExtractorFactory,
    ExtractorFactory,
    Processed,
    init_worker,
    locator,
    process,
    work,
)

Engine = Literal["local", "ray"]
#: An engine's stream of processed chunks, given where to start (see ``locate``) and a read counter.
ResultsFn = Callable[[tuple[int, int], ReadProgress], Iterable[list[Processed]]]


class Interrupted(BatchError):
    """The user stopped the run (Ctrl-C, SIGTERM); the output is resumable."""


@dataclass
class RunOptions:
    """Options of one batch run (the ``extractor run`` command line)."""

    input: str
    output: str
    workers: int = 1
    batch_size: int = 64
    resume: bool = False
    overwrite: bool = False
    audit: str | None = None
    #: Records between durable checkpoints (flush + fsync + resume state; one Parquet part).
    checkpoint_every: int = 1000
    #: Show a progress bar (only ever on a terminal).
    progress: bool = True
    #: Parquet input: the column holding one raw JSON record per row (detected when omitted).
    json_column: str | None = None
    engine: Engine = "local"
    #: Ray: address of a running cluster to join; by default a local Ray is started.
    ray_address: str | None = None
    #: Ray: CPUs of the local Ray started when no address is given (default: all).
    ray_cpus: int | None = None
    #: Ray: CPUs reserved per extraction actor.
    ray_cpus_per_worker: float = 1.0
    #: Format of a directory output (Ray engine), when the directory name does not tell.
    output_format: Format | None = None

    def validate(self) -> None:
        if self.workers < 1:
            raise BatchError("--workers must be at least 1")
        if self.batch_size < 1:
            raise BatchError("--batch-size must be at least 1")
        if self.checkpoint_every < 1:
            raise BatchError("--checkpoint-every must be at least 1")
        if self.resume and self.overwrite:
            raise BatchError("--resume and --overwrite cannot be combined")


@dataclass
class RunSummary:
    """What a run did. ``statuses`` covers the whole output, records of earlier runs included."""

    output: str
    processed: int
    resumed_from: int
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.resumed_from + self.processed

    @property
    def rate(self) -> float:
        return self.processed / self.seconds if self.seconds > 0 else 0.0


def chunked(records: Iterable[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def audit_from(point: ResumePoint) -> AuditCounts:
    """Counters to start from when resuming: saved ones, or statuses counted from the output."""
    if point.extra and "audit" in point.extra:
        return AuditCounts.from_state(point.extra["audit"])
    return AuditCounts(statuses=point.statuses.copy(), uncounted=point.records)


def build_extractor(factory: ExtractorFactory) -> object:
    try:
        return factory()
    except BatchError:
        raise
    except Exception as exc:
        raise BatchError(f"cannot build the extractor: {type(exc).__name__}: {exc}") from None


def local_results(
    chunks: Iterable[list[RawRecord]],
    factory: ExtractorFactory,
    *,
    workers: int,
    prefixes: tuple[str, ...],
    batch_size: int,
) -> Iterator[list[Processed]]:
    """Processed chunks in input order, from this process or a pool of ``workers`` processes."""
    if workers <= 1:
        extractor = build_extractor(factory)
        for chunk in chunks:
            yield process(extractor, chunk, prefixes, batch_size)  # type: ignore[arg-type]
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context("spawn"),
        initializer=init_worker,
        initargs=(factory, prefixes, batch_size, workers),
    )
    pending: deque[Future[list[Processed]]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(work, chunk))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise BatchError("a worker process died (out of memory?); rerun with --resume to continue") from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def consume(
    results: Iterable[list[Processed]],
    sink: Sink,
    audit: AuditCounts,
    *,
    checkpoint_every: int,
    progress: RunProgress,
    read: ReadProgress | None = None,
    state: dict[str, Any] | None = None,
) -> int:
    """Write processed chunks to ``sink``, counting them, with a checkpoint every ``checkpoint_every``
    records and one at the end.

    Each checkpoint saves the audit counters and ``state`` with the output's resume point.
    """
    n = 0
    for chunk in results:
        for record, status, counters in chunk:
            sink.write(record)
            audit.add(status, counters)
            n += 1
            if sink.records % checkpoint_every == 0:
                sink.commit({**(state or {}), "audit": audit.to_state()})
        progress.update(n, read.done if read is not None else None)
    sink.commit({**(state or {}), "audit": audit.to_state()})
    progress.update(n, read.done if read is not None else None, force=True)
    return n


def write_all(
    options: RunOptions,
    results_for: ResultsFn,
    *,
    inputs: InputSet,
    total: int | None,
) -> RunSummary:
    """Open the output (resuming if asked), stream ``results_for(start, read)`` into it, finish it."""
    if inputs.filesystem.type_name == "local":
        out = Path(options.output).expanduser().resolve()
        source = Path(options.input).expanduser().resolve()
        if out == source or (source.is_dir() and out.is_relative_to(source)):
            raise BatchError("the output must not be the input file or lie inside the input directory")
    mode = "resume" if options.resume else "overwrite" if options.overwrite else "new"
    started = time.monotonic()
    sink, point = open_sink(options.output, mode)
    audit = audit_from(point)
    try:
        seen = fingerprint(inputs)
        if point.extra and point.extra.get("input") not in (None, seen):
            raise BatchError(
                f"the input differs from the one {options.output} was started from (file names or sizes); "
                "resume with that input, or start over with --overwrite"
            )
        start = locate(inputs, point.records)
        read = ReadProgress()
        enabled = options.progress and stderr_is_terminal()
        with RunProgress(enabled=enabled, total=total) as bar:
            processed = consume(
                results_for(start, read),
                sink,
                audit,
                checkpoint_every=options.checkpoint_every,
                progress=bar,
                read=read if total is not None else None,
                state={"input": seen},
            )
        sink.finish()
    except KeyboardInterrupt:
        sink.close()
        raise Interrupted("interrupted; run the same command with --resume to continue") from None
    except OSError as exc:
        sink.close()
        raise BatchError(f"cannot write output {options.output}: {exc}") from None
    except BaseException:
        sink.close()
        raise
    if options.audit:
        try:
            audit.write(options.audit)
        except OSError as exc:
            raise BatchError(f"cannot write audit {options.audit}: {exc}") from None
    return RunSummary(options.output, processed, point.records, dict(audit.statuses), time.monotonic() - started)


def run_batch(options: RunOptions, extractor_factory: ExtractorFactory | None = None) -> RunSummary:
    """Run the extractor over ``options.input`` into ``options.output``.

    ``extractor_factory`` builds one extractor (once per worker); it must be picklable when
    ``workers > 1`` or with Ray. The default builds :class:`extractor.Extractor`.
    Raises :class:`BatchError` when the run itself fails; bad records never do.
    """
    options.validate()
    factory = extractor_factory or DefaultExtractorFactory()
    if options.engine == "ray":
        from extractor.batch.ray_engine import run_ray

        return run_ray(options, factory)
    from extractor.batch.sources import resolve_inputs

    inputs = resolve_inputs(options.input, json_column=options.json_column)
    prefixes = locator(inputs)
    units_total, unit = progress_total(inputs)

    def results_for(start: tuple[int, int], read: ReadProgress) -> Iterator[list[Processed]]:
        chunks = chunked(iter_records(inputs, start, read, unit), options.batch_size)
        return local_results(chunks, factory, workers=options.workers, prefixes=prefixes, batch_size=options.batch_size)

    return write_all(options, results_for, inputs=inputs, total=units_total)
