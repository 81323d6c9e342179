"""Record-level policy: who may be profiled at all (region, consent, age)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from extractor.config import ExtractorConfig
from extractor.privacy.normalize import normalize
from extractor.schema import Conversation, PolicyDecision


@lru_cache(maxsize=1)
def _minor_pattern() -> re.Pattern[str]:
    data = json.loads(resources.files("extractor.data").joinpath("policy.json").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{p})" for p in data["minor_patterns"]))


def discloses_minor(text: str) -> bool:
    """True when the text self-discloses an age under 18 ("I'm 15", "as a 16-year-old")."""
    return bool(_minor_pattern().search(normalize(text).text))


def decide(conversation: Conversation, config: ExtractorConfig) -> PolicyDecision:
    """Exclusion before any language processing: the cheapest way to use nothing is to read nothing."""
    if conversation.region is None:
        if config.unknown_region == "exclude":
            return PolicyDecision(excluded=True, reason="unknown_region")
    elif conversation.region in config.excluded_regions:
        return PolicyDecision(excluded=True, reason="region")
    if conversation.consent is False:
        return PolicyDecision(excluded=True, reason="consent")
    if conversation.age is not None and conversation.age < config.minimum_age:
        return PolicyDecision(excluded=True, reason="minor")
    if config.minimum_age >= 18 and any(t.is_user and discloses_minor(t.text) for t in conversation.turns):
        return PolicyDecision(excluded=True, reason="minor")
    return PolicyDecision()
