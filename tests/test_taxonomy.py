"""The shipped taxonomy: shape, IAB alignment, and no protected or proxy node."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from extractor.privacy.rules import ProtectedRules
from extractor.taxonomy import Taxonomy, is_blocked_name

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "iab_audience_taxonomy_1.1.tsv"


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return Taxonomy.default()


def test_taxonomy_has_at_least_200_nodes_with_ad_categories(taxonomy: Taxonomy) -> None:
    assert len(taxonomy) >= 200
    leaves = [n for n in taxonomy if n.parent is not None]
    assert all(n.ad_categories for n in leaves), [n.id for n in leaves if not n.ad_categories]


def test_taxonomy_paths_follow_parents(taxonomy: Taxonomy) -> None:
    for node in taxonomy:
        if node.parent is None:
            assert node.path == (node.name,)
        else:
            assert node.path == (*taxonomy[node.parent].path, node.name)


def test_taxonomy_has_no_protected_node(taxonomy: Taxonomy) -> None:
    rules = ProtectedRules.default()
    offenders = []
    for node in taxonomy:
        for text in (node.name, *node.path, *node.keywords, node.description):
            if is_blocked_name(text) or rules.find(text):
                offenders.append((node.id, text))
    assert offenders == []


@pytest.mark.parametrize(
    "name",
    [
        "Religion and Spirituality",
        "Politics",
        "Diabetes",
        "LGBTQ Issues",
        "Dating",
        "Genealogy and Ancestry",
        "Labor Unions",
        "Weight Loss",
        "Bankruptcy",
        "Crime",
        "Mental Health",
        "Pregnancy",
    ],
)
def test_taxonomy_blocked_pattern_catches_protected_names(name: str) -> None:
    assert is_blocked_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "Hiking",
        "Auto Racing",
        "Lawn Care",
        "Healthy Living",
        "Board Games",
        "Racing",
        "Rugby Union",
        "Crime Fiction",
        "Credit Union",
    ],
)
def test_taxonomy_blocked_pattern_spares_ordinary_names(name: str) -> None:
    assert not is_blocked_name(name)


def test_taxonomy_iab_ids_exist_in_the_reference(taxonomy: Taxonomy) -> None:
    if not REFERENCE.is_file():
        pytest.skip("../shared/reference is not present")
    with REFERENCE.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    interest_ids = {r[1] for r in rows[1:] if len(r) > 4 and r[4] == "Interest"}
    with_ids = [n for n in taxonomy if n.iab_id]
    assert len(with_ids) >= 100
    assert [n.id for n in with_ids if n.iab_id not in interest_ids] == []


def test_taxonomy_round_trips_to_disk(taxonomy: Taxonomy, tmp_path: Path) -> None:
    taxonomy.to_disk(tmp_path / "t.json")
    assert Taxonomy.from_disk(tmp_path / "t.json") == taxonomy


IAB_HEADER = ["", "Unique ID", "Parent ID", "Condensed Name (1st, 2nd, Last Tier)"] + [f"Tier {i}" for i in range(1, 7)]


def _row(uid: str, parent: str, *tiers: str) -> list[str]:
    return ["", uid, parent, " | ".join(tiers), *tiers, *[""] * (6 - len(tiers))]


def test_taxonomy_from_iab_tsv_drops_protected_subtrees(tmp_path: Path) -> None:
    path = tmp_path / "iab.tsv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t")
        w.writerow(IAB_HEADER)
        w.writerow(_row("1", "", "Demographic"))
        w.writerow(_row("206", "", "Interest"))
        w.writerow(_row("500", "206", "Interest", "Sports"))
        w.writerow(_row("501", "500", "Interest", "Sports", "Hiking"))
        w.writerow(_row("600", "206", "Interest", "Religion & Spirituality"))
        w.writerow(_row("601", "600", "Interest", "Religion & Spirituality", "Christianity"))
        w.writerow(_row("602", "600", "Interest", "Religion & Spirituality", "Prayer Books"))
    tax = Taxonomy.from_iab_tsv(path)
    assert [(n.id, n.iab_id, n.path) for n in tax] == [
        ("sports", "500", ("Sports",)),
        ("sports.hiking", "501", ("Sports", "Hiking")),
    ]


def test_taxonomy_from_iab_tsv_reference_file_is_clean() -> None:
    if not REFERENCE.is_file():
        pytest.skip("../shared/reference is not present")
    tax = Taxonomy.from_iab_tsv(REFERENCE)
    assert len(tax) > 250
    names = {n.name for n in tax}
    assert not {"Politics", "Elections", "Genealogy and Ancestry", "Weight Loss", "Smoking Cessation"} & names
