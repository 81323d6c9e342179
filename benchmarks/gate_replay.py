"""Replay the protected gate's decision on the dev one-turn texts under other settings, in seconds.

Reading the texts (segmenting, embedding, the phrase rules, the head, the support margins and the
lexical check) is the slow part, and none of it depends on the decision's settings. This reads every
text once with every figure worked out (``ProtectedDetector.score(..., complete=True)``), then re-runs
the gate's own decision (``ProtectedDetector.decide``) for each combination of settings asked for,
and scores it as ``quality.py`` does: protected recall per category and flagged ordinary controls, on
the raw labels and on what both label auditors agree about (``benchmarks/label_audit/``).

    python benchmarks/gate_replay.py                                         # the shipped settings
    python benchmarks/gate_replay.py --sweep protected_support_margin=0,0.005,0.02 \\
        --sweep protected_lexical_floor=null,0.1,0.3                          # every combination
    python benchmarks/gate_replay.py \\
        --sweep 'protected_category_support_margins={},{"philosophical_beliefs":0.03}'  # one key per value

The shipped settings' row equals what ``quality.py`` reports for them (a test checks the decision
on texts of our own). Skipped, exit 0, when ``../shared/eval`` is absent.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import label_audit as la
import quality
import sweeps
from rich.table import Table

from extractor import Conversation, Extractor, ExtractorConfig
from extractor.components import HeadReading, HeadScores, ProtectedDetector, Segment
from extractor.schema import Turn

# ExtractorConfig field -> ProtectedDetector attribute: the settings the decision reads.
REPLAYABLE: Mapping[str, str] = {
    "protected_threshold": "threshold",
    "protected_support_margin": "support_margin",
    "protected_category_support_margins": "category_support_margins",
    "protected_clause_threshold": "clause_threshold",
    "protected_clause_support_margin": "clause_support_margin",
    "protected_lexical_floor": "lexical_floor",
    "protected_lexical_band": "lexical_band",
}


@dataclass
class GateReadings:
    """Every text's segments, what the head read of them and every score, read once."""

    detector: ProtectedDetector
    readings: list[HeadReading]
    scores: HeadScores
    segments: list[tuple[int, Segment, dict[str, float], list[str]]]  # (text, segment, rule hits, their sources)

    @classmethod
    def read(cls, ex: Extractor, texts: Sequence[str], batch_size: int = 64) -> GateReadings:
        """Run the pipeline up to the protected gate on each text (read as a user turn, as
        ``Extractor.protected_categories`` does), then the gate's reading with every score worked out."""
        detector = ex.nlp.get_pipe("ise_protected")
        before = ex.nlp.pipe_names[: ex.nlp.pipe_names.index("ise_protected")]
        readings: list[HeadReading] = []
        segments: list[tuple[int, Segment, dict[str, float], list[str]]] = []
        for start in range(0, len(texts), batch_size):
            chunk = texts[start : start + batch_size]
            docs = ex.make_docs(Conversation(id="replay", turns=tuple(Turn(speaker="user", text=t) for t in chunk)))
            with ex.nlp.select_pipes(enable=before):  # segmenting and embedding, batched as the pipeline does
                docs = list(ex.nlp.pipe(docs))
            readings.extend(detector.read(docs))
            for doc in docs:
                for seg in doc._.segments:
                    segments.append((start + seg.turn, seg, dict(seg.protected), list(seg.protected_sources)))
        return cls(detector, readings, detector.score(readings, complete=True), segments)

    def decide(self, settings: Mapping[str, Any], n_texts: int) -> list[set[str]]:
        """The protected categories of each text under ``settings`` (ExtractorConfig names)."""
        detector = copy.copy(self.detector)
        validated = ExtractorConfig(**settings)
        for key in settings:
            value = getattr(validated, key)
            # The config holds per-category margins as pairs (it is frozen); the detector, as a mapping.
            setattr(detector, REPLAYABLE[key], dict(value) if key == "protected_category_support_margins" else value)
        for _, seg, hits, sources in self.segments:
            seg.protected, seg.protected_sources = dict(hits), list(sources)
            seg.protected_unsupported, seg.protected_withheld, seg.protected_unbacked = {}, {}, {}
            seg.protected_below_category_margin = {}
        if self.readings:
            detector.decide(self.readings, self.scores)
        found: list[set[str]] = [set() for _ in range(n_texts)]
        for text, seg, _, _ in self.segments:
            found[text].update(seg.protected)
        return found


