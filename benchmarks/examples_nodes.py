"""Node-level check on the shipped examples: what the extractor outputs against ``examples/expected.json``.

The dev data in ``../shared/eval`` is labelled with 20 coarse topics, so it cannot tell "American
Football" from "Sports". This script scores the conversations in ``examples/transcripts.jsonl`` node
by node, for model changes (a fine-tuned encoder, new heads) that must not trade specific nodes for
their parents. Run from the repository root::

    .venv/bin/python benchmarks/examples_nodes.py                   # the shipped models
    .venv/bin/python benchmarks/examples_nodes.py --models DIR      # another models folder, same table
    .venv/bin/python benchmarks/examples_nodes.py --show            # one row per conversation
    .venv/bin/python benchmarks/examples_nodes.py --set KEY=VALUE   # an ExtractorConfig override

Figures, over the expected interests of the conversations with status ``ok``:

* exact recall: expected nodes that are in the output;
* near recall: expected nodes that are in the output, or whose ancestor or descendant is (the output
  was on the right branch but too coarse or too fine);
* exact precision: output nodes that are expected; near precision: output nodes that are expected or on
  an expected node's branch;
* intent agreement: exact hits whose intent (purchase / interest) is the expected one;
* forbidden: output nodes that are, or descend from, a node the conversation must not yield;
* status: records whose status, exclusion reason and policy notes are the expected ones.

The examples were written by the team, so these are not accuracy claims, only a regression check.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extractor.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_PATH = ROOT / "examples" / "expected.json"
TRANSCRIPTS_PATH = ROOT / "examples" / "transcripts.jsonl"


@dataclass
class NodeScore:
    """Counts behind the figures; ``add`` scores one record."""

    expected: int = 0
    exact_hits: int = 0
    near_hits: int = 0
    predicted: int = 0
    exact_correct: int = 0
    near_correct: int = 0
    intent_agree: int = 0
    forbidden: int = 0
    records: int = 0
    status_ok: int = 0

    def add(
        self,
        expected: Mapping[str, Any],
        result: Mapping[str, Any],
        taxonomy: Taxonomy,
    ) -> list[str]:
        """Score one record; returns what went wrong, for ``--show``."""
        problems: list[str] = []
        self.records += 1
        policy = result.get("policy") or {}
        status = "excluded" if policy.get("excluded") else result.get("status")
        want_status = expected.get("status", "ok")
        status_ok = status == want_status
        if want_status == "excluded":
            status_ok = status_ok and policy.get("reason") == expected.get("reason")
        else:
            status_ok = status_ok and sorted(policy.get("notes") or []) == sorted(expected.get("notes", []))
        self.status_ok += status_ok
        if not status_ok:
            problems.append(f"status {status!r} reason {policy.get('reason')!r} notes {policy.get('notes')}")
        if want_status != "ok":
            return problems
        want: Mapping[str, str] = expected.get("interests", {})
        got = {i["id"]: i["intent"] for i in result.get("interests", [])}
        self.expected += len(want)
        self.predicted += len(got)
        for node, intent in want.items():
            if node in got:
                self.exact_hits += 1
                self.near_hits += 1
                self.intent_agree += got[node] == intent
                if got[node] != intent:
                    problems.append(f"{node}: intent {got[node]}, expected {intent}")
            elif branch := [g for g in got if on_same_branch(taxonomy, node, g)]:
                self.near_hits += 1
                problems.append(f"{node}: only {branch}")
            else:
                problems.append(f"{node}: missing")
        for node in got:
            if node in want:
                self.exact_correct += 1
                self.near_correct += 1
            elif any(on_same_branch(taxonomy, node, w) for w in want):
                self.near_correct += 1
            else:
                problems.append(f"{node}: not expected")
        for bad in expected.get("forbidden", []):
            hits = [g for g in got if g == bad or bad in taxonomy.ancestors(g)]
            self.forbidden += len(hits)
            if hits:
                problems.append(f"forbidden {hits}")
        return problems

    def figures(self) -> dict[str, float | int | None]:
        def rate(n: int, d: int) -> float | None:
            return round(n / d, 3) if d else None

        return {
            "exact_recall": rate(self.exact_hits, self.expected),
            "near_recall": rate(self.near_hits, self.expected),
            "exact_precision": rate(self.exact_correct, self.predicted),
            "near_precision": rate(self.near_correct, self.predicted),
            "intent_agreement": rate(self.intent_agree, self.exact_hits),
            "forbidden": self.forbidden,
            "status_agreement": rate(self.status_ok, self.records),
            "expected_nodes": self.expected,
            "output_nodes": self.predicted,
        }


def on_same_branch(taxonomy: Taxonomy, a: str, b: str) -> bool:
    """True when one node is an ancestor of the other in ``taxonomy``."""
    return a in taxonomy.ancestors(b) or b in taxonomy.ancestors(a)


def load_expected(path: Path = EXPECTED_PATH) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return dict(data["records"])


def score(
    expected: Mapping[str, Mapping[str, Any]], results: Iterable[Mapping[str, Any]], taxonomy: Taxonomy
) -> tuple[NodeScore, dict]:
    """Score extractor output records against the expectations; every expected id must have a result."""
    total = NodeScore()
    problems: dict[str, list[str]] = {}
    seen = set()
    for result in results:
        rid = result["id"]
        if rid not in expected:
            raise ValueError(f"result {rid!r} has no expected outcome in {EXPECTED_PATH.name}")
        seen.add(rid)
        problems[rid] = total.add(expected[rid], result, taxonomy)
    missing = sorted(set(expected) - seen)
    if missing:
        raise ValueError(f"no result for expected records {missing}")
    return total, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=None, help="models folder (default: the shipped one)")
    parser.add_argument("--show", action="store_true", help="one line per conversation with what went wrong")
    parser.add_argument("--json", type=Path, default=None, help="write the figures as JSON")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override an ExtractorConfig field, as in quality.py (repeatable)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    sys.path.insert(0, str(ROOT))
    from benchmarks.quality import config_from_overrides
    from extractor import Extractor

    models_dir = [f"models_dir={args.models}"] if args.models else []
    extractor = Extractor(config=config_from_overrides([*models_dir, *args.set]))
    # Each line goes to the pipeline as JSON text, parsed by the extractor itself as the batch job does.
    lines = [line for line in TRANSCRIPTS_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    results = [r.to_dict() for r in extractor.pipe(lines)]
    total, problems = score(load_expected(), results, extractor.taxonomy)
    figures = total.figures()
    models = args.models or "shipped"
    overrides = f" ({', '.join(args.set)})" if args.set else ""
    print(f"models: {models}{overrides}; {total.records} conversations, {figures['expected_nodes']} expected nodes")
    for key, value in figures.items():
        print(f"  {key:18s} {value}")
    if args.show:
        for rid, found in problems.items():
            print(f"{rid}: {'ok' if not found else '; '.join(found)}")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "problems": problems}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
