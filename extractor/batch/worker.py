"""Turning raw input records into output records, in the main process or in worker processes/actors.

The same :func:`process` runs for every engine, so all engines give the same records: it feeds a
chunk to ``extractor.pipe``, checks that exactly one result came back per record, and names the
record's place in the input (``line 12``) in error messages instead of anything from its text.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from extractor.batch.errors import BatchError
from extractor.batch.sources import InputSet, RawRecord
from extractor.schema import ExtractionResult, RecordError

#: One output record with what the run needs to count it: (record dict, status, audit counters).
Processed = tuple[dict[str, Any], str, tuple[tuple[str, int], ...]]


class SupportsPipe(Protocol):
    """What a batch run needs of an extractor: :meth:`extractor.Extractor.pipe`."""

    def pipe(self, records: Iterable[Any], *, batch_size: int = ...) -> Iterator[ExtractionResult]: ...


ExtractorFactory = Callable[[], SupportsPipe]


@dataclass(frozen=True)
class DefaultExtractorFactory:
    """Builds an :class:`extractor.Extractor` from ``ExtractorConfig`` fields (picklable, for workers)."""

    config: dict[str, Any] | None = None

    def __call__(self) -> SupportsPipe:
        from extractor.config import ExtractorConfig
        from extractor.pipeline import Extractor

        config = ExtractorConfig.model_validate(self.config) if self.config else None
        return Extractor(config=config)


def load_factory(spec: str) -> ExtractorFactory:
    """Resolve ``"package.module:callable"`` to a factory of extractors (a plugin point)."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise BatchError(f"--factory must look like package.module:callable, got {spec!r}")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise BatchError(f"cannot load factory {spec!r}: {exc}") from None
    if not callable(obj):
        raise BatchError(f"factory {spec!r} is not callable")
    return obj


def locator(inputs: InputSet) -> tuple[str, ...]:
    """Per input file, the prefix of its location labels ("line ", "part-1.jsonl line ")."""
    out = []
    for f in inputs.files:
        unit = "row" if f.fmt == "parquet" else "line"
        out.append(f"{f.label} {unit} " if f.label else f"{unit} ")
    return tuple(out)


def _with_location(result: ExtractionResult, where: str) -> dict[str, Any]:
    record = result.to_dict()
    error = record.get("error")
    if error is not None:
        error["message"] = f"{where}: {error['message']}"
    return record


def process(
    extractor: SupportsPipe, items: Sequence[RawRecord], prefixes: Sequence[str], batch_size: int
) -> list[Processed]:
    """Run one chunk of input records through the extractor; one output per input, in order."""
    feed = [r.payload for r in items if r.kind != "invalid"]
    try:
        results = iter(extractor.pipe(feed, batch_size=batch_size))
        out: list[Processed] = []
        for r in items:
            if r.kind == "invalid":
                code, message = r.payload
                res = ExtractionResult.from_error(RecordError(code, message))
            else:
                res = next(results, None)
                if res is None:
                    raise BatchError("the extractor returned fewer results than it was given records")
            out.append((_with_location(res, prefixes[r.file_index] + str(r.row + 1)), res.status, tuple(res.audit)))
        if next(results, None) is not None:
            raise BatchError("the extractor returned more results than it was given records")
    except BatchError:
        raise
    except Exception as exc:  # the contract says pipe never raises for a record; this is a real failure
        raise BatchError(f"the extractor failed on a batch ({type(exc).__name__})") from None
    return out


# -- process-pool workers -----------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def init_worker(factory: ExtractorFactory, prefixes: tuple[str, ...], batch_size: int, workers: int = 1) -> None:
    """Process-pool initializer: build this worker's one extractor."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the pool
    torch = sys.modules.get("torch")
    if torch is not None:  # share the cores between workers instead of each taking them all
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // workers))
    _WORKER.update(prefixes=prefixes, batch_size=batch_size, error=None)
    try:
        _WORKER["extractor"] = factory()
    except Exception as exc:  # reported on the first chunk, where the parent sees it
        _WORKER["error"] = f"{type(exc).__name__}: {exc}"


def work(items: list[RawRecord]) -> list[Processed]:
    """Process-pool task: one chunk."""
    if _WORKER.get("error"):
        raise BatchError(f"a worker could not build its extractor: {_WORKER['error']}")
    return process(_WORKER["extractor"], items, _WORKER["prefixes"], _WORKER["batch_size"])
