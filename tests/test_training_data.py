"""The training data in models/training_data: well-formed, consistent, and as varied as issue #3 asks.

The heads are only as good as these lines, and privacy reviewers read them: every protected category
needs examples of each kind of disclosure, the look-alikes named in the issue must be there as clean
negatives, and no sentence may be taught two ways.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from extractor.categories import PROTECTED_CATEGORIES
from extractor.taxonomy import Taxonomy

DATA = Path(__file__).resolve().parents[1] / "models" / "training_data"
DISCLOSURE_KINDS = ("first_person", "third_person", "slang", "question", "indirect")
PROTECTED_KINDS = {*DISCLOSURE_KINDS, "discussion", "narrative", "neutral", "hard_negative"}
LANGUAGES = {"en", "es", "pt", "fr", "de"}
MIN_PER_NODE = 8
MIN_KEYWORD_FREE_PER_NODE = 2
MIN_PER_CATEGORY = 40
MIN_PER_KIND = 5
_WORD = re.compile(r"[a-z]+")
_NAME_STOPWORDS = frozenset({"and", "the", "for", "amp"})


def _rows(prefix: str) -> list[tuple[str, int, dict]]:
    files = sorted(DATA.glob(f"{prefix}*.jsonl"))
    assert files, f"no {prefix}*.jsonl in {DATA}"
    return [
        (f.name, n, json.loads(line))
        for f in files
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip()
    ]


INTERESTS = _rows("interests")
PROTECTED = _rows("protected")
TAXONOMY = Taxonomy.default()


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def _stems(text: str) -> set[str]:
    # Five-letter prefixes: "photograph" in a sentence shares a keyword with "Photography".
    return {w[:5] for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in _NAME_STOPWORDS}


def test_training_data_interest_rows_are_well_formed() -> None:
    bad = [
        f"{name}:{n}"
        for name, n, r in INTERESTS
        if set(r) != {"text", "labels", "intent"}
        or not r["text"].strip()
        or r["intent"] not in {"interest", "purchase"}
        or any(label not in TAXONOMY for label in r["labels"])
    ]
    assert not bad, f"malformed interest rows: {bad[:10]}"


def test_training_data_protected_rows_are_well_formed() -> None:
    bad = [
        f"{name}:{n}"
        for name, n, r in PROTECTED
        if not {"text", "categories", "kind"} <= set(r) <= {"text", "categories", "kind", "lang"}
        or not r["text"].strip()
        or r["kind"] not in PROTECTED_KINDS
        or r.get("lang", "en") not in LANGUAGES
        or any(c not in PROTECTED_CATEGORIES for c in r["categories"])
        # a negative has no category, and a disclosure has at least one
        or (r["kind"] in {"neutral", "hard_negative"}) != (not r["categories"])
    ]
    assert not bad, f"malformed protected rows: {bad[:10]}"


@pytest.mark.parametrize(("rows", "field"), [(INTERESTS, "labels"), (PROTECTED, "categories")])
def test_training_data_no_sentence_is_taught_two_ways(rows: list[tuple[str, int, dict]], field: str) -> None:
    seen: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    where: dict[str, list[str]] = defaultdict(list)
    for name, n, r in rows:
        seen[_key(r["text"])].add(tuple(sorted(r[field])))
        where[_key(r["text"])].append(f"{name}:{n}")
    conflicts = [where[k] for k, labels in seen.items() if len(labels) > 1]
    assert not conflicts, f"the same sentence with different {field}: {conflicts[:5]}"


def test_training_data_interest_examples_are_clean_protected_negatives() -> None:
    # train_heads.py uses every interest sentence as a negative for the protected head.
    disclosures = {_key(r["text"]) for _, _, r in PROTECTED if r["categories"]}
    clash = [f"{name}:{n}" for name, n, r in INTERESTS if _key(r["text"]) in disclosures]
    assert not clash, f"interest rows that are also protected disclosures: {clash[:10]}"


def test_training_data_every_node_has_enough_examples() -> None:
    counts = Counter(label for _, _, r in INTERESTS for label in r["labels"])
    short = {node: counts[node] for node in TAXONOMY.ids if counts[node] < MIN_PER_NODE}
    assert not short, f"nodes with fewer than {MIN_PER_NODE} examples: {short}"


def test_training_data_every_node_has_paraphrases_without_its_keywords() -> None:
    texts: dict[str, list[str]] = defaultdict(list)
    for _, _, r in INTERESTS:
        for label in r["labels"]:
            texts[label].append(r["text"])
    short = {}
    for node in TAXONOMY:
        name = _stems(node.name)
        free = sum(1 for t in texts[node.id] if not _stems(t) & name)
        if free < MIN_KEYWORD_FREE_PER_NODE:
            short[node.id] = free
    assert not short, f"nodes with fewer than {MIN_KEYWORD_FREE_PER_NODE} keyword-free paraphrases: {short}"


@pytest.mark.parametrize("category", PROTECTED_CATEGORIES)
def test_training_data_protected_category_has_every_kind_of_disclosure(category: str) -> None:
    kinds = Counter(r["kind"] for _, _, r in PROTECTED if category in r["categories"])
    assert sum(kinds.values()) >= MIN_PER_CATEGORY
    thin = {k: kinds[k] for k in DISCLOSURE_KINDS if kinds[k] < MIN_PER_KIND}
    assert not thin, f"{category}: too few examples of {thin}"


@pytest.mark.parametrize(
    "phrase", ["black friday", "christian dior", "party supplies", "union station", "fan of the patriots"]
)
def test_training_data_issue_lookalikes_are_clean_negatives(phrase: str) -> None:
    negatives = [r["text"] for _, _, r in PROTECTED if r["kind"] == "hard_negative" and phrase in _key(r["text"])]
    assert negatives, f"no hard negative mentions {phrase!r}"
