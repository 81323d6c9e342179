"""benchmarks/probe.py: scoring one-turn probes, and the probe files' shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import probe
from extractor.categories import PROTECTED_CATEGORIES


def test_probe_tally_counts_found_disclosures_and_flagged_lookalikes() -> None:
    records = [
        {"discloses": True, "category": "health", "style": "plain"},
        {"discloses": True, "category": "health", "style": "indirect"},
        {"discloses": True, "category": "religion", "style": "indirect"},
        {"discloses": False, "category": "politics", "style": "lookalike"},
        {"discloses": False, "category": "politics", "style": "lookalike"},
    ]
    found = [{"health"}, {"religion"}, {"religion", "health"}, set(), {"health"}]
    figures = probe.tally(records, found)
    assert figures["category"] == {"health": [1, 2], "religion": [1, 1]}  # another category is no hit
    assert figures["style"] == {"indirect": [1, 2], "plain": [1, 1]}
    assert figures["lookalike"] == {"politics": [1, 2]}  # any category flags a lookalike


# Disclosures per probe file (a truncated or half-copied file fails here).
PROBE_DISCLOSURES = {
    "probe_a.jsonl": 140,
    "probe_b.jsonl": 140,
    "probe_c.jsonl": 181,
    "probe_d.jsonl": 135,
    "probe_e.jsonl": 67,
    "probe_f.jsonl": 67,
    "probe_g.jsonl": 120,
    "probe_h.jsonl": 0,
    "probe_i.jsonl": 150,
    "probe_j.jsonl": 200,
    "probe_k.jsonl": 150,
    "probe_l.jsonl": 150,
    "probe_m.jsonl": 160,
    "probe_n.jsonl": 160,
    "probe_o.jsonl": 150,
    "probe_p.jsonl": 120,
    "probe_q.jsonl": 160,
    "probe_r.jsonl": 160,
    "probe_s.jsonl": 150,
    "probe_t.jsonl": 160,
    "probe_u.jsonl": 160,
    "probe_v.jsonl": 160,
    "probe_w.jsonl": 160,
    "probe_x.jsonl": 160,
    "probe_y.jsonl": 160,
}


def test_probe_files_are_the_ones_listed() -> None:
    assert sorted(p.name for p in probe.PROBES.glob("*.jsonl")) == sorted(PROBE_DISCLOSURES)


@pytest.mark.parametrize("path", sorted(probe.PROBES.glob("*.jsonl")), ids=lambda p: p.name)
def test_probe_files_are_one_user_turn_each_with_a_gate_category(path: Path) -> None:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert r["category"] in PROTECTED_CATEGORIES
        assert isinstance(r["discloses"], bool)
        assert [t["speaker"] for t in r["turns"]] == ["user"]
    assert sum(r["discloses"] for r in records) == PROBE_DISCLOSURES[path.name]
