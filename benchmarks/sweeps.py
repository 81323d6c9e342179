"""``--sweep KEY=V1,V2,...`` options of the replay scripts (``gate_replay.py``, ``aggregation_replay.py``)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Collection, Sequence
from typing import Any

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
