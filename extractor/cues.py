"""Compiled cue patterns (stance, gift, avowal, purchase, uptake) from ``data/cues.json``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

STANCES = ("negated", "past", "hypothetical", "other_person")


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class Cues:
    clause_split: re.Pattern[str]
    # Where the privacy gate also cuts a long user sentence: an interest in the same sentence dilutes
    # a disclosure's embedding ("I love hiking and honestly I pray every morning").
    protected_clause_split: re.Pattern[str]
    stance: tuple[tuple[str, re.Pattern[str]], ...]
    gift: re.Pattern[str]
    avowal: re.Pattern[str]
    purchase: re.Pattern[str]
    uptake: re.Pattern[str]
    # A user sentence that refers back to what the user said before ("for that", "guys like me"): it
    # depends on that sentence, so it shares its taint.
    back_reference: re.Pattern[str]

    def stance_of(self, lowered: str) -> str:
        """The first stance whose cue occurs in ``lowered`` text, else ``"affirmed"``."""
        for name, pattern in self.stance:
            if pattern.search(lowered):
                return name
        return "affirmed"


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    data = json.loads(resources.files("extractor.data").joinpath("cues.json").read_text(encoding="utf-8"))
    return Cues(
        clause_split=re.compile(data["clause_split"]),
        protected_clause_split=re.compile(data["protected_clause_split"], re.IGNORECASE),
        stance=tuple((name, _any(data["stance"][name])) for name in STANCES),
        gift=_any(data["gift"]),
        avowal=_any(data["avowal"]),
        purchase=_any(data["purchase"]),
        uptake=_any(data["uptake"]),
        back_reference=_any(data["back_reference"]),
    )
