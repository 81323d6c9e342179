"""Privacy gate building blocks: text normalisation, language support checks and PII scrubbing.

The PII names import Presidio and spaCy, so they are loaded on first access only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractor.privacy.language import (
    CANDIDATE_LANGUAGES,
    SUPPORTED_LANGUAGES,
    LanguageGuess,
    detect_language,
    identify,
    is_supported,
)
from extractor.privacy.normalize import NormalizedText, normalize

if TYPE_CHECKING:
    from extractor.privacy.pii import DEFAULT_ENTITIES, SUPPORTED_ENTITIES, PiiScrubber, PiiSpan, build_analyzer

__all__ = [
    "CANDIDATE_LANGUAGES",
    "DEFAULT_ENTITIES",
    "SUPPORTED_ENTITIES",
    "SUPPORTED_LANGUAGES",
    "LanguageGuess",
    "NormalizedText",
    "PiiScrubber",
    "PiiSpan",
    "build_analyzer",
    "detect_language",
    "identify",
    "is_supported",
    "normalize",
]

_LAZY_PII = frozenset({"DEFAULT_ENTITIES", "SUPPORTED_ENTITIES", "PiiScrubber", "PiiSpan", "build_analyzer"})


def __getattr__(name: str) -> Any:
    if name in _LAZY_PII:
        from extractor.privacy import pii

        return getattr(pii, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
