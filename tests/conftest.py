"""Shared fixtures. Models load once per test session; everything stays offline."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import pytest

from extractor import Extractor


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor().warm_up()
