"""Two runs of quality.py, record by record: what changed between them and whether it is more than noise.

Run from the repository root::

    .venv/bin/python benchmarks/quality.py --skip-baselines --predictions /tmp/a.jsonl
    .venv/bin/python benchmarks/quality.py --skip-baselines --predictions /tmp/b.jsonl --set protected_threshold=0.6
    .venv/bin/python benchmarks/compare_predictions.py /tmp/a.jsonl /tmp/b.jsonl [--ids] [--json OUT]

Both files must cover the same records with the same labels (same evaluation files and ``--limit``).
For each figure it prints run A, run B, B minus A with a paired 95% bootstrap interval over records
(``confidence.py``, the same method as quality.py's "beats" verdicts), and the records behind the change
in both directions: topic labels found or lost, topics wrongly reported or no longer, sensitive texts
found or missed, controls cleared or newly flagged. The exact McNemar p-value on those two counts says
how likely so lopsided a split is when the change is noise. Retraining the heads with another seed moves
a few records each way; a p-value under 0.05 is worth a look, one over it is within that spread.

It reads ids and labels only and prints no record text (``--ids`` lists record ids).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(1, str(Path(__file__).parent))  # the sibling module below, also when loaded by path

import confidence as cf

PARTS = ("conversations", "sensitive", "controls")


class PredictionsError(ValueError):
    """A predictions file that cannot be read, or two that do not cover the same labelled records."""


@dataclass(frozen=True)
class Run:
    """One ``quality.py --predictions`` file: its run line and its records by part and id."""

    name: str
    meta: Mapping[str, Any]
    records: Mapping[str, Mapping[str, Mapping[str, Any]]]

    @classmethod
    def from_disk(cls, path: Path, name: str | None = None) -> Run:
        meta: dict[str, Any] = {}
        records: dict[str, dict[str, Mapping[str, Any]]] = {p: {} for p in PARTS}
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path.name} line {lineno}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise PredictionsError(f"{where}: not valid JSON ({exc.msg})") from None
                part = row.get("part") if isinstance(row, dict) else None
                if part == "run":
                    meta = row
                    continue
                if part not in records or not isinstance(row.get("id"), str):
                    raise PredictionsError(f"{where}: not a quality.py --predictions line (part {part!r})")
                if row["id"] in records[part]:
                    raise PredictionsError(f"{where}: {part} record {row['id']!r} appears twice")
                records[part][row["id"]] = row
        if not meta:
            raise PredictionsError(f"{path}: no run line; write it with quality.py --predictions")
        return cls(name=name or path.stem, meta=meta, records=records)


@dataclass
class Row:
    """One figure of both runs; ``better`` / ``worse`` are the records that moved it, as (id, detail)."""

    figure: str
    a: float | None
    b: float | None
    interval: cf.Interval | None = None
    better: list[tuple[str, str]] = field(default_factory=list)
    worse: list[tuple[str, str]] = field(default_factory=list)
    better_label: str = ""
    worse_label: str = ""
    paired: bool = True  # better / worse are discordant pairs of one outcome (McNemar applies)

    @property
    def p_value(self) -> float | None:
        return cf.mcnemar_exact(len(self.better), len(self.worse)) if self.paired else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "figure": self.figure,
            "a": self.a,
            "b": self.b,
            "difference": None if self.a is None or self.b is None else self.b - self.a,
            "interval": cf.interval_dict(self.interval),
            self.better_label or "better": [i for i, _ in self.better],
            self.worse_label or "worse": [i for i, _ in self.worse],
            "p_value": self.p_value,
        }


def paired_records(a: Run, b: Run, part: str) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """The records of ``part`` in both runs, in A's order; the two runs must hold the same ids and labels."""
    ra, rb = a.records[part], b.records[part]
    only_a, only_b = sorted(set(ra) - set(rb)), sorted(set(rb) - set(ra))
    if only_a or only_b:
        raise PredictionsError(
            f"{part}: {len(only_a)} record(s) only in {a.name}, {len(only_b)} only in {b.name}"
            f" (e.g. {(only_a or only_b)[0]!r}): compare runs over the same evaluation files and --limit"
        )
    for rid, row in ra.items():
        if row.get("labels") != rb[rid].get("labels") or row.get("hard_negative") != rb[rid].get("hard_negative"):
            raise PredictionsError(f"{part} record {rid!r}: labelled differently in the two runs")
    return [(row, rb[rid]) for rid, row in ra.items()]


