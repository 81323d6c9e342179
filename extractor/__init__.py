"""Conversational interest-signal extractor with a fail-closed privacy gate."""

from extractor.categories import PROTECTED_CATEGORIES, REDACTION_PLACEHOLDER
from extractor.config import ExtractorConfig
from extractor.pipeline import Decision, Extractor, build_nlp
from extractor.schema import Conversation, ExtractionResult, InterestSignal, RecordError, parse_record
from extractor.taxonomy import Taxonomy, TaxonomyNode

__all__ = [
    "PROTECTED_CATEGORIES",
    "REDACTION_PLACEHOLDER",
    "Conversation",
    "Decision",
    "ExtractionResult",
    "Extractor",
    "ExtractorConfig",
    "InterestSignal",
    "RecordError",
    "Taxonomy",
    "TaxonomyNode",
    "build_nlp",
    "parse_record",
]
__version__ = "0.1.0"
