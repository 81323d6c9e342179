"""Aggregate-only audit of a batch run.

The audit sums, over all records, the status of each result and the counters of its ``audit``
field (``"redacted.health"``, ``"suppressed.religion"``, ``"withheld.politics"``, ...). It holds no ids and nothing per
record, and when written every count below :data:`SMALL_COUNT` is replaced by the string ``"<10"``
so that small groups cannot be singled out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.categories import PROTECTED_CATEGORIES

SMALL_COUNT = 10
STATUSES = ("ok", "excluded", "error")
#: Counter groups listed for every protected category, zero or not, so the shape of the audit
#: does not depend on which categories occurred.
CATEGORY_GROUPS = ("redacted", "suppressed", "withheld")


def suppress_small(count: int) -> int | str:
    """``count`` itself, or ``"<10"`` when it is below :data:`SMALL_COUNT`."""
    return count if count >= SMALL_COUNT else f"<{SMALL_COUNT}"


@dataclass
class AuditCounts:
    """Running totals: records per status and the summed ``audit`` counters of the results."""

    statuses: Counter[str] = field(default_factory=Counter)
    counters: Counter[str] = field(default_factory=Counter)
    #: Records counted from an earlier run's output that left no counters (statuses only).
    uncounted: int = 0

    def add(self, status: str, audit: Iterable[tuple[str, int]]) -> None:
        self.statuses[status] += 1
        for key, n in audit:
            self.counters[key] += int(n)

    def merge(self, other: AuditCounts) -> None:
        self.statuses.update(other.statuses)
        self.counters.update(other.counters)
        self.uncounted += other.uncounted

    @property
    def records(self) -> int:
        return sum(self.statuses.values())

    def to_state(self) -> dict[str, Any]:
        """Exact counts, for the resume state (never written as the audit itself)."""
        return {"statuses": dict(self.statuses), "counters": dict(self.counters), "uncounted": self.uncounted}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> AuditCounts:
        return cls(
            Counter({str(k): int(v) for k, v in state.get("statuses", {}).items()}),
            Counter({str(k): int(v) for k, v in state.get("counters", {}).items()}),
            int(state.get("uncounted", 0)),
        )

    def report(self) -> dict[str, Any]:
        """The audit document: grouped counts with small counts suppressed."""
        groups: dict[str, dict[str, int | str]] = {
            g: {c: suppress_small(0) for c in PROTECTED_CATEGORIES} for g in CATEGORY_GROUPS
        }
        for key in sorted(self.counters):
            group, _, name = key.partition(".")
            if not name:
                group, name = "other", key
            groups.setdefault(group, {})[name] = suppress_small(self.counters[key])
        statuses = {s: suppress_small(self.statuses.get(s, 0)) for s in STATUSES}
        statuses.update({s: suppress_small(n) for s, n in sorted(self.statuses.items()) if s not in STATUSES})
        doc: dict[str, Any] = {
            "records": suppress_small(self.records),
            "status": statuses,
            **groups,
            "small_counts": f"counts below {SMALL_COUNT} are written as <{SMALL_COUNT}",
        }
        if self.uncounted:
            doc["records_without_counters"] = suppress_small(self.uncounted)
        return doc

    def write(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.report(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