def topic_rows(pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> list[Row]:
    """Micro recall, precision and F1 over the labelled conversations, with the topics behind each change."""
    labelled = [(x, y) for x, y in pairs if x["labels"]]
    gold = [set(x["labels"]) for x, _ in labelled]
    pred_a = [set(x["topics"]) for x, _ in labelled]
    pred_b = [set(y["topics"]) for _, y in labelled]
    counts_a = cf.topic_counts(zip(gold, pred_a, strict=True))
    counts_b = cf.topic_counts(zip(gold, pred_b, strict=True))
    found, lost, cleared, added = [], [], [], []
    for (x, _), g, pa, pb in zip(labelled, gold, pred_a, pred_b, strict=True):
        found += [(x["id"], t) for t in sorted((pb - pa) & g)]
        lost += [(x["id"], t) for t in sorted((pa - pb) & g)]
        cleared += [(x["id"], t) for t in sorted((pa - pb) - g)]
        added += [(x["id"], t) for t in sorted((pb - pa) - g)]

    def figure(key: str, counts: np.ndarray) -> float | None:
        value = float(cf.micro(key, *counts.T)) if len(counts) else float("nan")
        return None if np.isnan(value) else value

    def row(key: str, **kw: Any) -> Row:
        return Row(
            f"topics micro {key}",
            figure(key, counts_a),
            figure(key, counts_b),
            cf.micro_difference(counts_b, counts_a, key) if len(labelled) else None,
            **kw,
        )

    return [
        row("recall", better=found, worse=lost, better_label="labels found", worse_label="labels lost"),
        row("precision", better=cleared, worse=added, better_label="wrong topics gone", worse_label="wrong topics new"),
        row(
            "f1",
            better=found + cleared,
            worse=lost + added,
            better_label="topics right",
            worse_label="topics wrong",
            paired=False,  # two outcomes pooled: the bootstrap interval is the test here
        ),
    ]


def rate_row(
    figure: str,
    texts: Sequence[tuple[str, bool, bool]],
    *,
    higher_is_better: bool,
    labels: tuple[str, str],
    details: tuple[str, str],
) -> Row:
    """A rate over texts, each (id, yes in A, yes in B): a recall where yes is right, a false-positive
    rate where it is wrong. ``labels`` name the texts that moved it the good and the bad way, ``details``
    tag each such text."""
    yes_a = [a for _, a, _ in texts]
    yes_b = [b for _, _, b in texts]
    gained = [i for i, a, b in texts if b and not a]
    dropped = [i for i, a, b in texts if a and not b]
    better, worse = (gained, dropped) if higher_is_better else (dropped, gained)
    return Row(
        figure,
        float(np.mean(yes_a)),
        float(np.mean(yes_b)),
        cf.rate_difference(yes_b, yes_a),
        better=[(i, details[0]) for i in better],
        worse=[(i, details[1]) for i in worse],
        better_label=labels[0],
        worse_label=labels[1],
    )


def protected_rows(pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> list[Row]:
    """Recall per category on the sensitive texts and their unweighted mean."""
    categories = sorted({c for x, _ in pairs for c in x["labels"]})
    rows = []
    for c in categories:
        texts = [(x["id"], c in x["predicted"], c in y["predicted"]) for x, y in pairs if c in x["labels"]]
        rows.append(
            rate_row(
                f"protected recall, {c}",
                texts,
                higher_is_better=True,
                labels=("texts found", "texts missed"),
                details=(c, c),
            )
        )
    gold = [set(x["labels"]) for x, _ in pairs]
    matrix_a = cf.recall_matrix([(g, set(x["predicted"])) for g, (x, _) in zip(gold, pairs, strict=True)], categories)
    matrix_b = cf.recall_matrix([(g, set(y["predicted"])) for g, (_, y) in zip(gold, pairs, strict=True)], categories)
    rows.append(
        Row(
            "protected mean recall",
            float(np.mean([r.a for r in rows])) if rows else None,
            float(np.mean([r.b for r in rows])) if rows else None,
            cf.mean_recall_difference(matrix_b, matrix_a) if rows else None,
            better=[i for r in rows for i in r.better],
            worse=[i for r in rows for i in r.worse],
            better_label="texts found",
            worse_label="texts missed",
            paired=False,  # categories pooled: the bootstrap interval is the test here
        )
    )
    return rows


def control_rows(pairs: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]]) -> list[Row]:
    """False-positive rate (any category) on the ordinary and the hard-negative controls."""
    rows = []
    for name, hard in (("ordinary controls", False), ("hard negatives", True)):
        texts = [(x["id"], bool(x["predicted"]), bool(y["predicted"])) for x, y in pairs if x["hard_negative"] is hard]
        if not texts:
            continue
        rows.append(
            rate_row(
                f"false-positive rate, {name}",
                texts,
                higher_is_better=False,
                labels=("cleared", "newly flagged"),
                details=("cleared", "flagged"),
            )
        )
    return rows


