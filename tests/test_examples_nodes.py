"""examples/expected.json and the node-level scorer of benchmarks/examples_nodes.py (no models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import examples_nodes as en
from extractor.taxonomy import Taxonomy

ROOT = Path(__file__).resolve().parents[1]
TAXONOMY = Taxonomy.default()


def _result(rid: str, nodes: dict[str, str], **policy: object) -> dict:
    return {
        "id": rid,
        "status": "ok",
        "interests": [{"id": n, "intent": i} for n, i in nodes.items()],
        "policy": {"excluded": False, "notes": [], **policy},
    }


def test_examples_expected_covers_every_transcript_once() -> None:
    ids = [json.loads(line)["id"] for line in (ROOT / "examples" / "transcripts.jsonl").read_text().splitlines()]
    assert sorted(en.load_expected()) == sorted(ids)


def test_examples_expected_names_only_taxonomy_nodes_and_known_values() -> None:
    for rid, exp in en.load_expected().items():
        assert exp["status"] in {"ok", "excluded"}, rid
        nodes = [*exp.get("interests", {}), *exp.get("forbidden", [])]
        assert all(n in TAXONOMY for n in nodes), (rid, [n for n in nodes if n not in TAXONOMY])
        assert set(exp.get("interests", {}).values()) <= {"purchase", "interest"}, rid
        if exp["status"] == "excluded":
            assert exp["reason"] in {"region", "consent", "minor"}, rid


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("sports", "sports.hiking", True),
        ("sports.hiking", "sports", True),
        ("sports", "sports.fitness.running", True),  # grandparent
        ("sports.hiking", "sports.hiking", False),
        ("sports.golf", "sports.hiking", False),
    ],
)
def test_examples_nodes_on_same_branch(a: str, b: str, expected: bool) -> None:
    assert en.on_same_branch(TAXONOMY, a, b) is expected


def test_examples_nodes_scores_exact_near_intent_and_forbidden() -> None:
    expected = {
        "a": {"status": "ok", "interests": {"sports.hiking": "purchase", "travel.asia": "interest"}},
        "b": {
            "status": "ok",
            "interests": {"sports.tennis": "interest"},
            "forbidden": ["hobbies_and_interests.arts_and_crafts"],
        },
        "c": {"status": "excluded", "reason": "region"},
    }
    results = [
        _result("a", {"sports": "purchase", "travel.asia": "purchase"}),  # parent only; wrong intent
        _result("b", {"sports.tennis": "interest", "hobbies_and_interests.arts_and_crafts.pottery": "interest"}),
        _result("c", {}, excluded=True, reason="region"),
    ]
    total, problems = en.score(expected, results, TAXONOMY)
    f = total.figures()
    assert (f["exact_recall"], f["near_recall"]) == (round(2 / 3, 3), 1.0)
    assert (f["exact_precision"], f["near_precision"]) == (0.5, 0.75)
    assert f["intent_agreement"] == 0.5
    assert f["forbidden"] == 1
    assert f["status_agreement"] == 1.0
    assert problems["c"] == []
    assert any("only ['sports']" in p for p in problems["a"])


def test_examples_nodes_refuses_results_that_do_not_match_the_expectations() -> None:
    expected = {"a": {"status": "ok", "interests": {}}}
    with pytest.raises(ValueError, match="no expected outcome"):
        en.score(expected, [_result("a", {}), _result("zz", {})], TAXONOMY)
    with pytest.raises(ValueError, match="no result"):
        en.score({**expected, "b": {"status": "ok", "interests": {}}}, [_result("a", {})], TAXONOMY)
