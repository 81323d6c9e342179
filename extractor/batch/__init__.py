"""Batch processing at scale: streaming, workers, resume, Ray Data, audits and per-user profiles.

``run_batch`` is what ``extractor run`` calls; ``build_profiles`` is ``extractor profile``.
"""

from extractor.batch.audit import AuditCounts
from extractor.batch.errors import BatchError
from extractor.batch.profile import ProfileBuilder, ProfileOptions, build_profiles
from extractor.batch.runner import RunOptions, RunSummary, run_batch
from extractor.batch.sinks import OUTPUT_SCHEMA
from extractor.batch.worker import DefaultExtractorFactory, ExtractorFactory, SupportsPipe

__all__ = [
    "OUTPUT_SCHEMA",
    "AuditCounts",
    "BatchError",
    "DefaultExtractorFactory",
    "ExtractorFactory",
    "ProfileBuilder",
    "ProfileOptions",
    "RunOptions",
    "RunSummary",
    "SupportsPipe",
    "build_profiles",
    "run_batch",
]
