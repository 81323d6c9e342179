"""Canonical names of the protected categories the privacy gate guards."""

from __future__ import annotations

from typing import Final, Literal, get_args

ProtectedCategory = Literal[
    "health",
    "religion",
    "politics",
    "sexual_orientation",
    "racial_ethnic_origin",
    "philosophical_beliefs",
    "trade_union_membership",
    "genetic_biometric",
    "criminal_record",
    "financial_hardship",
]

PROTECTED_CATEGORIES: Final[tuple[ProtectedCategory, ...]] = get_args(ProtectedCategory)

# The one placeholder used for every redaction, whatever was found, so that output never hints
# at which category (or which kind of PII) was there.
REDACTION_PLACEHOLDER: Final[str] = "[REDACTED]"
