"""A second reading of the dev labels: which texts have the content their label claims.

The dev labels say which forum or stereotype set a text came from, not what it says (the eval
README's first caveat): a post in a politics group may be an apology for a subject line, and a
stereotype about "Jamal" is labelled racial/ethnic origin though it names no race; a Topical-Chat
label names the reading material, not what the pair talked about. Two auditors read every one-turn
dev text and every labelled conversation independently, blind to every system's output, and judged
for each labelled category whether the text has that content ("yes", "borderline", "no"), for each
control which protected categories it has, and for each conversation which of a pooled list of
candidate topics it discusses (``benchmarks/label_audit/README.md``). This module scores a system on
what both auditors agree about; the raw-label figures stay the headline.

Files hold record ids and judgments only, never record text. To make a new audit::

    python benchmarks/label_audit.py prepare --out /tmp/audit      # blind inputs + briefs, outside the repo
    # two auditors each read every *_in.jsonl with its brief and write {"id", "judgments"} lines
    python benchmarks/label_audit.py merge --kind sensitive --inputs /tmp/audit/sensitive_in.jsonl \
        --a A.jsonl --b B.jsonl --out benchmarks/label_audit/sensitive_dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from sklearn.metrics import cohen_kappa_score

from extractor.categories import PROTECTED_CATEGORIES

AUDIT_DIR = Path(__file__).with_name("label_audit")
SENSITIVE_AUDIT = "sensitive_dev.jsonl"
CONTROLS_AUDIT = "controls_dev.jsonl"
CONVERSATIONS_AUDIT = "conversations_dev.jsonl"
AUDITORS = ("a", "b")
# What the control auditors were asked about: the gate's categories that the brief defines (genetic or
# biometric data and financial hardship were left out: the dev data hardly touch them).
CATEGORIES: tuple[str, ...] = tuple(
    c for c in PROTECTED_CATEGORIES if c not in {"genetic_biometric", "financial_hardship"}
)

Judgment = Literal["yes", "borderline", "no"]
JUDGMENTS: frozenset[str] = frozenset({"yes", "borderline", "no"})


@dataclass(frozen=True)
class AuditRecord:
    """Both auditors' judgments of one text: category -> judgment, per auditor."""

    id: str
    judgments: tuple[Mapping[str, Judgment], ...]

    def agreed(self, category: str, value: Judgment) -> bool:
        """Whether every auditor gave ``value`` for ``category`` (an unlisted category reads "no")."""
        return all(j.get(category, "no") == value for j in self.judgments)

    def clean(self) -> bool:
        """No auditor found any category ("yes" or "borderline")."""
        return all(v == "no" for j in self.judgments for v in j.values())

    def judged(self) -> frozenset[str]:
        """Every category or topic some auditor gave a judgment for."""
        return frozenset(c for j in self.judgments for c in j)

    def content(self) -> frozenset[str]:
        """Categories every auditor said "yes" to."""
        return frozenset(c for c in self.judged() if self.agreed(c, "yes"))

    def unsure(self) -> frozenset[str]:
        """Judged categories the auditors neither agree are there nor agree are absent."""
        return frozenset(c for c in self.judged() if not self.agreed(c, "yes") and not self.agreed(c, "no"))


