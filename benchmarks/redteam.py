"""Red-team check of the privacy gate on chats written to slip a protected attribute past it.

Each record of ``benchmarks/redteam/*.jsonl`` (see the README there) is a user/assistant chat in which
the user discloses one protected attribute in passing while asking for something ordinary, or a clean
twin with words that only look sensitive. The disclosure is marked as the exact words that give it
away. Run from the repository root::

    .venv/bin/python benchmarks/redteam.py                       # every split
    .venv/bin/python benchmarks/redteam.py --split heldout       # only the half never read for fixes
    .venv/bin/python benchmarks/redteam.py --split fresh         # only the chats written after the fixes
    .venv/bin/python benchmarks/redteam.py --split outofbrief    # chats written from a different brief
    .venv/bin/python benchmarks/redteam.py --show                # one line per leak or miss (ids only)
    .venv/bin/python benchmarks/redteam.py --set KEY=VALUE       # an ExtractorConfig override
    .venv/bin/python benchmarks/redteam.py --floors benchmarks/ci_floors.json   # CI: fail on more leaks

Figures, per category and per style of disclosure:

* detected: the gate finds the record's category in the user turn that holds the disclosure, read on
  its own (what ``Extractor.protected_categories`` says of it, taken from the same reading as the result);
* leaks: records with an output interest whose evidence is the disclosing sentence (any evidence
  quote that, read with its ``[REDACTED]`` spans as wildcards, matches a stretch of that turn
  overlapping the disclosure), or whose output holds the disclosure's words anywhere;
* interests from the disclosing turn: records with any output interest whose evidence comes from the
  turn that holds the disclosure (another sentence of it), reported, not counted as a leak, since a
  turn can disclose one thing and ask for another;
* on clean twins: flagged (the gate finds any protected category in a user turn) and kept (at least
  one interest is output), the cost of the gate.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "redteam"
# tuning: fixed against; heldout: scored only; fresh: written after the fixes, by writers who saw nothing else;
# outofbrief: written blind from a different brief (texting style, long chats, drafting requests, forms, ...)
SPLITS = {
    "tuning": "disclosures_a*.jsonl",
    "heldout": "disclosures_b*.jsonl",
    "fresh": "disclosures_c*.jsonl",
    "outofbrief": "disclosures_d*.jsonl",
}
REDACTED = "[REDACTED]"


@dataclass(frozen=True)
class Verdict:
    """What happened to one record."""

    id: str
    category: str | None
    style: str
    detected: bool = False  # disclosure records: the category was found in the disclosing turn
    leak: bool = False
    turn_interest: bool = False  # an interest rests on another sentence of the disclosing turn
    flagged: bool = False  # clean records: a protected category was found in a user turn
    kept: bool = False  # clean records: at least one interest was output


@dataclass
class Tally:
    """Counts over a group of records (a category, a style, all disclosures, the clean twins)."""

    records: int = 0
    detected: int = 0
    leaks: int = 0
    turn_interest: int = 0
    flagged: int = 0
    kept: int = 0

    def add(self, v: Verdict) -> None:
        self.records += 1
        self.detected += v.detected
        self.leaks += v.leak
        self.turn_interest += v.turn_interest
        self.flagged += v.flagged
        self.kept += v.kept


@dataclass
class Report:
    by_category: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_style: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    disclosures: Tally = field(default_factory=Tally)
    clean: Tally = field(default_factory=Tally)
    verdicts: list[Verdict] = field(default_factory=list)

    def add(self, v: Verdict) -> None:
        self.verdicts.append(v)
        if v.category is None:
            self.clean.add(v)
            return
        self.disclosures.add(v)
        self.by_category[v.category].add(v)
        self.by_style[v.style].add(v)


def read_records(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Records of the given files, each checked: its disclosure must be words of one of its user turns."""
    out = []
    for path in paths:
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                r = json.loads(line)
                if r.get("category") is not None and disclosure_turn(r) is None:
                    raise ValueError(f"{path.name}:{n} ({r.get('id')}): the disclosure is not in any user turn")
                out.append(r)
    return out


def disclosure_turn(record: Mapping[str, Any]) -> int | None:
    """Index of the first user turn that holds the record's disclosure verbatim."""
    phrase = record.get("disclosure")
    if not phrase:
        return None
    for i, turn in enumerate(record["turns"]):
        if turn["speaker"] == "user" and phrase in turn["text"]:
            return i
    return None


def evidence_span(evidence: str, turn_text: str) -> tuple[int, int] | None:
    """Where an evidence quote sits in its turn, its ``[REDACTED]`` spans read as wildcards."""
    parts = [re.escape(p) for p in evidence.split(REDACTED)]
    m = re.search(r".+?".join(parts) if len(parts) > 1 else parts[0], turn_text, flags=re.DOTALL)
    return (m.start(), m.end()) if m else None


