"""The interest taxonomy: nodes with paths, IAB Audience 1.1 IDs, ad categories and keywords.

The default taxonomy is the data file ``extractor/data/taxonomy.json``. Protected categories and
their proxies are absent by construction: :meth:`Taxonomy.from_iab_tsv` drops them from the
official IAB file too (the blocked names live in ``data/policy.json``).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class TaxonomyNode:
    id: str
    name: str
    path: tuple[str, ...]
    parent: str | None = None
    iab_id: str | None = None
    ad_categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    description: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TaxonomyNode:
        iab = data.get("iab_audience_id", data.get("iab_id"))
        return cls(
            id=str(data["id"]),
            name=str(data["name"]),
            path=tuple(data["path"]),
            parent=data.get("parent"),
            iab_id=str(iab) if iab not in (None, "") else None,
            ad_categories=tuple(data.get("ad_categories", ())),
            keywords=tuple(k.lower() for k in data.get("keywords", ())),
            description=str(data.get("description", "")),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "path": list(self.path),
            "parent": self.parent,
            "iab_audience_id": self.iab_id,
            "ad_categories": list(self.ad_categories),
            "keywords": list(self.keywords),
            "description": self.description,
        }


@dataclass(frozen=True)
class Taxonomy:
    """An immutable tree of :class:`TaxonomyNode`, indexed by id."""

    nodes: tuple[TaxonomyNode, ...]
    _index: Mapping[str, TaxonomyNode] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, TaxonomyNode] = {}
        for node in self.nodes:
            if node.id in index:
                raise ValueError(f"taxonomy: duplicate node id {node.id!r}")
            index[node.id] = node
        for node in self.nodes:
            if node.parent is not None and node.parent not in index:
                raise ValueError(f"taxonomy: node {node.id!r} has unknown parent {node.parent!r}")
        object.__setattr__(self, "_index", index)

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self) -> Iterator[TaxonomyNode]:
        return iter(self.nodes)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._index

    def __getitem__(self, node_id: str) -> TaxonomyNode:
        return self._index[node_id]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes)

    def ancestors(self, node_id: str) -> tuple[str, ...]:
        """Ids of the node's ancestors, nearest first."""
        out: list[str] = []
        parent = self._index[node_id].parent
        while parent is not None:
            out.append(parent)
            parent = self._index[parent].parent
        return tuple(out)

    # -- serialisation ---------------------------------------------------------------------------

    @classmethod
    def from_dicts(cls, nodes: Iterable[Mapping[str, Any]]) -> Taxonomy:
        return cls(nodes=tuple(TaxonomyNode.from_dict(n) for n in nodes))

    @classmethod
    def default(cls) -> Taxonomy:
        text = resources.files("extractor.data").joinpath("taxonomy.json").read_text(encoding="utf-8")
        return cls.from_dicts(json.loads(text)["nodes"])

    @classmethod
    def from_disk(cls, path: str | Path) -> Taxonomy:
        return cls.from_dicts(json.loads(Path(path).read_text(encoding="utf-8"))["nodes"])

    def to_disk(self, path: str | Path) -> None:
        payload = {"nodes": [n.to_dict() for n in self.nodes]}
        Path(path).write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def from_iab_tsv(cls, path: str | Path, *, tier1: str = "Interest") -> Taxonomy:
        """Build a taxonomy from the official IAB Tech Lab Audience Taxonomy 1.1 TSV.

        Only rows under ``tier1`` are kept (the top "Interest" row itself becomes implicit), and
        every subtree whose name is protected or a proxy for a protected attribute is dropped,
        so the result is safe to target on. Nodes carry no ad categories or keywords beyond the
        name itself: the IAB file has none.
        """
        with Path(path).open(encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh, delimiter="\t")
            header = next(reader)
            cols = {name.strip(): i for i, name in enumerate(header)}
            try:
                id_col, parent_col = cols["Unique ID"], cols["Parent ID"]
                tier_cols = [cols[f"Tier {i}"] for i in range(1, 7)]
            except KeyError as exc:
                raise ValueError(f"{path}: not an IAB Audience Taxonomy TSV (missing column {exc})") from None
            rows = [r for r in reader if len(r) > max(tier_cols)]
        by_iab: dict[str, TaxonomyNode] = {}
        nodes: list[TaxonomyNode] = []
        for row in rows:
            tiers = [row[c].strip() for c in tier_cols if row[c].strip()]
            if not tiers or tiers[0] != tier1 or len(tiers) < 2:
                continue
            path_names = tuple(tiers[1:])
            if any(is_blocked_name(name) for name in path_names):
                continue
            iab_id = row[id_col].strip()
            parent_iab = row[parent_col].strip()
            parent = by_iab[parent_iab].id if parent_iab in by_iab else None
            if parent is None and len(path_names) > 1:
                continue  # the parent was dropped as protected: drop the whole subtree
            node = TaxonomyNode(
                id=".".join(_slug(n) for n in path_names),
                name=path_names[-1],
                path=path_names,
                parent=parent,
                iab_id=iab_id,
                keywords=(path_names[-1].lower(),),
            )
            by_iab[iab_id] = node
            nodes.append(node)
        return cls(nodes=tuple(nodes))


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


@lru_cache(maxsize=1)
def _blocked_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = json.loads(resources.files("extractor.data").joinpath("policy.json").read_text(encoding="utf-8"))
    alternatives = [
        re.escape(t[:-1]) + r"\w*" if t.endswith("*") else re.escape(t) + r"\b"
        for t in sorted(data["blocked_taxonomy_terms"], key=len, reverse=True)
    ]
    allowed = sorted(data["allowed_taxonomy_phrases"], key=len, reverse=True)
    return (
        re.compile(r"\b(?:" + "|".join(alternatives) + r")", re.IGNORECASE),
        re.compile(r"\b(?:" + "|".join(re.escape(a) for a in allowed) + r")\b", re.IGNORECASE),
    )


def is_blocked_name(text: str) -> bool:
    """True when a taxonomy name or keyword is protected or a proxy for a protected attribute."""
    blocked, allowed = _blocked_patterns()
    return bool(blocked.search(allowed.sub(" ", text)))