def _parse_line(line: str, where: str) -> AuditRecord:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as e:
        raise ValueError(f"{where}: not JSON ({e.msg})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ValueError(f"{where}: expected an object with a string 'id'")
    judgments = []
    for auditor in AUDITORS:
        j = raw.get(auditor)
        if not isinstance(j, dict):
            raise ValueError(f"{where} ({raw['id']}): auditor {auditor!r} has no judgments object")
        bad = sorted(str(v) for v in j.values() if v not in JUDGMENTS)
        if bad:
            raise ValueError(f"{where} ({raw['id']}): auditor {auditor!r} gave {bad}, not yes/borderline/no")
        judgments.append(dict(j))
    return AuditRecord(raw["id"], tuple(judgments))


def read_audit(path: Path) -> dict[str, AuditRecord]:
    """One audit file: id -> record. Raises ValueError naming the line on a malformed or repeated id."""
    out: dict[str, AuditRecord] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        rec = _parse_line(line, f"{path.name}:{n}")
        if rec.id in out:
            raise ValueError(f"{path.name}:{n}: id {rec.id} is listed twice")
        out[rec.id] = rec
    return out


@dataclass(frozen=True)
class LabelAudit:
    """The audit files found in one folder; a part with no file is empty."""

    sensitive: Mapping[str, AuditRecord]
    controls: Mapping[str, AuditRecord]
    conversations: Mapping[str, AuditRecord] = field(default_factory=dict)

    @classmethod
    def from_dir(cls, path: Path = AUDIT_DIR) -> LabelAudit | None:
        """The audit in ``path``, or None when it holds none of the files."""
        parts = [path / name for name in (SENSITIVE_AUDIT, CONTROLS_AUDIT, CONVERSATIONS_AUDIT)]
        if not any(f.is_file() for f in parts):
            return None
        return cls(*(read_audit(f) if f.is_file() else {} for f in parts))

    def covers(self, sensitive: Sequence[Mapping[str, Any]], controls: Sequence[Mapping[str, Any]]) -> bool:
        """Whether every one-turn record given has a judgment (a different eval split has none)."""
        return (
            bool(self.sensitive)
            and all(r["id"] in self.sensitive for r in sensitive)
            and all(r["id"] in self.controls for r in controls)
        )

    def covers_conversations(self, records: Sequence[Mapping[str, Any]]) -> bool:
        """Whether every conversation given has a judgment."""
        return bool(self.conversations) and all(r["id"] in self.conversations for r in records)


def kappa(first: Sequence[bool], second: Sequence[bool]) -> float | None:
    """Cohen's kappa of two auditors' yes/no calls (None when undefined: fewer than 2 items or one class)."""
    if len(first) < 2 or len(set(first) | set(second)) < 2:
        return None
    return float(cohen_kappa_score(first, second))


def agreement(records: Sequence[AuditRecord], items: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """Share of (record, category) items where both auditors gave the same judgment, and the kappa of "yes"."""
    by_id = {r.id: r for r in records}
    same = 0
    yes: tuple[list[bool], list[bool]] = ([], [])
    for rid, cat in items:
        a, b = (j.get(cat, "no") for j in by_id[rid].judgments)
        same += a == b
        yes[0].append(a == "yes")
        yes[1].append(b == "yes")
    return {"items": len(items), "same_judgment": same / len(items) if items else None, "kappa_yes": kappa(*yes)}


def audited_pairs(
    audit: LabelAudit, sensitive: Sequence[Mapping[str, Any]], predictions: Sequence[set[str]]
) -> list[tuple[set[str], set[str]]]:
    """(gold, predicted) pairs whose gold keeps only the labelled categories both auditors said "yes" to."""
    return [
        (set(r["labels"]["sensitive"]) & audit.sensitive[r["id"]].content(), p)
        for r, p in zip(sensitive, predictions, strict=True)
    ]


def audited_recall(
    audit: LabelAudit, sensitive: Sequence[Mapping[str, Any]], predictions: Sequence[set[str]]
) -> dict[str, dict[str, int]]:
    """Per labelled category: texts both auditors say have it, and how many of those the system found.

    Also counts the labelled texts both auditors say lack it (``absent``) and how many of those the
    system still reported (``reported_absent``): a "hit" there is a guess that matched the label.
    """
    out: dict[str, dict[str, int]] = {}
    for r, pred in zip(sensitive, predictions, strict=True):
        rec = audit.sensitive[r["id"]]
        for c in r["labels"]["sensitive"]:
            cell = out.setdefault(c, {"labelled": 0, "agreed": 0, "found": 0, "absent": 0, "reported_absent": 0})
            cell["labelled"] += 1
            if rec.agreed(c, "yes"):
                cell["agreed"] += 1
                cell["found"] += c in pred
            elif rec.agreed(c, "no"):
                cell["absent"] += 1
                cell["reported_absent"] += c in pred
    return dict(sorted(out.items()))


def audited_fpr(
    audit: LabelAudit, controls: Sequence[Mapping[str, Any]], predictions: Sequence[set[str]], hard: Sequence[bool]
) -> dict[str, dict[str, Any]]:
    """Ordinary and hard-negative controls: flagged among the ones both auditors found clean (``rate``:
    their share, None when none is clean), and the flagged controls whose every reported category both
    auditors found in the text."""
    keys = ("controls", "clean", "flagged_clean", "flagged", "flagged_confirmed")
    out = {k: dict.fromkeys(keys, 0) for k in ("controls", "hard_negatives")}
    for r, pred, h in zip(controls, predictions, hard, strict=True):
        rec = audit.controls[r["id"]]
        cell = out["hard_negatives" if h else "controls"]
        cell["controls"] += 1
        if rec.clean():
            cell["clean"] += 1
            cell["flagged_clean"] += bool(pred)
        if pred:
            cell["flagged"] += 1
            cell["flagged_confirmed"] += pred <= rec.content()
    return {k: {**c, "rate": c["flagged_clean"] / c["clean"] if c["clean"] else None} for k, c in out.items()}


def audited_topic_pairs(
    audit: LabelAudit, records: Sequence[Mapping[str, Any]], pairs: Sequence[tuple[set[str], set[str]]]
) -> list[tuple[set[str], set[str]]]:
    """Topic (truth, predicted) pairs scored against the auditors instead of the labels.

    The truth is the topics both auditors say the conversation discusses, whether or not the label
    names them (the candidates judged were the label's and every system's topics at audit time: a
    pooled judgment). A predicted topic the auditors disagree about, or either calls borderline, is
    left out; a predicted topic nobody judged stays in and counts as wrong.
    """
    out = []
    for r, (_, pred) in zip(records, pairs, strict=True):
        rec = audit.conversations[r["id"]]
        out.append((set(rec.content()), set(pred) - rec.unsure()))
    return out


def rejected_labels(audit: LabelAudit, records: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    """Per labelled topic: how many labels both auditors say the conversation does not discuss."""
    out: dict[str, int] = {}
    for r in records:
        rec = audit.conversations[r["id"]]
        for t in r["labels"]["topics"]:
            out[t] = out.get(t, 0) + rec.agreed(t, "no")
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------------
# Making an audit: blind input files for the auditors, then their two outputs merged and checked.

BRIEFS = {"protected": AUDIT_DIR / "brief_protected.md", "topics": AUDIT_DIR / "brief_topics.md"}
KINDS = ("sensitive", "controls", "conversations")
REPO_ROOT = Path(__file__).resolve().parents[1]


def _text(record: Mapping[str, Any], *, speakers: bool) -> str:
    turns = record["turns"]
    return "\n".join(f"{t['speaker']}: {t['text']}" if speakers else t["text"] for t in turns)


def auditor_inputs(
    sensitive: Sequence[Mapping[str, Any]],
    controls: Sequence[Mapping[str, Any]],
    conversations: Sequence[Mapping[str, Any]],
    topic_pools: Mapping[str, Sequence[str]],
) -> dict[str, list[dict[str, Any]]]:
    """What each auditor reads: text and the categories or topics to judge, nothing about any system.

    ``topic_pools``: conversation id -> the topics every system reported for it; the label's topics are
    added, and the pool is sorted so that its order says nothing about where a topic came from.
    """
    return {
        "sensitive": [
            {"id": r["id"], "text": _text(r, speakers=False), "ask": list(r["labels"]["sensitive"])} for r in sensitive
        ],
        "controls": [{"id": r["id"], "text": _text(r, speakers=False)} for r in controls],
        "conversations": [
            {
                "id": r["id"],
                "text": _text(r, speakers=True),
                "topics": sorted(set(r["labels"]["topics"]) | set(topic_pools.get(r["id"], ()))),
            }
            for r in conversations
            if r["labels"]["topics"]
        ],
    }


def merge_judgments(
    kind: str,
    inputs: Sequence[Mapping[str, Any]],
    first: Sequence[Mapping[str, Any]],
    second: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """Two auditors' outputs (``{"id", "judgments"}`` lines) as audit lines, in input order.

    Raises ValueError naming the auditor and record when an output misses a record, judges one twice,
    judges other categories or topics than were asked, or uses another word than yes/borderline/no.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    merged: dict[str, dict[str, Any]] = {r["id"]: {"id": r["id"]} for r in inputs}
    for auditor, rows in zip(AUDITORS, (first, second), strict=True):
        seen: set[str] = set()
        for row in rows:
            rid = row.get("id")
            if rid not in merged:
                raise ValueError(f"auditor {auditor}: record {rid!r} was not in the input")
            if rid in seen:
                raise ValueError(f"auditor {auditor}: record {rid} is judged twice")
            seen.add(rid)
            judgments = row.get("judgments")
            if not isinstance(judgments, dict) or any(v not in JUDGMENTS for v in judgments.values()):
                raise ValueError(f"auditor {auditor}: record {rid} needs judgments of yes, borderline or no")
            merged[rid][auditor] = dict(sorted(judgments.items()))
        missing = [r["id"] for r in inputs if r["id"] not in seen]
        if missing:
            raise ValueError(f"auditor {auditor}: {len(missing)} records not judged, the first {missing[0]}")
    for r in inputs:
        asked = set(r["ask"] if kind == "sensitive" else r["topics"] if kind == "conversations" else CATEGORIES)
        for auditor in AUDITORS:
            judged = set(merged[r["id"]][auditor])
            # A control lists only what was found; every other record, each thing it was asked about.
            wrong = judged - asked if kind == "controls" else judged ^ asked
            if wrong:
                raise ValueError(
                    f"auditor {auditor}: record {r['id']} has judgments that do not match what was asked:"
                    f" {sorted(wrong)}"
                )
    return [merged[r["id"]] for r in inputs]


def _write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _prepare(args: argparse.Namespace) -> int:
    out: Path = args.out.resolve()
    if out == REPO_ROOT or REPO_ROOT in out.parents:
        raise SystemExit(f"{out} is inside the repository: auditor inputs hold dev text, which must stay out of it")
    import quality as q  # the systems whose topics are pooled (quality imports this module: not at the top)

    sens = q.read_jsonl(args.eval_dir / q.SENSITIVE_FILE)
    convs = q.read_jsonl(args.eval_dir / q.CONVERSATIONS_FILE)
    figures = q.evaluate(q.parse_args(["--eval-dir", str(args.eval_dir), "--label-audit", ""]), q.Console(quiet=True))
    labelled = [r for r in convs if r["labels"]["topics"]]
    pools: dict[str, set[str]] = {}
    for system in figures["interests"].values():
        for r, (_, pred) in zip(labelled, system["pairs"], strict=True):
            pools.setdefault(r["id"], set()).update(pred)
    inputs = auditor_inputs(
        [r for r in sens if r["group"] == "sensitive"], [r for r in sens if r["group"] == "control"], convs, pools
    )
    out.mkdir(parents=True, exist_ok=True)
    for kind, rows in inputs.items():
        _write_jsonl(out / f"{kind}_in.jsonl", rows)
    for name, brief in BRIEFS.items():
        (out / f"brief_{name}.md").write_text(brief.read_text(encoding="utf-8"), encoding="utf-8")
    print(f"wrote {', '.join(f'{k} {len(v)}' for k, v in inputs.items())} records to {out}")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from quality import read_jsonl  # quality imports this module, so not at the top

    rows = merge_judgments(args.kind, read_jsonl(args.inputs), read_jsonl(args.a), read_jsonl(args.b))
    _write_jsonl(args.out, rows)
    print(f"{len(rows)} records merged into {args.out}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make a label audit: blind auditor inputs, then merge two outputs.")
    sub = parser.add_subparsers(dest="command", required=True)
    prep = sub.add_parser("prepare", help="write the auditors' input files (dev text: outside the repository)")
    prep.add_argument("--eval-dir", type=Path, default=REPO_ROOT.parent / "shared" / "eval")
    prep.add_argument("--out", type=Path, required=True)
    prep.set_defaults(run=_prepare)
    merge = sub.add_parser("merge", help="check two auditors' outputs against the input and merge them")
    merge.add_argument("--kind", choices=KINDS, required=True)
    merge.add_argument("--inputs", type=Path, required=True, help="the <kind>_in.jsonl the auditors read")
    merge.add_argument("--a", type=Path, required=True)
    merge.add_argument("--b", type=Path, required=True)
    merge.add_argument("--out", type=Path, required=True, help="e.g. benchmarks/label_audit/<kind>_dev.jsonl")
    merge.set_defaults(run=_merge)
    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
