"""Replay the steps after the pipeline (taint, aggregation, evidence) on the dev conversations under
other settings, in seconds each.

Running the spaCy pipeline (segmenting, embedding, the privacy gate, the interest and intent heads) is
the slow part, and none of it reads the aggregation's settings. This runs it once on every labelled
dev conversation, then builds the results again (``Extractor.results``) for each combination of
settings asked for, and scores them as ``quality.py`` does: topic recall, precision and F1 on the raw
labels, per source, and against what both label auditors agree about (``benchmarks/label_audit/``).

    python benchmarks/aggregation_replay.py                                        # the shipped settings
    python benchmarks/aggregation_replay.py --sweep min_relative_mass=0.4,0.5 \\
        --sweep min_interest_score_long=0.9,0.95                                    # every combination

The shipped settings' row equals what ``quality.py`` reports (a test checks the replay against
``Extractor.pipe`` on conversations of our own). Settings the pipeline's components read (the gate's
and the heads' thresholds, ``models_dir``) or the region policy reads cannot be replayed: use
``quality.py --set`` for those. Skipped, exit 0, when ``../shared/eval`` is absent.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
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
from spacy.tokens import Doc

from extractor import Conversation, ExtractionResult, Extractor
from extractor.schema import parse_record

# ExtractorConfig fields that only the steps after the pipeline read (``Extractor.results``). The rest
# are read by ``build_nlp``'s components or by the region policy before any of this runs.
REPLAYABLE: frozenset[str] = frozenset(
    {
        "taint_scope",
        "taint_similarity",
        "purchase_threshold",
        "min_interest_score",
        "min_interest_score_long",
        "long_conversation_segments",
        "long_chat_fallback",
        "min_relative_mass",
        "side_topic_min_mass",
        "max_interests",
        "specialize",
        "shadow_margin",
        "avowal_score",
        "uptake_score",
        "max_evidence",
        "max_evidence_chars",
        "scrub_pii",
    }
)


@dataclass
class ConversationReadings:
    """Every conversation's turn docs after the pipeline, read once."""

    extractor: Extractor
    processed: list[tuple[Conversation, list[Doc]]]

    @classmethod
    def read(cls, ex: Extractor, records: Iterable[Mapping[str, Any]], batch_size: int = 64) -> ConversationReadings:
        """Run ``ex``'s pipeline on each record (as ``Extractor.pipe`` does, region policy aside)."""
        convs = [parse_record(r) for r in records]
        processed: list[tuple[Conversation, list[Doc]]] = []
        for start in range(0, len(convs), batch_size):
            processed.extend(ex.process(convs[start : start + batch_size]))
        return cls(ex, processed)

    def results(self, settings: Mapping[str, Any]) -> list[ExtractionResult]:
        """Each conversation's result under ``settings`` (ExtractorConfig names, all in ``REPLAYABLE``)."""
        unknown = sorted(set(settings) - REPLAYABLE)
        if unknown:
            raise ValueError(f"not replayable (read before or inside the pipeline): {', '.join(unknown)}")
        base = self.extractor
        ex = Extractor(
            config=base.config.model_copy(update=dict(settings)), nlp=base.nlp, taxonomy=base.taxonomy, pii=base.pii
        )
        return ex.results(self.processed)


def parse_sweep(items: Sequence[str]) -> list[dict[str, Any]]:
    """``KEY=V1,V2,...`` options -> every combination, as ExtractorConfig overrides validated by it."""
    return sweeps.parse_sweep(items, REPLAYABLE, "an aggregation setting")


def score(
    preds: Sequence[quality.Prediction],
    records: Sequence[Mapping[str, Any]],
    cmap: quality.CoarseMap,
    audit: la.LabelAudit | None,
) -> dict[str, Any]:
    """The topic figures ``quality.py`` reports for one system's predictions on labelled conversations."""
    figures = quality.interest_figures(records, preds, cmap)
    out: dict[str, Any] = {
        "micro": figures["micro"],
        "per_source": {s: {k: v[k] for k in ("recall", "precision", "f1")} for s, v in figures["per_source"].items()},
    }
    if audit is not None and audit.covers_conversations(records):
        pairs = la.audited_topic_pairs(audit, records, figures["pairs"])
        out["audited_micro"] = quality.score_topics(pairs, cmap.topics)[1].to_dict()
    return out


def _prf(d: Mapping[str, Any] | None) -> str:
    return " / ".join(quality._prf_cells(d))


def main(argv: Sequence[str] | None = None) -> int:
    run = sweeps.Replay.start(argv, description=__doc__, parse=parse_sweep, kind="conversations")
    if run is None:
        return 0
    console, combos, audit = run.console, run.combos, run.audit
    records = [r for r in run.records if r["labels"]["topics"]]
    cmap = quality.CoarseMap.from_disk()
    with console.status(f"running the pipeline once on {len(records)} labelled conversations"):
        readings = ConversationReadings.read(Extractor(config=run.config), [quality.as_input(r) for r in records])
    figures = [score([quality.prediction_of(r) for r in readings.results(c)], records, cmap, audit) for c in combos]
    table = Table(title=f"Aggregation replayed on {len(records)} labelled dev conversations (R / P / F1)")
    table.add_column("settings", no_wrap=True)
    sources = sorted(figures[0]["per_source"])
    for col in ("raw labels", *sources, "audited"):
        table.add_column(col, justify="right")
    for combo, f in zip(combos, figures, strict=True):
        name = " ".join(f"{k}={json.dumps(v)}" for k, v in combo.items()) or "shipped"
        table.add_row(
            name, _prf(f["micro"]), *(_prf(f["per_source"][s]) for s in sources), _prf(f.get("audited_micro"))
        )
    console.print(table)
    run.write_json(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
