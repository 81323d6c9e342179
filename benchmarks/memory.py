"""Memory check for batch runs: resident memory must not grow with the number of records.

Writes a synthetic input of ``--records`` transcripts (about 1.5 KB each, generated here, nothing
from any real data set), runs the local engine over it in this one process, and samples the
resident set size (``VmRSS``) when ``--first`` records and when all records have been extracted.
Prints one JSON object::

    {"records": 20000, "first": 2000, "rss_mib": {"2000": ..., "20000": ...}, "ratio": ..., "ok": true}

and exits with status 1 when RSS at the end exceeds RSS at ``--first`` by more than ``--tolerance``
(default 10%). The default extractor is the real one; ``--factory module:callable`` swaps in another
(the test suite uses a fast fake, so that the check measures the batch machinery itself).

    python benchmarks/memory.py --records 20000 --first 2000 --format parquet
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

WORDS = (
    "trail boots tent espresso grinder chords amp marathon shoes sourdough starter oven garden seeds kayak "
    "paddle camera lens novel chapter recipe spice bike helmet chess opening paint canvas yoga mat"
).split()


def rss_mib() -> float:
    """Current resident set size in MiB (Linux ``/proc``; elsewhere the peak, from ``getrusage``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_synthetic(path: Path, n: int, seed: int = 7) -> None:
    """``n`` synthetic transcripts as JSON Lines, written one at a time."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            turns = []
            for t in range(6):
                text = " ".join(rng.choice(WORDS) for _ in range(40))
                turns.append({"speaker": "user" if t % 2 == 0 else "assistant", "text": f"{text}."})
            rec = {"id": f"m{i:07d}", "user_id": f"u{i % 997}", "timestamp": 1_700_000_000 + i, "turns": turns}
            fh.write(json.dumps(rec) + "\n")


class Sampling:
    """Wraps an extractor and samples RSS once ``at`` records have come out of ``pipe``."""

    def __init__(self, inner: Any, at: Iterable[int], samples: dict[int, float]) -> None:
        self.inner = inner
        self.at = set(at)
        self.samples = samples
        self.count = 0

    def pipe(self, records: Iterable[Any], *, batch_size: int = 64) -> Iterator[Any]:
        for result in self.inner.pipe(records, batch_size=batch_size):
            self.count += 1
            if self.count in self.at:
                self.samples[self.count] = rss_mib()
            yield result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--first", type=int, default=2_000)
    parser.add_argument("--format", choices=["jsonl", "jsonl.gz", "parquet"], default="jsonl")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--checkpoint-every", type=int, default=1000)
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--factory", help="module:callable building the extractor (default: extractor.Extractor)")
    args = parser.parse_args(argv)

    from extractor.batch.runner import RunOptions, run_batch
    from extractor.batch.worker import DefaultExtractorFactory, load_factory

    factory = load_factory(args.factory) if args.factory else DefaultExtractorFactory()
    samples: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        inp = Path(tmp) / "in.jsonl"
        write_synthetic(inp, args.records)
        options = RunOptions(
            str(inp),
            str(Path(tmp) / f"out.{args.format}"),
            batch_size=args.batch_size,
            checkpoint_every=args.checkpoint_every,
            progress=False,
        )
        run_batch(options, lambda: Sampling(factory(), (args.first, args.records), samples))
    first, last = samples[args.first], samples[args.records]
    ratio = last / first
    ok = ratio <= 1 + args.tolerance
    report = {
        "records": args.records,
        "first": args.first,
        "format": args.format,
        "rss_mib": {str(k): round(v, 1) for k, v in sorted(samples.items())},
        "ratio": round(ratio, 4),
        "tolerance": args.tolerance,
        "ok": ok,
    }
    print(json.dumps(report))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
