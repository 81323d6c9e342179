"""One-turn probes of the protected gate: does it find a disclosure said in one sentence to an assistant?

``benchmarks/redteam/probes/*.jsonl`` (see ``benchmarks/redteam/README.md``): each record is one user
turn with the category it discloses (``discloses: true``) or a lookalike that discloses nothing
(``discloses: false``, ``category`` being what it might be mistaken for). Prints, per category and per
style, how many disclosures ``Extractor.protected_categories`` finds, and how many lookalikes it flags::

    .venv/bin/python benchmarks/probe.py                       # every probe file
    .venv/bin/python benchmarks/probe.py --file benchmarks/redteam/probes/probe_b.jsonl --show
    .venv/bin/python benchmarks/probe.py --set protected_lexical_floor=null   # an ExtractorConfig override
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import quality
from rich.console import Console
from rich.table import Table

PROBES = Path(__file__).resolve().parent / "redteam" / "probes"


def tally(records: Sequence[Mapping[str, Any]], found: Sequence[set[str]]) -> dict[str, dict[str, list[int]]]:
    """[hits, total] per category and per style for the disclosures, and [flagged, total] for the
    lookalikes per category they might be mistaken for."""
    out: dict[str, dict[str, list[int]]] = {"category": {}, "style": {}, "lookalike": {}}
    for record, categories in zip(records, found, strict=True):
        if record["discloses"]:
            hit = record["category"] in categories
            for key in ("category", "style"):
                cell = out[key].setdefault(record[key], [0, 0])
                cell[0] += hit
                cell[1] += 1
        else:
            cell = out["lookalike"].setdefault(record["category"], [0, 0])
            cell[0] += bool(categories)
            cell[1] += 1
    return {k: dict(sorted(v.items())) for k, v in out.items()}


def _table(title: str, rows: Mapping[str, list[int]], what: str) -> Table:
    table = Table(title=title)
    for col in ("", "n", what):
        table.add_column(col, justify="left" if not col else "right")
    for name, (hits, total) in rows.items():
        table.add_row(name, str(total), f"{hits} ({hits / total:.3f})")
    hits, total = sum(v[0] for v in rows.values()), sum(v[1] for v in rows.values())
    if total:
        table.add_row("all", str(total), f"{hits} ({hits / total:.3f})")
    return table


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--file", type=Path, action="append", help="probe file (repeatable; default: every probe file)")
    ap.add_argument("--show", action="store_true", help="list the ids of missed disclosures and flagged lookalikes")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="ExtractorConfig override")
    args = ap.parse_args(argv)
    from extractor import Extractor

    console = Console(width=None if sys.stdout.isatty() else 120)
    ex = Extractor(config=quality.config_from_overrides(args.set))
    for path in args.file or sorted(PROBES.glob("*.jsonl")):
        records = quality.read_jsonl(path)
        found = [ex.protected_categories("\n".join(t["text"] for t in r["turns"])) for r in records]
        figures = tally(records, found)
        console.print(_table(f"{path.name}: disclosures found, by category", figures["category"], "found"))
        console.print(_table(f"{path.name}: disclosures found, by style", figures["style"], "found"))
        console.print(_table(f"{path.name}: lookalikes flagged", figures["lookalike"], "flagged"))
        if args.show:
            for r, f in zip(records, found, strict=True):
                if r["discloses"] and r["category"] not in f:
                    console.print(f"missed  {r['id']} {r['category']} ({r['style']})")
                elif not r["discloses"] and f:
                    console.print(f"flagged {r['id']} as {', '.join(sorted(f))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
