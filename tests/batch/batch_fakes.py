"""A fast, deterministic stand-in for :class:`extractor.Extractor` and synthetic inputs for batch tests.

``FakeExtractor.pipe`` honours the real contract (lazy, one result per input, in order, bad records
become error results) so the batch machinery can be tested in milliseconds. ``make_fake`` is the
factory handed to workers and to ``extractor run --factory batch_fakes:make_fake``; the environment
variable ``FAKE_EXTRACTOR_DELAY`` (seconds per record) slows it down for interruption tests.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extractor.schema import (
    Evidence,
    ExtractionResult,
    InterestSignal,
    PolicyDecision,
    RecordError,
    parse_record,
)

HERE = Path(__file__).resolve().parent


def package_root() -> Path:
    """The directory holding the ``extractor`` package under test (for subprocess PYTHONPATH)."""
    import extractor

    return Path(extractor.__file__).resolve().parent.parent


# keyword -> (interest id, name, ad category)
VOCAB: dict[str, tuple[str, str, str]] = {
    "trail": ("hiking", "Hiking", "Outdoor Gear"),
    "espresso": ("coffee", "Coffee", "Kitchen Appliances"),
    "chords": ("guitar", "Guitar", "Musical Instruments"),
    "marathon": ("running", "Running", "Footwear"),
    "sourdough": ("baking", "Baking", "Cookware"),
}
TOPIC_WORDS = tuple(VOCAB)


class FakeExtractor:
    """Keyword matcher with the ``pipe`` contract of the real extractor."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def _one(self, raw: Any) -> ExtractionResult:
        try:
            conv = parse_record(raw)
        except RecordError as err:
            return ExtractionResult.from_error(err)
        if conv.consent is False:
            return ExtractionResult(
                id=conv.id,
                status="excluded",
                policy=PolicyDecision(excluded=True, reason="no_consent"),
                user_id=conv.user_id,
                timestamp=conv.timestamp,
            )
        interests = []
        audit: list[tuple[str, int]] = []
        user_turns = [(i, t.text.lower()) for i, t in enumerate(conv.turns) if t.is_user]
        for word, (iid, name, category) in VOCAB.items():
            hits = [i for i, text in user_turns if word in text]
            if hits:
                interests.append(
                    InterestSignal(
                        id=iid,
                        name=name,
                        path=("Hobbies", name),
                        ad_categories=(category,),
                        intent="purchase" if "buy" in user_turns[0][1] else "interest",
                        score=round(0.5 + 0.1 * len(hits), 3),
                        evidence=(Evidence(turn=hits[0], text=word),),
                    )
                )
        doctor = sum(text.count("doctor") for _, text in user_turns)
        if doctor:
            audit.append(("redacted.health", doctor))
            audit.append(("suppressed.health", 1))
        return ExtractionResult(
            id=conv.id,
            status="ok",
            interests=tuple(interests),
            user_id=conv.user_id,
            timestamp=conv.timestamp,
            audit=tuple(audit),
        )

    def pipe(self, records: Iterable[Any], *, batch_size: int = 64) -> Iterator[ExtractionResult]:
        for raw in records:
            if self.delay:
                time.sleep(self.delay)
            yield self._one(raw)


def make_fake() -> FakeExtractor:
    return FakeExtractor(delay=float(os.environ.get("FAKE_EXTRACTOR_DELAY", "0")))


class BrokenFactory:
    """A factory whose extractor cannot be built (picklable, for worker tests)."""

    def __call__(self) -> FakeExtractor:
        raise OSError("model files missing")


# -- synthetic inputs ---------------------------------------------------------------------------------


def record(i: int) -> dict[str, Any]:
    """Synthetic record ``i``: a few turns mentioning topic words; every 7th has no consent."""
    word = TOPIC_WORDS[i % len(TOPIC_WORDS)]
    other = TOPIC_WORDS[(i // 3) % len(TOPIC_WORDS)]
    rec: dict[str, Any] = {
        "id": f"c{i:06d}",
        "user_id": f"u{i % 11}",
        "timestamp": 1_700_000_000 + 3600 * i,
        "turns": [
            {"speaker": "user", "text": f"Tell me about {word} number {i}."},
            {"speaker": "assistant", "text": "Sure, here are some ideas."},
            {"speaker": "user", "text": f"And {other}, my doctor says hi." if i % 5 == 0 else f"Thanks, {other}!"},
        ],
    }
    if i % 7 == 6:
        rec["consent"] = False
    return rec


MALFORMED = (
    b'{"id": "broken", "turns": [',  # truncated JSON
    b"",  # blank line
    b"[1, 2, 3]",  # not an object
    b'{"turns": [{"speaker": "user", "text": "no id here"}]}',  # missing id
    b'{"id": "x\xff", "turns": []}',  # invalid UTF-8
)


def jsonl_lines(n: int, *, malformed_every: int = 0) -> list[bytes]:
    """``n`` input lines; with ``malformed_every`` k, every k-th line is one of :data:`MALFORMED`."""
    lines = []
    for i in range(n):
        if malformed_every and i % malformed_every == malformed_every - 1:
            lines.append(MALFORMED[(i // malformed_every) % len(MALFORMED)])
        else:
            lines.append(json.dumps(record(i)).encode())
    return lines


def write_input(path: Path, n: int, *, malformed_every: int = 0) -> Path:
    """Write ``n`` records as ``.jsonl``, ``.jsonl.gz`` or ``.parquet`` (by extension)."""
    name = path.name
    if name.endswith(".parquet"):
        rows = [{"consent": None, **record(i)} for i in range(n)]  # every row with every column
        pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=100)
        return path
    data = b"".join(line + b"\n" for line in jsonl_lines(n, malformed_every=malformed_every))
    if name.endswith(".gz"):
        path.write_bytes(gzip.compress(data, mtime=0))
    else:
        path.write_bytes(data)
    return path


def read_output(path: Path) -> list[dict[str, Any]]:
    """Output records of a run, whatever the format (Parquet rows come back as dicts)."""
    if path.name.endswith(".parquet"):
        return pq.read_table(path).to_pylist()
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as fh:
        return [json.loads(line) for line in fh]


def run_cli(args: list[str], env: dict[str, str], *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m extractor ARGS`` and return the completed process (text output)."""
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