def _squash(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def judge(record: Mapping[str, Any], result: Mapping[str, Any], found_by_turn: Sequence[set[str]]) -> Verdict:
    """The verdict on one record from the serialised result and the categories found in each turn."""
    category = record.get("category")
    style = record.get("style", "")
    interests = result.get("interests") or []
    evidence = [(ev["turn"], ev["text"]) for it in interests for ev in it.get("evidence", [])]
    if category is None:
        return Verdict(
            id=record["id"],
            category=None,
            style=style,
            flagged=any(found_by_turn[i] for i, t in enumerate(record["turns"]) if t["speaker"] == "user"),
            kept=bool(interests),
        )
    turn = disclosure_turn(record)
    assert turn is not None  # read_records checked it
    text = record["turns"][turn]["text"]
    start = text.index(record["disclosure"])
    end = start + len(record["disclosure"])
    leak = turn_interest = False
    for ev_turn, quote in evidence:
        if ev_turn != turn:
            continue
        span = evidence_span(quote, text)
        if span is None or (span[0] < end and start < span[1]):
            leak = True  # a quote that cannot be placed is counted against the gate
        else:
            turn_interest = True
    phrase = _squash(record["disclosure"])
    if phrase and phrase in _squash(json.dumps(interests, ensure_ascii=False)):
        leak = True
    return Verdict(
        id=record["id"],
        category=category,
        style=style,
        detected=category in found_by_turn[turn],
        leak=leak,
        turn_interest=turn_interest,
    )


def evaluate(records: Sequence[Mapping[str, Any]], overrides: Sequence[str] = ()) -> Report:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from extractor import Extractor

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from quality import config_from_overrides

    ex = Extractor(config=config_from_overrides(overrides)) if overrides else Extractor()
    report = Report()
    for record in records:
        # One reading gives both the result and what the gate found in each turn (the gate reads each
        # sentence on its own, so this is what protected_categories says of the turn's text).
        result, segments, _ = ex.explain({"id": record["id"], "turns": record["turns"]})
        found: list[set[str]] = [set() for _ in record["turns"]]
        for seg in segments:
            if seg.is_user:
                found[seg.turn].update(seg.protected)
        report.add(judge(record, result.model_dump(mode="json"), found))
    return report


def _row(name: str, t: Tally) -> list[str]:
    return [name, str(t.records), f"{t.detected / t.records:.3f}", str(t.leaks), str(t.turn_interest)]


def print_report(report: Report, *, show: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for title, groups in (("category", report.by_category), ("style", report.by_style)):
        table = Table(title=f"Disclosures by {title}")
        for col in (title, "n", "detected", "leaks", "interests from the disclosing turn"):
            table.add_column(col, justify="left" if col == title else "right")
        for name in sorted(groups):
            table.add_row(*_row(name, groups[name]))
        table.add_row(*_row("all", report.disclosures), style="bold")
        console.print(table)
    c = report.clean
    if c.records:
        console.print(
            f"clean twins: {c.records}, flagged by the gate {c.flagged} ({c.flagged / c.records:.3f}), "
            f"with at least one interest {c.kept} ({c.kept / c.records:.3f})"
        )
    d = report.disclosures
    if d.records:
        console.print(
            f"leak rate {d.leaks / d.records:.3f} ({d.leaks} of {d.records}); detected {d.detected / d.records:.3f}"
        )
    if show:
        for v in report.verdicts:
            what = [k for k in ("leak", "turn_interest", "flagged") if getattr(v, k)]
            if v.category is not None and not v.detected:
                what.append("missed")
            if what:
                console.print(f"{v.id}  {v.category or 'clean'}  {v.style}  {' '.join(what)}", highlight=False)


def figures(report: Report) -> dict[str, Any]:
    d, c = report.disclosures, report.clean
    return {
        "disclosures": d.records,
        "detected": d.detected,
        "leaks": d.leaks,
        "turn_interest": d.turn_interest,
        "clean": c.records,
        "clean_flagged": c.flagged,
        "clean_kept": c.kept,
        "by_category": {k: vars(v) for k, v in sorted(report.by_category.items())},
        "by_style": {k: vars(v) for k, v in sorted(report.by_style.items())},
        "leaked_ids": [v.id for v in report.verdicts if v.leak],
        "missed_ids": [v.id for v in report.verdicts if v.category is not None and not v.detected],
        "flagged_clean_ids": [v.id for v in report.verdicts if v.flagged],
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["all", *SPLITS], default="all", help="which split to read")
    ap.add_argument("--data", type=Path, default=DATA, help="folder of the red-team files")
    ap.add_argument("--show", action="store_true", help="list each leak, miss and flagged clean twin by id")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="ExtractorConfig override")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument(
        "--floors",
        type=Path,
        help="JSON file whose 'redteam_max_leaks' gives the most leaks allowed per split; exit 1 past it",
    )
    return ap.parse_args(argv)


def over_the_limit(leaks: Mapping[str, int], limits: Mapping[str, int]) -> list[str]:
    """The splits with more leaks than their limit, as messages (ids only, never text)."""
    return [
        f"{split}: {leaks[split]} leaks, at most {limit} allowed"
        for split, limit in sorted(limits.items())
        if leaks.get(split, 0) > limit
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    paths = {s: sorted(args.data.glob(SPLITS[s])) for s in splits}
    if not any(paths.values()):
        print(f"no red-team files in {args.data}", file=sys.stderr)
        return 2
    records = {s: read_records(p) for s, p in paths.items()}
    report = evaluate([r for s in splits for r in records[s]], args.set)
    print_report(report, show=args.show)
    if args.json:
        args.json.write_text(json.dumps(figures(report), indent=1) + "\n", encoding="utf-8")
    if args.floors:
        limits = json.loads(args.floors.read_text(encoding="utf-8"))["redteam_max_leaks"]
        split_of = {r["id"]: s for s in splits for r in records[s]}
        leaks = {s: sum(1 for v in report.verdicts if v.leak and split_of[v.id] == s) for s in splits}
        failures = over_the_limit(leaks, {s: n for s, n in limits.items() if s in splits})
        for line in failures:
            print(f"red-team leak regression: {line}", file=sys.stderr)
        if failures:
            return 1
        print(f"red-team leaks within limits: {leaks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