def compare(a: Run, b: Run) -> dict[str, Any]:
    """Every figure both runs measured, and how many conversations' outputs changed at all."""
    rows: list[Row] = []
    out: dict[str, Any] = {"a": a.name, "b": b.name}
    convs = paired_records(a, b, "conversations")
    if convs:
        protected_only = bool(a.meta.get("protected_only")) or bool(b.meta.get("protected_only"))
        if not protected_only:
            rows += topic_rows(convs)
        changed = [x["id"] for x, y in convs if x["nodes"] != y["nodes"]]
        out["conversations"] = {"compared": len(convs), "outputs_changed": len(changed), "changed_ids": changed}
    sensitive = paired_records(a, b, "sensitive")
    if sensitive:
        rows += protected_rows(sensitive)
    controls = paired_records(a, b, "controls")
    if controls:
        rows += control_rows(controls)
    out["rows"] = rows
    return out


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def print_comparison(console: Console, result: Mapping[str, Any], *, ids: bool) -> None:
    a, b = result["a"], result["b"]
    table = Table(title=f"{b} against {a} (B minus A; paired 95% bootstrap intervals; exact McNemar p)")
    for col in ("figure", "A", "B", "B - A", "95% CI", "better in B", "worse in B", "p"):
        table.add_column(col, justify="left" if col in ("figure", "better in B", "worse in B") else "right")
    rows: list[Row] = result["rows"]
    for r in rows:
        diff = None if r.a is None or r.b is None else r.b - r.a
        p = r.p_value
        table.add_row(
            r.figure,
            _fmt(r.a),
            _fmt(r.b),
            _fmt(diff, signed=True),
            cf.format_interval(r.interval, signed=True),
            f"{len(r.better)} {r.better_label}",
            f"{len(r.worse)} {r.worse_label}",
            "—" if p is None else f"{p:.3f}",
        )
    console.print(table)
    conv = result.get("conversations")
    if conv:
        console.print(
            f"conversations whose reported interests changed: {conv['outputs_changed']} of {conv['compared']}"
        )
    if ids:
        for r in rows:
            if not r.paired:
                continue
            for label, items in ((r.better_label, r.better), (r.worse_label, r.worse)):
                if items:
                    listed = ", ".join(f"{i} ({d})" for i, d in items)
                    console.print(escape(f"{r.figure}, {label}: {listed}"), highlight=False)
        if conv and conv["changed_ids"]:
            console.print(escape(f"outputs changed: {', '.join(conv['changed_ids'])}"), highlight=False)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="predictions of run A (quality.py --predictions)")
    parser.add_argument("b", type=Path, help="predictions of run B, compared against A")
    parser.add_argument("--names", nargs=2, metavar=("A", "B"), default=None, help="names for the two runs")
    parser.add_argument("--ids", action="store_true", help="list the ids of the records behind each change")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write the comparison as JSON")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 160)
    names = args.names or (None, None)
    try:
        a = Run.from_disk(args.a, names[0])
        b = Run.from_disk(args.b, names[1])
        result = compare(a, b)
    except (OSError, PredictionsError) as exc:
        console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return 2
    for key in ("files", "limit"):
        if a.meta.get(key) != b.meta.get(key):
            console.print(f"note: the runs differ in {key}: {a.meta.get(key)!r} against {b.meta.get(key)!r}")
    print_comparison(console, result, ids=args.ids)
    if args.json is not None:
        doc = {**result, "rows": [r.to_dict() for r in result["rows"]]}
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
