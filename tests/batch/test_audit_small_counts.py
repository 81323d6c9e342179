"""The audit file: aggregate counts only, every count below 10 written as "<10"."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from batch_fakes import make_fake, read_output, write_input

from extractor.batch.audit import AuditCounts, suppress_small
from extractor.batch.runner import RunOptions, run_batch
from extractor.categories import PROTECTED_CATEGORIES


def test_suppress_small_threshold() -> None:
    assert [suppress_small(n) for n in (0, 1, 9, 10, 11, 12345)] == ["<10", "<10", "<10", 10, 11, 12345]


def test_report_groups_counters_and_hides_small_ones() -> None:
    audit = AuditCounts()
    for _ in range(12):
        audit.add("ok", [("redacted.health", 1), ("suppressed.health", 2)])
    audit.add("excluded", [])
    audit.add("error", [("redacted.religion", 3), ("pii.phone", 1)])
    report = audit.report()
    assert report["records"] == 14
    assert report["status"] == {"ok": 12, "excluded": "<10", "error": "<10"}
    assert report["redacted"]["health"] == 12 and report["redacted"]["religion"] == "<10"
    assert report["suppressed"]["health"] == 24
    assert set(report["redacted"]) == set(PROTECTED_CATEGORIES)  # absent categories are listed too
    assert set(report["withheld"]) == set(PROTECTED_CATEGORIES)
    assert report["pii"] == {"phone": "<10"}
    assert AuditCounts.from_state(audit.to_state()).report() == report


def test_audit_file_of_a_run_has_no_ids_and_no_small_counts(tmp_path: Path) -> None:
    inp = write_input(tmp_path / "in.jsonl", 120, malformed_every=40)
    options = RunOptions(str(inp), str(tmp_path / "out.jsonl"), audit=str(tmp_path / "a.json"), progress=False)
    run_batch(options, make_fake)
    text = (tmp_path / "a.json").read_text()
    report = json.loads(text)
    assert report["records"] == 120
    statuses = Counter(r["status"] for r in read_output(tmp_path / "out.jsonl"))
    assert statuses == {"ok": 100, "excluded": 17, "error": 3}
    assert report["status"] == {"ok": 100, "excluded": 17, "error": "<10"}
    # every 5th record mentions a doctor once: 24 of them, of which 3 have no consent (i % 7 == 6)
    assert report["redacted"]["health"] == 21
    assert "c0000" not in text and "u1" not in text  # no record or user ids

    def numbers(node: object) -> list[int]:
        if isinstance(node, dict):
            return [n for v in node.values() for n in numbers(v)]
        return [node] if isinstance(node, int) else []

    assert all(n >= 10 for n in numbers(report))
