"""What the replay scripts (``gate_replay.py``, ``aggregation_replay.py``) share: their ``--sweep KEY=V1,V2``
options, the rest of their command line, and writing their rows as JSON."""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import eval_data as ed
import label_audit as la
import quality
from rich.console import Console

from extractor import ExtractorConfig


def parse_sweep(items: Sequence[str], allowed: Collection[str], kind: str) -> list[dict[str, Any]]:
    """``KEY=V1,V2,...`` options -> every combination, as ExtractorConfig overrides validated by it.

    ``allowed`` are the ExtractorConfig fields the script can replay; ``kind`` names them in the error.
    """
    axes: list[tuple[str, list[Any]]] = []
    for item in items:
        key, sep, values = item.partition("=")
        if not sep or not values:
            raise ValueError(f"--sweep {item!r}: expected KEY=V1,V2,...")
        if key not in allowed:
            raise ValueError(f"--sweep {key!r}: not {kind}; one of {', '.join(sorted(allowed))}")
        axes.append((key, [json.loads(v) for v in values.split(",")]))
    combos = [dict(zip([k for k, _ in axes], vals, strict=True)) for vals in itertools.product(*(v for _, v in axes))]
    for combo in combos:
        ExtractorConfig(**combo)  # range checks, with pydantic's message
    return combos


@dataclass
class Replay:
    """One replay script's run: its options, the settings to replay, the dev records and the audit."""

    args: argparse.Namespace
    console: Console
    combos: list[dict[str, Any]]
    records: list[dict[str, Any]]
    audit: la.LabelAudit | None
    # The configuration every row starts from: the defaults with the --set options (models, backbone).
    config: ExtractorConfig

    @classmethod
    def start(
        cls,
        argv: Sequence[str] | None,
        *,
        description: str,
        parse: Callable[[Sequence[str]], list[dict[str, Any]]],
        kind: Literal["conversations", "sensitive"],
    ) -> Replay | None:
        """Parse the command line (``parse`` turns the ``--sweep`` options into settings) and read the eval
        folder's ``kind`` file (``eval_data.find_file``), validated; None, after saying so, when it is absent."""
        parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("--eval-dir", type=Path, default=quality.DEFAULT_EVAL_DIR)
        parser.add_argument("--label-audit", type=Path, default=la.AUDIT_DIR, help="audit folder ('' to leave out)")
        parser.add_argument("--sweep", action="append", default=[], metavar="KEY=V1,V2", help="values to replay (JSON)")
        parser.add_argument("--json", type=Path, default=None, help="also write every row's figures as JSON")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="ExtractorConfig field for the whole run, before any replay, e.g. models_dir=DIR (repeatable)",
        )
        args = parser.parse_args(argv)
        console = Console(width=None if sys.stdout.isatty() else 160)
        try:
            combos = parse(args.sweep) or [{}]
            config = quality.config_from_overrides(args.set)
        except ValueError as err:
            parser.error(str(err))
        try:
            path = ed.find_file(args.eval_dir, kind) if args.eval_dir.is_dir() else None
            if path is None:
                console.print(f"no {kind} file in {args.eval_dir}: skipped")
                return None
            records = quality.read_eval_records(path, kind)
        except ed.EvalDataError as err:
            parser.error(str(err))
        audit = la.LabelAudit.from_dir(args.label_audit) if str(args.label_audit) not in ("", ".") else None
        return cls(args, console, combos, records, audit, config)

    def write_json(self, figures: Sequence[Mapping[str, Any]]) -> None:
        """Every row's settings and figures, when ``--json`` asked for them."""
        if self.args.json:
            rows = [{"settings": c, **f} for c, f in zip(self.combos, figures, strict=True)]
            self.args.json.write_text(json.dumps(rows, indent=2))