def parse_sweep(items: Sequence[str]) -> list[dict[str, Any]]:
    """``KEY=V1,V2,...`` options -> every combination, as ExtractorConfig overrides validated by it."""
    return sweeps.parse_sweep(items, REPLAYABLE, "a gate decision setting")


def score(
    predictions: Sequence[set[str]],
    records: Sequence[Mapping[str, Any]],
    audit: la.LabelAudit | None,
) -> dict[str, Any]:
    """The figures ``quality.py`` reports for the one-turn texts, from one system's predictions."""
    sens = [(r, p) for r, p in zip(records, predictions, strict=True) if r["group"] == "sensitive"]
    ctrl = [(r, p) for r, p in zip(records, predictions, strict=True) if r["group"] == "control"]
    categories = sorted({c for r, _ in sens for c in r["labels"]["sensitive"]})
    rates = quality.category_recall((set(r["labels"]["sensitive"]), p) for r, p in sens)
    fpr = quality.false_positive_rates((quality.is_hard_negative(r), p) for r, p in ctrl)
    out: dict[str, Any] = {
        "recall": {c: rates[c].value for c in categories},
        "mean_recall": quality.mean_recall(rates, categories),
        "flagged_controls": fpr["controls"].hits,
        "flagged_hard_negatives": fpr["hard_negatives"].hits,
    }
    if audit is not None and audit.covers([r for r, _ in sens], [r for r, _ in ctrl]):
        pairs = la.audited_pairs(audit, [r for r, _ in sens], [p for _, p in sens])
        audited = quality.category_recall(pairs)
        out["audited_mean_recall"] = quality.mean_recall(audited, categories)
        flagged = la.audited_fpr(
            audit, [r for r, _ in ctrl], [p for _, p in ctrl], [quality.is_hard_negative(r) for r, _ in ctrl]
        )
        out["flagged_clean_controls"] = flagged["controls"]["flagged_clean"]
        out["clean_controls"] = flagged["controls"]["clean"]
    return out


def _rows(
    combos: Sequence[Mapping[str, Any]], figures: Sequence[Mapping[str, Any]], categories: Sequence[str]
) -> Iterator[list[str]]:
    for combo, f in zip(combos, figures, strict=True):
        audited = f.get("audited_mean_recall")
        yield [
            " ".join(f"{k.removeprefix('protected_')}={json.dumps(v)}" for k, v in combo.items()) or "shipped",
            *(f"{f['recall'][c]:.3f}" for c in categories),
            f"{f['mean_recall']:.3f}",
            str(f["flagged_controls"]),
            str(f["flagged_hard_negatives"]),
            "—" if audited is None else f"{audited:.3f}",
            "—" if audited is None else f"{f['flagged_clean_controls']} / {f['clean_controls']}",
        ]


def main(argv: Sequence[str] | None = None) -> int:
    run = sweeps.Replay.start(argv, description=__doc__, parse=parse_sweep, kind="sensitive")
    if run is None:
        return 0
    console, combos, records, audit = run.console, run.combos, run.records, run.audit
    texts = ["\n".join(t["text"] for t in r["turns"]) for r in records]  # as quality.py reads them
    with console.status(f"reading {len(texts)} texts once"):
        gate = GateReadings.read(Extractor(config=run.config), texts)
    figures = [score(gate.decide(combo, len(texts)), records, audit) for combo in combos]
    cats = sorted(figures[0]["recall"])
    table = Table(title=f"Protected gate replayed on {len(texts)} dev texts ({len(gate.readings)} head readings)")
    table.add_column("settings", no_wrap=True)
    short = {"philosophical_beliefs": "philos.", "racial_ethnic_origin": "ethnic", "sexual_orientation": "orient."}
    for col in (*(short.get(c, c) for c in cats), "mean", "controls flagged", "hard neg. flagged"):
        table.add_column(col, justify="right")
    table.add_column("audited mean", justify="right")
    table.add_column("clean controls flagged", justify="right")
    for row in _rows(combos, figures, cats):
        table.add_row(*row)
    console.print(table)
    run.write_json(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
