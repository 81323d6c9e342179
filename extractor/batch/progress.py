"""Terminal progress bar for batch runs (records, records/s, ETA), shown only on a terminal."""

from __future__ import annotations

import sys
import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


class RunProgress:
    """Progress of a run. ``total`` is in input units (bytes or rows), ``None`` when unknown.

    The ETA comes from the input position, so it holds for bytes of JSON Lines as well as Parquet rows.
    """

    def __init__(self, *, enabled: bool, total: int | None, description: str = "extracting") -> None:
        self._enabled = enabled
        self._progress: Progress | None = None
        self._start = time.monotonic()
        self._last = 0.0
        if not enabled:
            return
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[records]} records"),
            TextColumn("{task.fields[rate]}/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._progress.add_task(description, total=total, records="0", rate="-")

    def __enter__(self) -> RunProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, records: int, position: int | None = None, *, force: bool = False) -> None:
        """``records`` processed in this run so far; ``position`` in input units, if known."""
        if self._progress is None:
            return
        now = time.monotonic()
        if not force and now - self._last < 0.2:
            return
        self._last = now
        elapsed = max(now - self._start, 1e-9)
        fields = {"records": f"{records:,}", "rate": f"{records / elapsed:,.0f}"}
        if position is None:
            self._progress.update(self._task, **fields)
        else:
            self._progress.update(self._task, completed=position, **fields)
